/**
 * Which training finds the geometry? (docs/science.md §9.) One fact table, one set of initial weights,
 * and each optimiser of §2 (Adam, SGD with momentum, plain GD, sign descent) trained on it with its
 * defaults for a fixed step budget (no early stop), round-robin: every optimiser takes a chunk of
 * steps in turn, so a live run draws all of them side by side. Along the way the held-out probe
 * accuracy (§4) is measured every `probeEvery` steps; at the end every §4 measurement: held-out
 * probes, the superposition R² beside its relation-symmetric baseline, the knock-out diagonal and
 * off-diagonal means, zero-shot transfer with its held-out validation, and steps to 100%.
 *
 * The same code serves the CLI (`optimizers`, the chapter's precomputed sweep) and the experiment
 * worker (the chapter's live run). Every tensor it makes is disposed.
 */
import { makeFacts, type Facts } from '../../core/model/facts';
import { disposeModel, initialWeights, modelFromArrays, readWeights, type Model, type ModelConfig } from '../../core/model/model';
import { measureGating, measureKnockout, probesFromWeights, subjectSplit, superpositionFromWeights } from '../../core/measure/measure';
import { OPTIMIZERS, type OptimizerName, type OptimizerSettings } from '../../core/training/optimizerSettings';
import { decodeStats, stepAndRead, Trainer, type StepStats } from '../../core/training/train';
import { zeroShotTransfer } from '../transfer/transfer';
import type { GeometrySummary, OptimizerSweepRecord, OptimizerSweepSettings, ProbePoint } from './optimizerTable';

export type { GeometrySummary, ProbePoint } from './optimizerTable';

export interface OptimizerComparisonSettings {
  n: number;
  r: number;
  d: number;
  m: number;
  /** Step budget of every optimiser; no early stop. */
  steps: number;
  /** Seeds the facts, the initial weights (shared by every optimiser), the probes' split and the transfer's new facts. */
  seed: number;
  optimizers: OptimizerName[];
  /** Measure the held-out probes every this many steps of each optimiser (0: only at the end). */
  probeEvery: number;
  /** Keep a loss/accuracy point every this many steps (rounded up to the read chunk; default: every chunk). */
  curveEvery?: number;
}

/** A point of the training curve: the forward pass on the weights after `step` updates. */
export interface CurvePoint {
  step: number;
  loss: number;
  accuracyByRelation: number[];
}

/** One optimiser's run. */
export interface OptimizerRun {
  optimizer: OptimizerName;
  /** Its settings, defaults filled in. */
  settings: OptimizerSettings;
  /** Updates applied. */
  steps: number;
  /** Updates after which every fact was first right; null if not within the budget. */
  stepsTo100: number | null;
  /** The step at which the loss became NaN or infinite (the run stopped there); null if it did not. */
  divergedAt: number | null;
  /** The last training step read (its forward pass). */
  last: CurvePoint | null;
  curve: CurvePoint[];
  probes: ProbePoint[];
  /** The final measurements; null while training, after a divergence, or when cancelled before them. */
  geometry: GeometrySummary | null;
  seconds: number;
}

export interface OptimizerComparison {
  settings: OptimizerComparisonSettings;
  runs: OptimizerRun[];
  /** Set when `shouldStop` ended the comparison early; the runs hold what was done. */
  cancelled: boolean;
  seconds: number;
}

export interface ComparisonProgress {
  phase: 'training' | 'measuring';
  /** 0…1, never going back: training is 90%, the final measurements the rest. */
  fraction: number;
  /** The runs so far (live objects: copy what you keep). */
  runs: OptimizerRun[];
}

export interface ComparisonOptions {
  /** Steps per chunk between readbacks (default 10). */
  readEvery?: number;
  /** Called after every chunk of steps and after each final measurement; awaited (a worker may yield there). */
  onProgress?: (p: ComparisonProgress) => void | Promise<void>;
  /** Polled between chunks. */
  shouldStop?: () => boolean;
}

