/**
 * `capacity`: the smallest d that reaches 100% within a step budget, for each N of a grid, for learned
 * and frozen subject embeddings, beside the construction's d* (docs/science.md §5). Prints one JSON line
 * with the points and the fitted slopes of d_min against log2 N; --out writes the full report
 * (every trial) as JSON, the format the page reads its precomputed grid from; it is rewritten after
 * every finished point, so an interrupted sweep keeps its points. Every trial trains with the optimiser
 * flags of `train` (Adam, lr 0.01, by default).
 */
import { CAPACITY_ARMS, capacitySweep, DEFAULT_CAPACITY, type CapacityArm, type CapacitySettings } from './capacity';
import { PARAMS } from '../../core/model/params';
import { parseFlags, UsageError } from '../../cli/args';
import { BACKEND_FLAG, checkFullBatch, OPTIMIZER_FLAGS, optimizerFromFlags, printJson, SEED_FLAG } from '../../cli/common';
import type { CliCommand } from '../registry';
import { startSweep, writeFileAtomically } from '../../cli/nodeIo';

const num = (param: (typeof PARAMS)[keyof typeof PARAMS]) => ({ kind: 'number' as const, param });

export async function capacityCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('capacity', argv, {
    n: { kind: 'list', param: PARAMS.n },
    r: num(PARAMS.r),
    m: num(PARAMS.m),
    lr: num(PARAMS.lr),
    steps: num(PARAMS.steps),
    seed: SEED_FLAG,
    'd-floor': { kind: 'number', param: { ...PARAMS.d, label: 'd-floor (smallest d tried)' } },
    'd-max': { kind: 'number', param: { ...PARAMS.d, label: 'd-max (largest d tried)' } },
    arms: { kind: 'list', choices: CAPACITY_ARMS },
    backend: BACKEND_FLAG,
    out: { kind: 'string' },
    ...OPTIMIZER_FLAGS,
  });
  const optimizer = optimizerFromFlags('capacity', flags);
  const ns = (flags.n as number[] | undefined) ?? DEFAULT_CAPACITY.ns;
  const settings: CapacitySettings = {
    ns: [...new Set(ns)].sort((a, b) => a - b),
    r: (flags.r as number) ?? DEFAULT_CAPACITY.r,
    m: (flags.m as number) ?? DEFAULT_CAPACITY.m,
    // --lr, else the optimiser's default (Adam's is DEFAULT_CAPACITY.lr).
    ...optimizer,
    steps: (flags.steps as number) ?? DEFAULT_CAPACITY.steps,
    seed: (flags.seed as number) ?? DEFAULT_CAPACITY.seed,
    dFloor: (flags['d-floor'] as number) ?? DEFAULT_CAPACITY.dFloor,
    dMax: (flags['d-max'] as number) ?? DEFAULT_CAPACITY.dMax,
    arms: (flags.arms as CapacityArm[] | undefined) ?? DEFAULT_CAPACITY.arms,
  };
  if (settings.dFloor > settings.dMax) throw new UsageError(`capacity: --d-floor (${settings.dFloor}) is above --d-max (${settings.dMax})`);
  checkFullBatch('capacity', settings.ns[settings.ns.length - 1], settings.r);
  const { out, backend, progress } = await startSweep('capacity', flags);
  // A long sweep keeps what it has: every finished point rewrites --out (complete: false until the end).
  const save = (body: object) => {
    if (!out) return;
    writeFileAtomically(out, JSON.stringify({ format: 'factual-recall-capacity', version: 1, backend, ...body }, null, 1) + '\n');
  };
  const report = await capacitySweep(settings, {
    onProgress: (p) => {
      if (!p.current) {
        save({ complete: false, settings, points: p.points, trials: p.trials });
        return;
      }
      const c = p.current;
      progress.update(`capacity [${backend}] ${c.arm} N=${c.n} d=${c.d} step ${c.step}/${c.steps}  (${p.cellsDone}/${p.cells} points, ${p.trials.length} trials done)`);
    },
  });
  progress.done();
  save({ complete: true, ...report });
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  printJson({
    settings,
    backend,
    points: report.points.map((p) => ({ arm: p.arm, n: p.n, dMin: p.dMin, ...(p.accuracy !== undefined ? { accuracy: p.accuracy } : {}) })),
    fits: Object.fromEntries(Object.entries(report.fits).map(([arm, f]) => [arm, f && { slope: round(f.slope), intercept: round(f.intercept), r2: round(f.r2), points: f.points }])),
    trials: report.trials.length,
    seconds: Math.round(report.seconds),
    ...(out ? { out } : {}),
  });
  return 0;
}

const command: CliCommand = {
  usage: `  capacity   [--n 64,128,256,512,1024 --r 4 --m 256 --steps 1000 --lr LR --seed S --d-floor D
             --d-max D --arms learned,frozen --backend wasm|cpu --out FILE]`,
  run: capacityCommand,
};
export default command;
