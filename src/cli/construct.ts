/** `construct`: builds the geometric construction (docs/science.md §3) and measures it by the forward pass. */
import type { BackendName } from '../core/training/backends';
import { buildConstruction, constructionDim } from '../core/model/construct';
import { evaluateAccuracy, sampleFactIndices } from '../core/measure/evaluate';
import { informationBits, makeFacts } from '../core/model/facts';
import { disposeModel, modelFromArrays, parameterCount } from '../core/model/model';
import { PARAMS } from '../core/model/params';
import { parseFlags, UsageError } from './args';
import { BACKEND_FLAG, printJson, SAMPLE_FLAG, SEED_FLAG, WEIGHTS_FLAG } from './common';
import { checkWritable, progressReporter, startBackend, writeWeightFile } from './nodeIo';

/** Largest N·d* we build: two such matrices (subjects, attributes) of float32 stay under 1 GiB. */
const MAX_TABLE_CELLS = 2 ** 27;

export async function constructCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('construct', argv, {
    n: { kind: 'number', param: PARAMS.nConstruct },
    r: { kind: 'number', param: PARAMS.r },
    sample: SAMPLE_FLAG,
    seed: SEED_FLAG,
    beta: { kind: 'number', param: PARAMS.beta },
    backend: BACKEND_FLAG,
    weights: WEIGHTS_FLAG,
  });
  const n = (flags.n as number) ?? 256;
  const r = (flags.r as number) ?? 4;
  const seed = (flags.seed as number) ?? 0;
  const beta = (flags.beta as number) ?? 4;
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  const total = n * r;
  if (flags.sample !== undefined && (flags.sample as number) > total) {
    throw new UsageError(`construct: --sample must be at most n × r = ${total}; got ${flags.sample}`);
  }
  const d = constructionDim(n, r);
  if (n * d > MAX_TABLE_CELLS) {
    throw new UsageError(`construct: --n/--r too large: n × d* = ${n * d} exceeds ${MAX_TABLE_CELLS} numbers per table`);
  }
  const weightsPath = flags.weights as string | undefined;
  if (weightsPath) checkWritable('construct', weightsPath);

  await startBackend(backend);
  const facts = makeFacts(n, r, seed);
  const built = buildConstruction(facts, beta);
  const model = modelFromArrays(built.config, built.weights);
  const indices = flags.sample !== undefined ? sampleFactIndices(total, flags.sample as number, seed) : undefined;
  const progress = progressReporter();
  const report = await evaluateAccuracy(model, facts, {
    indices,
    onBatch: (done, count) => progress.update(`construct: evaluated ${done}/${count} facts`),
  });
  progress.done();
  disposeModel(model);
  if (weightsPath) {
    await writeWeightFile(weightsPath, { config: built.config, facts: { n, r, seed }, meta: { madeBy: 'construct', beta }, weights: built.weights });
  }
  printJson({
    n,
    r,
    d: built.config.d,
    m: built.config.m,
    seed,
    backend,
    factsEvaluated: report.factsEvaluated,
    accuracyByRelation: report.accuracyByRelation,
    parameters: parameterCount(built.config),
    informationBits: informationBits(n, r),
    ...(weightsPath ? { weights: weightsPath } : {}),
  });
  return 0;
}
