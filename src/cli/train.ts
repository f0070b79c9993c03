/** `train`: trains the model on a seeded fact table and prints one JSON line. */
import type { BackendName } from '../core/training/backends';
import { informationBits, makeFacts } from '../core/model/facts';
import { createModel, disposeModel, parameterCount, readWeights, type ModelConfig } from '../core/model/model';
import { MAX_LOGIT_CELLS, PARAMS } from '../core/model/params';
import { evaluateAccuracy } from '../core/measure/evaluate';
import { train, Trainer } from '../core/training/train';
import { parseFlags, UsageError } from './args';
import { BACKEND_FLAG, OPTIMIZER_FLAGS, optimizerFromFlags, printJson, SEED_FLAG, WEIGHTS_FLAG } from './common';
import { checkWritable, progressReporter, startBackend, writeWeightFile } from './nodeIo';

const num = (param: (typeof PARAMS)[keyof typeof PARAMS]) => ({ kind: 'number' as const, param });

export async function trainCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('train', argv, {
    n: num(PARAMS.n),
    r: num(PARAMS.r),
    d: num(PARAMS.d),
    m: num(PARAMS.m),
    heads: num(PARAMS.heads),
    lr: num(PARAMS.lr),
    seed: SEED_FLAG,
    steps: num(PARAMS.steps),
    batch: num(PARAMS.batch),
    backend: BACKEND_FLAG,
    'freeze-embeddings': { kind: 'switch' },
    'freeze-attributes': { kind: 'switch' },
    'no-early-stop': { kind: 'switch' },
    weights: WEIGHTS_FLAG,
    ...OPTIMIZER_FLAGS,
  });
  const config: ModelConfig = {
    n: (flags.n as number) ?? 256,
    r: (flags.r as number) ?? 4,
    d: (flags.d as number) ?? 32,
    m: (flags.m as number) ?? 256,
    heads: (flags.heads as number) ?? 1,
    seqLen: 2,
  };
  const optimizer = optimizerFromFlags('train', flags);
  const seed = (flags.seed as number) ?? 0;
  const maxSteps = (flags.steps as number) ?? 1000;
  const total = config.n * config.r;
  const batch = Math.min((flags.batch as number) ?? total, total);
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  if (config.d % config.heads !== 0) throw new UsageError(`train: --heads must divide --d (d=${config.d}, heads=${config.heads})`);
  if (batch * config.n > MAX_LOGIT_CELLS) {
    throw new UsageError(`train: --n/--batch too large: batch × n = ${batch * config.n} logits per step exceeds ${MAX_LOGIT_CELLS}; pass a smaller --batch`);
  }
  const weightsPath = flags.weights as string | undefined;
  if (weightsPath) checkWritable('train', weightsPath);

  await startBackend(backend);
  const facts = makeFacts(config.n, config.r, seed);
  const model = createModel(config, seed, { frozenSubjects: flags['freeze-embeddings'] === true });
  const options = {
    ...optimizer,
    batch,
    seed,
    freezeSubjects: flags['freeze-embeddings'] === true,
    freezeAttributes: flags['freeze-attributes'] === true,
  };
  const trainer = new Trainer(model, facts, options);
  const progress = progressReporter();
  const started = performance.now();
  const result = await train(trainer, {
    maxSteps,
    stopAt100: flags['no-early-stop'] !== true && batch === total,
    onProgress: (read) => {
      const s = read[read.length - 1];
      const acc = s.accuracyByRelation.reduce((a, b) => a + b, 0) / s.accuracyByRelation.length;
      const rate = trainer.stepsDone / ((performance.now() - started) / 1000);
      progress.update(`train [${backend}] step ${s.step + 1}/${maxSteps}  loss ${s.loss.toFixed(4)}  accuracy ${(100 * acc).toFixed(1)}%  ${rate.toFixed(1)} steps/s`);
    },
  });
  progress.done();
  trainer.dispose();
  const final = await evaluateAccuracy(model, facts);
  // A diverged model holds NaN: there is nothing worth writing.
  if (weightsPath && !result.diverged) {
    await writeWeightFile(weightsPath, {
      config,
      facts: { n: config.n, r: config.r, seed },
      meta: { madeBy: 'train', backend, steps: result.steps, ...options },
      weights: await readWeights(model),
    });
  }
  disposeModel(model);
  printJson({
    config: { ...config, ...optimizer, seed, maxSteps, batch, freezeEmbeddings: options.freezeSubjects, freezeAttributes: options.freezeAttributes },
    backend,
    steps: result.steps,
    stepsTo100: result.stepsTo100,
    accuracyByRelation: final.accuracyByRelation,
    loss: final.loss,
    stepsPerSecond: result.steps / result.seconds,
    parameters: parameterCount(config),
    informationBits: informationBits(config.n, config.r),
    ...(result.diverged ? { diverged: { step: result.diverged.step, loss: String(result.diverged.loss) } } : {}),
    ...(weightsPath ? { weights: weightsPath } : {}),
  });
  if (result.diverged) {
    process.stderr.write(`error: train: the loss became ${result.diverged.loss} at step ${result.diverged.step}; try a smaller --lr\n`);
    return 3;
  }
  return 0;
}