export function checkComparisonSettings(s: OptimizerComparisonSettings): void {
  for (const key of ['n', 'r', 'd', 'm', 'steps'] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) throw new Error(`optimizers: ${key} must be a positive integer, got ${s[key]}`);
  }
  if (s.n < 2) throw new Error(`optimizers: n must be at least 2, got ${s.n}`);
  if (!Number.isInteger(s.probeEvery) || s.probeEvery < 0) throw new Error(`optimizers: probeEvery must be a non-negative integer, got ${s.probeEvery}`);
  if (s.optimizers.length === 0) throw new Error('optimizers: choose at least one optimiser');
  for (const o of s.optimizers) if (!OPTIMIZERS.includes(o)) throw new Error(`optimizers: unknown optimiser ${JSON.stringify(o)}`);
  if (new Set(s.optimizers).size !== s.optimizers.length) throw new Error('optimizers: an optimiser is listed twice');
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/**
 * Every §4 number of `model` on `facts`: the probes and the superposition fit on the subject split of
 * `seed`, the gating and knock-out on all facts, zero-shot transfer to new bijections drawn from `seed`.
 * Leaves the model untouched.
 */
export async function measureGeometry(model: Model, facts: Facts, seed: number): Promise<GeometrySummary> {
  const split = subjectSplit(facts.n, seed);
  const weights = await readWeights(model);
  const { maps: _probeMaps, ...probe } = await probesFromWeights(weights, facts, split);
  const { maps: _maps, ...superposition } = superpositionFromWeights(weights, facts, split);
  const gating = await measureGating(model, facts);
  const knockout = await measureKnockout(model, facts, gating);
  const zero = await zeroShotTransfer(model, facts, { seed, split });
  const selectiveUnits = knockout.unitsRemoved.reduce((a, b) => a + b, 0);
  return {
    chance: 1 / facts.n,
    heldOutSubjects: split.heldOut.length,
    probeHeldOut: probe.heldOutAccuracy,
    probeMin: Math.min(...probe.heldOutAccuracy),
    probeMean: mean(probe.heldOutAccuracy),
    superpositionR2: superposition.heldOutR2,
    superpositionTrainR2: superposition.trainR2,
    baselineR2: superposition.baselineHeldOutR2,
    controlR2: superposition.controlHeldOutR2,
    interpolates: superposition.interpolates,
    gatingSelectivity: gating.meanSelectivity,
    selectivityThreshold: knockout.threshold,
    selectiveUnits,
    sharedUnits: knockout.sharedUnits,
    knockoutDiagonal: knockout.diagonalMean,
    knockoutOffDiagonal: knockout.offDiagonalMean,
    zeroShot: zero.accuracyByRelation,
    zeroShotMean: mean(zero.accuracyByRelation),
    transferValidation: zero.reconstructedAccuracyByRelation,
    transferValidationMean: mean(zero.reconstructedAccuracyByRelation),
  };
}

interface Arm {
  run: OptimizerRun;
  model: Model;
  trainer: Trainer;
  started: number;
  nextProbe: number;
  nextCurve: number;
  done: boolean;
  disposed: boolean;
}

function disposeTrainer(arm: Arm): void {
  if (arm.disposed) return;
  arm.disposed = true;
  arm.trainer.dispose();
}

async function probeNow(arm: Arm, facts: Facts, seed: number): Promise<void> {
  const weights = await readWeights(arm.model);
  const { heldOutAccuracy } = await probesFromWeights(weights, facts, subjectSplit(facts.n, seed));
  arm.run.probes.push({ step: arm.trainer.stepsDone, heldOut: heldOutAccuracy });
}

/**
 * Trains every optimiser of `settings` from the same initial weights on the same facts, round-robin
 * in chunks of `readEvery` steps, then measures each (`measureGeometry`). Cancelling keeps the curves
 * so far and skips the final measurements not yet made.
 */
