/**
 * `optimizers`: which training finds the geometry (docs/science.md §9). For every N, R and seed, one fact
 * table and one set of initial weights; each optimiser trained on it with its defaults for the step
 * budget (no early stop), then measured (§4): held-out probes, superposition R² and its baseline,
 * knock-out diagonal and off-diagonal, zero-shot transfer and its validation, steps to 100%.
 * Prints one JSON line with a row per run and the table (mean over seeds); --out writes every record,
 * the format the chapter reads its precomputed table from, rewritten after every fact table
 * (`complete: false` until the end).
 */
import { OPTIMIZERS, type OptimizerName } from '../../core/training/optimizerSettings';
import { optimizerSweep } from './optimizerSweep';
import { DEFAULT_OPTIMIZER_SWEEP, optimizerTable, type OptimizerSweepSettings, type Spread } from './optimizerTable';
import { PARAMS } from '../../core/model/params';
import { parseFlags, UsageError } from '../../cli/args';
import { BACKEND_FLAG, checkFullBatch, printJson } from '../../cli/common';
import type { CliCommand } from '../registry';
import { startSweep, writeFileAtomically } from '../../cli/nodeIo';

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null);
const roundSpread = (s: Spread) => ({ mean: round(s.mean), min: round(s.min), max: round(s.max), count: s.count });

export const OPTIMIZERS_FORMAT = 'factual-recall-optimizers';

export async function optimizersCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('optimizers', argv, {
    n: { kind: 'list', param: PARAMS.n },
    r: { kind: 'list', param: PARAMS.r },
    seeds: { kind: 'list', param: PARAMS.seed },
    optimizers: { kind: 'list', choices: OPTIMIZERS },
    d: { kind: 'number', param: PARAMS.d },
    m: { kind: 'number', param: PARAMS.m },
    steps: { kind: 'number', param: PARAMS.steps },
    'probe-every': { kind: 'number', param: { ...PARAMS.steps, label: 'probe-every (steps between probe measurements)' } },
    backend: BACKEND_FLAG,
    out: { kind: 'string' },
  });
  const D = DEFAULT_OPTIMIZER_SWEEP;
  const sorted = (xs: number[] | undefined, fallback: number[]) => [...new Set(xs ?? fallback)].sort((a, b) => a - b);
  const settings: OptimizerSweepSettings = {
    ns: sorted(flags.n as number[] | undefined, D.ns),
    rs: sorted(flags.r as number[] | undefined, D.rs),
    seeds: sorted(flags.seeds as number[] | undefined, D.seeds),
    optimizers: (flags.optimizers as OptimizerName[] | undefined) ?? D.optimizers,
    d: (flags.d as number) ?? D.d,
    m: (flags.m as number) ?? D.m,
    steps: (flags.steps as number) ?? D.steps,
    probeEvery: (flags['probe-every'] as number) ?? D.probeEvery,
  };
  checkFullBatch('optimizers', settings.ns[settings.ns.length - 1], settings.rs[settings.rs.length - 1]);
  if (settings.probeEvery > settings.steps) throw new UsageError(`optimizers: --probe-every (${settings.probeEvery}) is above --steps (${settings.steps})`);
  const { out, backend, progress } = await startSweep('optimizers', flags);
  const save = (body: object) => {
    if (!out) return;
    // Four significant digits: the page bundles this file, and no measurement here is finer than that.
    const compact = (_key: string, v: unknown) => (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);
    writeFileAtomically(out, JSON.stringify({ format: OPTIMIZERS_FORMAT, version: 1, backend, settings, ...body }, compact) + '\n');
  };
  const started = performance.now();
  const result = await optimizerSweep(settings, {
    onProgress: (p) => {
      if (!p.current) {
        save({ complete: false, seconds: Math.round((performance.now() - started) / 1000), records: p.records });
        return;
      }
      const { n, r, seed, progress: c } = p.current;
      const at = c.runs.map((run) => `${run.optimizer} ${run.steps}`).join(', ');
      progress.update(
        `optimizers [${backend}] N=${n} R=${r} seed ${seed} (table ${p.tablesDone + 1}/${p.tables}) ${c.phase === 'training' ? `steps: ${at}` : 'measuring'}  ${Math.round((performance.now() - started) / 1000)} s`,
      );
    },
  });
  progress.done();
  save({ complete: true, seconds: Math.round(result.seconds), records: result.records });
  const table = optimizerTable(result.records);
  printJson({
    settings,
    backend,
    runs: result.records.map((x) => ({
      n: x.n,
      r: x.r,
      seed: x.seed,
      optimizer: x.optimizer,
      stepsTo100: x.stepsTo100,
      ...(x.divergedAt !== null ? { divergedAt: x.divergedAt } : {}),
      accuracy: round(Math.min(...x.accuracyByRelation)),
      probeHeldOut: x.geometry?.probeHeldOut.map(round) ?? null,
      superpositionR2: round(x.geometry?.superpositionR2 ?? NaN),
      baselineR2: round(x.geometry?.baselineR2 ?? NaN),
      interpolates: x.geometry?.interpolates ?? null,
      knockoutDiagonal: round(x.geometry?.knockoutDiagonal ?? NaN),
      knockoutOffDiagonal: round(x.geometry?.knockoutOffDiagonal ?? NaN),
      zeroShot: round(x.geometry?.zeroShotMean ?? NaN),
      transferValidation: round(x.geometry?.transferValidationMean ?? NaN),
      seconds: round(x.seconds),
    })),
    table: table.map((row) => ({
      n: row.n,
      r: row.r,
      optimizer: row.optimizer,
      seeds: row.seeds.length,
      reached: row.reached,
      diverged: row.diverged,
      interpolating: row.interpolating,
      stepsTo100: roundSpread(row.stepsTo100),
      ...Object.fromEntries(Object.entries(row.metrics).map(([k, s]) => [k, roundSpread(s)])),
    })),
    seconds: Math.round(result.seconds),
    ...(out ? { out } : {}),
  });
  return 0;
}

const command: CliCommand = {
  usage: `  optimizers [--n 256 --r 2,4,8 --seeds 1,2,3 --optimizers adam,sgd,gd,sign --d 32 --m 256 --steps 1000
             --probe-every 100 --backend wasm|cpu --out FILE]`,
  run: optimizersCommand,
};
export default command;
