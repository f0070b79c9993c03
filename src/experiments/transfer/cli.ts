/**
 * `transfer`: zero-shot transfer of a saved model to new facts (docs/science.md §4): the superposition
 * maps A_r, fitted on 80% of the subjects, are first validated on the old facts of the other 20%, then
 * build new subject embeddings with no training; then subject embeddings alone are retrained from a
 * random start and compared with the whole model trained from scratch (optimiser flags as `train`'s;
 * Adam, lr 0.01, by default).
 */
import type { BackendName } from '../../core/training/backends';
import { disposeModel, modelFromArrays } from '../../core/model/model';
import { MAX_LOGIT_CELLS, PARAMS } from '../../core/model/params';
import { retrainEmbeddingsOnly, zeroShotTransfer } from './transfer';
import { factsOf } from '../../core/model/weights';
import { parseFlags, requireFlags, UsageError } from '../../cli/args';
import { BACKEND_FLAG, OPTIMIZER_FLAGS, optimizerFromFlags, printJson, SEED_FLAG, WEIGHTS_FLAG } from '../../cli/common';
import type { CliCommand } from '../registry';
import { progressReporter, readWeightFile, startBackend } from '../../cli/nodeIo';

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export async function transferCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('transfer', argv, {
    weights: WEIGHTS_FLAG,
    seed: SEED_FLAG,
    steps: { kind: 'number', param: PARAMS.steps },
    lr: { kind: 'number', param: PARAMS.lr },
    backend: BACKEND_FLAG,
    ...OPTIMIZER_FLAGS,
  });
  const optimizer = optimizerFromFlags('transfer', flags);
  requireFlags('transfer', flags, ['weights']);
  const file = readWeightFile('transfer', flags.weights as string);
  const { n, r } = file.config;
  if (n * r * n > MAX_LOGIT_CELLS) {
    throw new UsageError(`transfer: --weights: the model is too large to retrain full batch (n × r × n = ${n * r * n} logits per step exceeds ${MAX_LOGIT_CELLS})`);
  }
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  // The new bijections come from --seed (default: the file's own fact seed; a derived stream, so
  // they differ from the file's facts).
  const seed = (flags.seed as number) ?? file.facts.seed;
  const steps = (flags.steps as number) ?? 1000;

  await startBackend(backend);
  const facts = factsOf(file);
  const model = modelFromArrays(file.config, file.weights);
  const progress = progressReporter();
  let zero;
  let retrained;
  try {
    progress.update('transfer: fitting the superposition maps');
    zero = await zeroShotTransfer(model, facts, { seed });
    const started = performance.now();
    retrained = await retrainEmbeddingsOnly(model, facts, {
      ...optimizer,
      seed,
      steps,
      onProgress: (run, s) => {
        const acc = s.accuracyByRelation.reduce((a, b) => a + b, 0) / s.accuracyByRelation.length;
        progress.update(`transfer [${backend}] ${run} step ${s.step + 1}/${steps}  loss ${s.loss.toFixed(4)}  accuracy ${(100 * acc).toFixed(1)}%  ${((performance.now() - started) / 1000).toFixed(1)} s`);
      },
    });
  } finally {
    progress.done();
    disposeModel(model);
  }
  const run = (x: typeof retrained.embeddingsOnly) => ({
    stepsTo100: x.stepsTo100,
    steps: x.steps,
    accuracyByRelation: x.accuracyByRelation,
    loss: x.loss,
    trainedParameters: x.trainedParameters,
    seconds: round(x.seconds),
    ...(x.diverged ? { diverged: true } : {}),
  });
  printJson({
    config: { ...file.config, seed, newFactsSeed: zero.newFacts.seed, steps, ...optimizer },
    backend,
    chance: 1 / n,
    // The maps are fitted on the 80% split of `measure` (the file's fact seed) and validated on the rest.
    heldOutSubjects: zero.heldOutSubjects,
    superpositionFitR2: round(zero.fitHeldOutR2),
    superpositionFitTrainR2: round(zero.fitTrainR2),
    featuresPerSubject: round(zero.featuresPerSubject),
    interpolates: zero.interpolates,
    reconstructedAccuracyByRelation: zero.reconstructedAccuracyByRelation.map(round),
    fittedReconstructedAccuracyByRelation: zero.fittedReconstructedAccuracyByRelation.map(round),
    zeroShotAccuracyByRelation: zero.accuracyByRelation,
    unchangedEmbeddingsAccuracyByRelation: zero.unchangedAccuracyByRelation,
    embeddingsOnly: run(retrained.embeddingsOnly),
    fromScratch: run(retrained.fromScratch),
  });
  return 0;
}

const command: CliCommand = {
  usage: `  transfer   --weights FILE [--seed S --steps T --lr LR --backend wasm|cpu]`,
  run: transferCommand,
};
export default command;