export async function compareOptimizers(settings: OptimizerComparisonSettings, options: ComparisonOptions = {}): Promise<OptimizerComparison> {
  checkComparisonSettings(settings);
  const started = performance.now();
  const readEvery = Math.max(1, options.readEvery ?? 10);
  const curveEvery = Math.max(1, settings.curveEvery ?? readEvery);
  const { n, r, d, m, steps, seed } = settings;
  const config: ModelConfig = { n, r, d, m, heads: 1, seqLen: 2 };
  const facts = makeFacts(n, r, seed);
  const init = initialWeights(config, seed);
  const arms: Arm[] = [];
  let cancelled = false;
  const stop = () => (cancelled ||= options.shouldStop?.() ?? false);
  const runs = () => arms.map((a) => a.run);
  const trainingFraction = () => (0.9 * arms.reduce((a, x) => a + (x.done ? steps : x.trainer.stepsDone), 0)) / (steps * settings.optimizers.length);
  try {
    for (const optimizer of settings.optimizers) {
      const model = modelFromArrays(config, init);
      let trainer: Trainer;
      try {
        trainer = new Trainer(model, facts, { optimizer, seed });
      } catch (e) {
        disposeModel(model);
        throw e;
      }
      arms.push({
        run: { optimizer, settings: trainer.optimizerSettings, steps: 0, stepsTo100: null, divergedAt: null, last: null, curve: [], probes: [], geometry: null, seconds: 0 },
        model,
        trainer,
        started: 0,
        nextProbe: 0,
        nextCurve: curveEvery,
        done: false,
        disposed: false,
      });
    }
    // The probes at step 0 (the shared initial weights), then rounds of chunks.
    for (const arm of arms) {
      if (settings.probeEvery > 0) {
        await probeNow(arm, facts, seed);
        arm.nextProbe = settings.probeEvery;
      }
    }
    await options.onProgress?.({ phase: 'training', fraction: 0, runs: runs() });
    while (!stop() && arms.some((a) => !a.done)) {
      for (const arm of arms) {
        if (arm.done || stop()) continue;
        const t0 = performance.now();
        const { trainer, run } = arm;
        // Chunks end at the probe steps, so every probe is taken exactly on its step.
        let count = Math.min(readEvery, steps - trainer.stepsDone);
        if (settings.probeEvery > 0 && arm.nextProbe > trainer.stepsDone) count = Math.min(count, arm.nextProbe - trainer.stepsDone);
        const { steps: at, values } = await stepAndRead(trainer, count);
        const width = 1 + 2 * r;
        const read: StepStats[] = at.map((step, i) => decodeStats(step, values.subarray(i * width, (i + 1) * width), r));
        const point = (s: StepStats): CurvePoint => ({ step: s.step, loss: s.loss, accuracyByRelation: s.accuracyByRelation });
        for (const s of read) {
          if (run.stepsTo100 === null && s.accuracyByRelation.every((a) => a === 1)) run.stepsTo100 = s.step;
          if (run.divergedAt === null && !Number.isFinite(s.loss)) run.divergedAt = s.step;
          if (s.step === 0) run.curve.push(point(s));
        }
        // The curve: step 0, then the last step of a chunk every `curveEvery` steps, and the run's last step.
        const last = read[read.length - 1];
        run.last = point(last);
        run.steps = trainer.stepsDone;
        const ending = run.divergedAt !== null || trainer.stepsDone >= steps;
        if (last.step > 0 && (trainer.stepsDone >= arm.nextCurve || ending)) {
          run.curve.push(run.last);
          arm.nextCurve = trainer.stepsDone + curveEvery;
        }
        if (run.divergedAt !== null) arm.done = true;
        else {
          if (settings.probeEvery > 0 && trainer.stepsDone >= arm.nextProbe) {
            await probeNow(arm, facts, seed);
            arm.nextProbe += settings.probeEvery;
          }
          if (trainer.stepsDone >= steps) arm.done = true;
        }
        run.seconds += (performance.now() - t0) / 1000;
        // After every chunk, so that a worker yields (and hears a cancel) every few steps.
        await options.onProgress?.({ phase: 'training', fraction: trainingFraction(), runs: runs() });
      }
    }
    // The final measurements, one optimiser at a time (a diverged model holds NaN: nothing to measure).
    for (let i = 0; i < arms.length && !stop(); i++) {
      const arm = arms[i];
      disposeTrainer(arm);
      if (arm.run.divergedAt === null) {
        const t0 = performance.now();
        if (settings.probeEvery > 0 && arm.run.probes[arm.run.probes.length - 1]?.step !== arm.trainer.stepsDone) await probeNow(arm, facts, seed);
        arm.run.geometry = await measureGeometry(arm.model, facts, seed);
        arm.run.seconds += (performance.now() - t0) / 1000;
      }
      await options.onProgress?.({ phase: 'measuring', fraction: 0.9 + (0.1 * (i + 1)) / arms.length, runs: runs() });
    }
  } finally {
    for (const arm of arms) {
      disposeTrainer(arm);
      disposeModel(arm.model);
    }
  }
  return { settings, runs: runs(), cancelled, seconds: (performance.now() - started) / 1000 };
}

