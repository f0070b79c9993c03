/**
 * `multihop`: 2-hop queries (docs/science.md §6) at one (N, R, m) and one or several d: chain of thought with a single-hop
 * model against a model trained to answer the chains directly in one pass. Both train with the optimiser flags of
 * `train` (Adam, lr 0.01, by default).
 */
import type { BackendName } from '../../core/training/backends';
import { writeFileSync } from 'node:fs';
import { multihopExperiment, queryCount, type MultihopResult } from './multihop';
import { MAX_LOGIT_CELLS, PARAMS } from '../../core/model/params';
import { parseFlags, requireFlags, UsageError } from '../../cli/args';
import { BACKEND_FLAG, OPTIMIZER_FLAGS, optimizerFromFlags, printJson, SEED_FLAG } from '../../cli/common';
import type { CliCommand } from '../registry';
import { checkWritable, progressReporter, startBackend } from '../../cli/nodeIo';
import { multihopPoint, type MultihopTrainingPoint } from './multihopPoint';

const num = (param: (typeof PARAMS)[keyof typeof PARAMS]) => ({ kind: 'number' as const, param });
const round = (x: number) => Math.round(x * 1e4) / 1e4;

export async function multihopCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('multihop', argv, {
    n: num(PARAMS.n),
    r: num(PARAMS.r),
    d: { kind: 'list', param: PARAMS.d },
    m: num(PARAMS.m),
    heads: num(PARAMS.heads),
    hops: num(PARAMS.hops),
    steps: num(PARAMS.steps),
    seed: SEED_FLAG,
    lr: num(PARAMS.lr),
    sample: { kind: 'number', param: { ...PARAMS.sample, label: 'sample (chains trained and scored)' } },
    backend: BACKEND_FLAG,
    out: { kind: 'string' },
    ...OPTIMIZER_FLAGS,
  });
  const optimizer = optimizerFromFlags('multihop', flags);
  requireFlags('multihop', flags, ['n', 'r', 'd']);
  const n = flags.n as number;
  const r = flags.r as number;
  const ds = flags.d as number[];
  const m = (flags.m as number) ?? 256;
  const heads = (flags.heads as number) ?? 1;
  const hops = (flags.hops as number) ?? 2;
  const steps = (flags.steps as number) ?? 2000;
  const seed = (flags.seed as number) ?? 0;
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  for (const d of ds) if (d % heads !== 0) throw new UsageError(`multihop: --heads must divide --d (d=${d}, heads=${heads})`);
  const out = flags.out as string | undefined;
  if (out) checkWritable('multihop', out, '--out');
  const allChains = queryCount(n, r, hops);
  const sample = flags.sample as number | undefined;
  if (sample !== undefined && sample > allChains) {
    throw new UsageError(`multihop: --sample must be at most n × r^${hops} = ${allChains}; got ${sample}`);
  }
  const chains = sample ?? allChains;
  if ((n * r + chains) * n > MAX_LOGIT_CELLS) {
    throw new UsageError(
      `multihop: --n/--r too large: (n·r + ${chains} chains) × n = ${(n * r + chains) * n} logits per step exceeds ${MAX_LOGIT_CELLS}; pass a smaller --sample`,
    );
  }

  await startBackend(backend);
  const progress = progressReporter();
  const started = performance.now();
  const points = [];
  try {
    for (const d of ds) {
      const result = await multihopExperiment({
        n,
        r,
        d,
        m,
        heads,
        hops,
        steps,
        seed,
        ...optimizer,
        sample,
        onProgress: (model, step, loss, accuracy) =>
          progress.update(
            `multihop [${backend}] d=${d} ${model} step ${step + 1}/${steps}  loss ${loss.toFixed(4)}  accuracy ${(100 * accuracy).toFixed(1)}%  ${((performance.now() - started) / 1000).toFixed(1)} s`,
          ),
      });
      points.push(summary(result));
    }
  } finally {
    progress.done();
  }
  const config = { n, r, m, heads, hops, steps, seed, ...optimizer, sample: sample ?? null };
  // One d: the summary's fields at the top level; several: one entry per d under `points`.
  const report =
    ds.length === 1
      ? { config: { ...config, d: ds[0] }, backend, ...points[0], d: undefined, seconds: round((performance.now() - started) / 1000) }
      : { config: { ...config, d: ds }, backend, points, seconds: round((performance.now() - started) / 1000) };
  if (out) writeFileSync(out, JSON.stringify({ format: 'factual-recall-multihop', version: 1, ...report }, null, 1) + '\n');
  printJson({ ...report, ...(out ? { out } : {}) });
  return 0;
}

/** The numbers of one multihop experiment, as the CLI prints them (seconds and per-chain accuracies rounded). */
function summary(result: MultihopResult) {
  const p = multihopPoint(result);
  const rounded = (t: MultihopTrainingPoint) => ({ ...t, seconds: round(t.seconds) });
  return { ...p, directAccuracyByChain: p.directAccuracyByChain.map(round), singleHopTraining: rounded(p.singleHopTraining), directTraining: rounded(p.directTraining) };
}

const command: CliCommand = {
  usage: `  multihop   --n N --r R --d D[,D…] [--out FILE --m M --heads H --hops 2 --steps T --seed S --lr LR --sample K
             --backend wasm|cpu]`,
  run: multihopCommand,
};
export default command;
