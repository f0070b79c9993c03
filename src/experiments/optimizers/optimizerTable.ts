/**
 * The optimiser sweep's records and their table (docs/science.md §9), tfjs-free: the CLI writes the
 * records, the page reads them back and aggregates them here, so both show the same numbers.
 *
 * A record is one optimiser trained on one fact table (N, R, seed) for a fixed step budget, with the
 * §4 measurements at its end (optimizerSweep.ts). A table row is one (N, R, optimiser) over its seeds:
 * the mean of every measurement, with its smallest and largest value.
 */
import type { OptimizerName, OptimizerSettings } from '../../core/training/optimizerSettings';
import { OPTIMIZERS } from '../../core/training/optimizerSettings';

/** Every §4 number of a trained model, as the chapter's table shows them (optimizerSweep.ts computes it). */
export interface GeometrySummary {
  /** 1/N: a random guess. */
  chance: number;
  heldOutSubjects: number;
  /** Held-out probe accuracy per relation, and its minimum and mean over relations. */
  probeHeldOut: number[];
  probeMin: number;
  probeMean: number;
  /** Superposition R² on held-out subjects (e_s ≈ Σ_r A_r u_{π_r(s)}) and on the fitted ones. */
  superpositionR2: number;
  superpositionTrainR2: number;
  /** The relation-symmetric baseline e_s ≈ A·Σ_r u_{π_r(s)} (one shared map), held out: a reference, not a test. */
  baselineR2: number;
  /** The same R-map fit against unrelated bijections, held out: about 0 when the fit can be read. */
  controlR2: number;
  /** True when R·d is too close to the number of fitted subjects for the held-out R² to be read. */
  interpolates: boolean;
  /** Mean gating selectivity over active units. */
  gatingSelectivity: number;
  /** The selectivity a unit needs to be assigned to a relation and zeroed in the knock-out. */
  selectivityThreshold: number;
  /** Units assigned to a relation (zeroed for it), and active units below the threshold (shared, never zeroed). */
  selectiveUnits: number;
  sharedUnits: number;
  /** Mean accuracy of relation k with k's selective units zeroed (chance for the construction), and of the other relations (1 for it). */
  knockoutDiagonal: number;
  knockoutOffDiagonal: number;
  /** Zero-shot transfer: accuracy per relation on new bijections with e'_s = Σ_r A_r u_{π'_r(s)}, no training; and its mean. */
  zeroShot: number[];
  zeroShotMean: number;
  /** The maps' validation: accuracy on the old facts of held-out subjects with their reconstructed embeddings; and its mean. */
  transferValidation: number[];
  transferValidationMean: number;
}

/** The held-out probe accuracy per relation after `step` updates. */
export interface ProbePoint {
  step: number;
  heldOut: number[];
}

/** One optimiser on one fact table, as the sweep's file holds it. */
export interface OptimizerSweepRecord {
  n: number;
  r: number;
  d: number;
  m: number;
  seed: number;
  optimizer: OptimizerName;
  settings: OptimizerSettings;
  /** Updates applied (the budget, unless the run diverged). */
  steps: number;
  stepsTo100: number | null;
  divergedAt: number | null;
  /** Training loss and accuracy per relation at the last step read. */
  loss: number;
  accuracyByRelation: number[];
  /** Held-out probes along the way. */
  probes: ProbePoint[];
  /** Null when the run diverged. */
  geometry: GeometrySummary | null;
  seconds: number;
}

export interface OptimizerSweepSettings {
  ns: number[];
  rs: number[];
  seeds: number[];
  optimizers: OptimizerName[];
  d: number;
  m: number;
  steps: number;
  probeEvery: number;
}

export const DEFAULT_OPTIMIZER_SWEEP: OptimizerSweepSettings = {
  ns: [256],
  rs: [2, 4, 8],
  seeds: [1, 2, 3],
  optimizers: [...OPTIMIZERS],
  d: 32,
  m: 256,
  steps: 1000,
  probeEvery: 100,
};