/** A finished run as the sweep's file holds it (no loss curve: the probes carry the time course). */
export function sweepRecord(settings: OptimizerComparisonSettings, run: OptimizerRun): OptimizerSweepRecord {
  return {
    n: settings.n,
    r: settings.r,
    d: settings.d,
    m: settings.m,
    seed: settings.seed,
    optimizer: run.optimizer,
    settings: run.settings,
    steps: run.steps,
    stepsTo100: run.stepsTo100,
    divergedAt: run.divergedAt,
    loss: run.last?.loss ?? NaN,
    accuracyByRelation: run.last?.accuracyByRelation ?? [],
    probes: run.probes,
    geometry: run.geometry,
    seconds: run.seconds,
  };
}

export interface SweepProgress {
  /** Fact tables (N, R, seed) finished, of `tables`. */
  tablesDone: number;
  tables: number;
  /** The table under way and its comparison's progress; null between tables. */
  current: { n: number; r: number; seed: number; progress: ComparisonProgress } | null;
  records: OptimizerSweepRecord[];
}

export interface OptimizerSweepResult {
  settings: OptimizerSweepSettings;
  records: OptimizerSweepRecord[];
  cancelled: boolean;
  seconds: number;
}

/**
 * The sweep of the chapter's table: for every N, R and seed (in that order), `compareOptimizers` on
 * that fact table. A table cancelled half-way adds nothing (its half-trained runs say nothing).
 */
export async function optimizerSweep(
  settings: OptimizerSweepSettings,
  options: { onProgress?: (p: SweepProgress) => void | Promise<void>; shouldStop?: () => boolean } = {},
): Promise<OptimizerSweepResult> {
  const started = performance.now();
  const records: OptimizerSweepRecord[] = [];
  const tables = settings.ns.length * settings.rs.length * settings.seeds.length;
  let tablesDone = 0;
  let cancelled = false;
  outer: for (const n of settings.ns) {
    for (const r of settings.rs) {
      for (const seed of settings.seeds) {
        if (options.shouldStop?.()) {
          cancelled = true;
          break outer;
        }
        const table: OptimizerComparisonSettings = { n, r, d: settings.d, m: settings.m, steps: settings.steps, seed, optimizers: settings.optimizers, probeEvery: settings.probeEvery };
        const result = await compareOptimizers(table, {
          shouldStop: options.shouldStop,
          onProgress: (progress) => options.onProgress?.({ tablesDone, tables, current: { n, r, seed, progress }, records }),
        });
        if (result.cancelled) {
          cancelled = true;
          break outer;
        }
        for (const run of result.runs) records.push(sweepRecord(table, run));
        tablesDone += 1;
        await options.onProgress?.({ tablesDone, tables, current: null, records });
      }
    }
  }
  return { settings, records, cancelled, seconds: (performance.now() - started) / 1000 };
}
