/** `eval`: loads a weight file and measures accuracy per relation on its fact table. */
import type { BackendName } from '../core/training/backends';
import { evaluateAccuracy, sampleFactIndices } from '../core/measure/evaluate';
import { disposeModel, modelFromArrays } from '../core/model/model';
import { factsOf } from '../core/model/weights';
import { parseFlags, requireFlags, UsageError } from './args';
import { BACKEND_FLAG, printJson, SAMPLE_FLAG, SEED_FLAG, WEIGHTS_FLAG } from './common';
import { readWeightFile, startBackend } from './nodeIo';

export async function evalCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('eval', argv, { weights: WEIGHTS_FLAG, sample: SAMPLE_FLAG, seed: SEED_FLAG, backend: BACKEND_FLAG });
  requireFlags('eval', flags, ['weights']);
  const file = readWeightFile('eval', flags.weights as string);
  const total = file.config.n * file.config.r;
  if (flags.sample !== undefined && (flags.sample as number) > total) {
    throw new UsageError(`eval: --sample must be at most n × r = ${total}; got ${flags.sample}`);
  }
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  await startBackend(backend);
  const facts = factsOf(file);
  const model = modelFromArrays(file.config, file.weights);
  const indices = flags.sample !== undefined ? sampleFactIndices(total, flags.sample as number, (flags.seed as number) ?? 0) : undefined;
  const report = await evaluateAccuracy(model, facts, { indices });
  disposeModel(model);
  printJson({
    config: file.config,
    backend,
    factsEvaluated: report.factsEvaluated,
    accuracyByRelation: report.accuracyByRelation,
    loss: report.loss,
  });
  return 0;
}