/** The command line that runs a sweep with these settings. */
export function optimizerSweepCommand(s: OptimizerSweepSettings, out?: string): string {
  const parts = [
    'npm run cli -- optimizers',
    `--n ${s.ns.join(',')}`,
    `--r ${s.rs.join(',')}`,
    `--seeds ${s.seeds.join(',')}`,
    `--optimizers ${s.optimizers.join(',')}`,
    `--d ${s.d}`,
    `--m ${s.m}`,
    `--steps ${s.steps}`,
    `--probe-every ${s.probeEvery}`,
  ];
  if (out) parts.push(`--out ${out}`);
  return parts.join(' ');
}

/** Mean, smallest and largest of a measurement over the seeds that have it. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
  /** Seeds measured. */
  count: number;
}

export function spread(values: number[]): Spread {
  const xs = values.filter((x) => Number.isFinite(x));
  if (xs.length === 0) return { mean: NaN, min: NaN, max: NaN, count: 0 };
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs), count: xs.length };
}

/** The table's measurements, each a number per record (NaN when not measured). */
export const TABLE_METRICS = {
  probeMin: (g: GeometrySummary) => g.probeMin,
  probeMean: (g: GeometrySummary) => g.probeMean,
  superpositionR2: (g: GeometrySummary) => g.superpositionR2,
  baselineR2: (g: GeometrySummary) => g.baselineR2,
  knockoutDiagonal: (g: GeometrySummary) => g.knockoutDiagonal,
  knockoutOffDiagonal: (g: GeometrySummary) => g.knockoutOffDiagonal,
  zeroShot: (g: GeometrySummary) => g.zeroShotMean,
  transferValidation: (g: GeometrySummary) => g.transferValidationMean,
} as const;
export type TableMetric = keyof typeof TABLE_METRICS;

/** One (N, R, optimiser) over its seeds. */
export interface OptimizerTableRow {
  n: number;
  r: number;
  d: number;
  optimizer: OptimizerName;
  seeds: number[];
  /** Runs whose loss became NaN or infinite (left out of the measurements). */
  diverged: number;
  /** Runs that got every fact right within the budget, and the steps they took. */
  reached: number;
  stepsTo100: Spread;
  /** Held out probe (min over relations) etc., over the measured seeds. */
  metrics: Record<TableMetric, Spread>;
  /** Seeds whose superposition fit interpolates (its R² cannot be read). */
  interpolating: number;
  /** 1/N. */
  chance: number;
}

/** Rows ordered by N, R, then the optimisers' order in OPTIMIZERS. */
export function optimizerTable(records: OptimizerSweepRecord[]): OptimizerTableRow[] {
  const groups = new Map<string, OptimizerSweepRecord[]>();
  for (const rec of records) {
    const key = `${rec.n}:${rec.r}:${rec.d}:${rec.optimizer}`;
    const list = groups.get(key);
    if (list) list.push(rec);
    else groups.set(key, [rec]);
  }
  const rows: OptimizerTableRow[] = [];
  for (const list of groups.values()) {
    const { n, r, d, optimizer } = list[0];
    const measured = list.filter((x) => x.geometry !== null).map((x) => x.geometry!);
    const metrics = {} as Record<TableMetric, Spread>;
    for (const [name, get] of Object.entries(TABLE_METRICS) as [TableMetric, (g: GeometrySummary) => number][]) metrics[name] = spread(measured.map(get));
    const reachedRuns = list.filter((x) => x.stepsTo100 !== null);
    rows.push({
      n,
      r,
      d,
      optimizer,
      seeds: list.map((x) => x.seed).sort((a, b) => a - b),
      diverged: list.filter((x) => x.divergedAt !== null).length,
      reached: reachedRuns.length,
      stepsTo100: spread(reachedRuns.map((x) => x.stepsTo100!)),
      metrics,
      interpolating: measured.filter((g) => g.interpolates).length,
      chance: 1 / n,
    });
  }
  const order = (o: OptimizerName) => OPTIMIZERS.indexOf(o);
  return rows.sort((a, b) => a.n - b.n || a.r - b.r || a.d - b.d || order(a.optimizer) - order(b.optimizer));
}
