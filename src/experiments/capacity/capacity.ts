/**
 * Capacity (docs/science.md §5): for each N of a grid, the smallest embedding dimension d at which
 * training reaches 100% within a step budget (same m, R, learning rate and optimiser: Adam unless the
 * settings name another), for learned
 * subject embeddings and for frozen random ones (the associative control), beside the
 * construction's d* = (R+1)⌈log2 N⌉ + R, which is checked to be exact at each N.
 *
 * The search per (arm, N) assumes success is monotone in d: it starts from a hint (the previous N's
 * d_min), gallops (×2 up on failure, ÷2 down on success) to bracket the threshold, then bisects to
 * the exact integer. A (arm, N) that still fails at dMax is reported as d_min = null ("above dMax").
 * One seed per point: d_min carries that run-to-run noise, and the report says so.
 */
import { constructionDim, buildConstruction } from '../../core/model/construct';
import { evaluateAccuracy } from '../../core/measure/evaluate';
import { makeFacts } from '../../core/model/facts';
import { createModel, disposeModel, modelFromArrays, type ModelConfig } from '../../core/model/model';
import type { OptimizerName } from '../../core/training/optimizerSettings';
import { train, Trainer } from '../../core/training/train';
import { fitLine, type LineFit } from '../../core/measure/lineFit';

export { fitLine, type LineFit } from '../../core/measure/lineFit';

export type CapacityArm = 'learned' | 'frozen';
export const CAPACITY_ARMS: readonly CapacityArm[] = ['learned', 'frozen'];

export interface CapacitySettings {
  /** Bijection sizes, ascending. */
  ns: number[];
  r: number;
  /** MLP width, the same at every point. */
  m: number;
  lr: number;
  /**
   * The optimiser and its settings (docs/science.md §2), the same in every trial; each one not given takes
   * the optimiser's default, Adam when none is named (so reports saved before these existed read as
   * Adam's).
   */
  optimizer?: OptimizerName;
  momentum?: number;
  embedLrMult?: number;
  weightDecay?: number;
  uniformAttention?: boolean;
  /** Step budget of one trial (full batch, stopped at the first step with every fact right). */
  steps: number;
  /** Seeds the facts and the initial weights of every trial. */
  seed: number;
  /** Search range of d. */
  dFloor: number;
  dMax: number;
  arms: CapacityArm[];
}

export const DEFAULT_CAPACITY: CapacitySettings = {
  ns: [64, 128, 256, 512, 1024],
  r: 4,
  m: 256,
  lr: 0.01,
  steps: 1000,
  seed: 1,
  dFloor: 2,
  dMax: 128,
  arms: ['learned', 'frozen'],
};

/** One training run at one (arm, N, d). */
export interface CapacityTrial {
  arm: CapacityArm;
  n: number;
  d: number;
  reached: boolean;
  /** Updates after which every fact was first right; null if never within the budget. */
  stepsTo100: number | null;
  steps: number;
  /** Lowest per-relation training accuracy at the last step read. */
  accuracy: number;
  diverged: boolean;
  seconds: number;
}

export interface CapacityPoint {
  arm: CapacityArm | 'construction';
  n: number;
  log2n: number;
  /** Smallest d that reached 100%; null when even dMax did not (learned/frozen only). */
  dMin: number | null;
  /** Construction only: its accuracy at d*, checked on every fact (1 when exact). */
  accuracy?: number;
}

export interface CapacityReport {
  settings: CapacitySettings;
  points: CapacityPoint[];
  trials: CapacityTrial[];
  /** d_min against log2 N, least squares over the points that reached 100%; null under 2 points. */
  fits: Partial<Record<CapacityArm | 'construction', LineFit | null>>;
  seconds: number;
  /** True when the sweep was cancelled before the end; the points so far are kept. */
  cancelled: boolean;
}

export interface SearchOptions {
  floor: number;
  max: number;
  /** First d to try (clamped into [floor, max]). */
  start: number;
  shouldStop?: () => boolean;
}

/**
 * The smallest integer d in [floor, max] for which `attempt(d)` succeeds, assuming monotone success.
 * Returns null when `attempt(max)` fails, or undefined when stopped before an answer.
 */
export async function searchMinimalD(attempt: (d: number) => Promise<boolean>, options: SearchOptions): Promise<number | null | undefined> {
  const { floor, max } = options;
  if (floor > max) throw new Error(`capacity: d floor ${floor} is above d max ${max}`);
  let fail = floor - 1; // largest d known to fail (floor − 1: none yet)
  let pass: number; // smallest d known to pass
  // A cancelled trial says nothing about d: check for a stop after every attempt.
  const tryD = async (d: number): Promise<boolean | undefined> => {
    if (options.shouldStop?.()) return undefined;
    const ok = await attempt(d);
    return options.shouldStop?.() ? undefined : ok;
  };
  const first = Math.min(max, Math.max(floor, Math.round(options.start)));
  const ok = await tryD(first);
  if (ok === undefined) return undefined;
  if (ok) {
    // Gallop down (halving) until a failure or the floor.
    pass = first;
    while (pass > floor) {
      const next = Math.max(floor, Math.floor(pass / 2));
      const r = await tryD(next);
      if (r === undefined) return undefined;
      if (!r) {
        fail = next;
        break;
      }
      pass = next;
    }
  } else {
    // Gallop up (doubling) until a success or dMax.
    fail = first;
    for (;;) {
      if (fail >= max) return null;
      const next = Math.min(max, fail * 2);
      const r = await tryD(next);
      if (r === undefined) return undefined;
      if (r) {
        pass = next;
        break;
      }
      fail = next;
    }
  }
  // Bisect (fail, pass].
  while (pass - fail > 1) {
    const mid = Math.floor((fail + pass) / 2);
    const r = await tryD(mid);
    if (r === undefined) return undefined;
    if (r) pass = mid;
    else fail = mid;
  }
  return pass;
}

export interface TrialOptions {
  /** Called after every readback with the steps done so far; a returned promise is awaited. */
  onStep?: (step: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

/** Trains one model at (arm, N, d) on the sweep's settings; disposes everything it made. */
export async function capacityTrial(arm: CapacityArm, n: number, d: number, settings: CapacitySettings, options: TrialOptions = {}): Promise<CapacityTrial> {
  const config: ModelConfig = { n, r: settings.r, d, m: settings.m, heads: 1, seqLen: 2 };
  const facts = makeFacts(n, settings.r, settings.seed);
  const frozen = arm === 'frozen';
  const model = createModel(config, settings.seed, { frozenSubjects: frozen });
  const { optimizer, lr, momentum, embedLrMult, weightDecay, uniformAttention } = settings;
  const trainer = new Trainer(model, facts, { optimizer, lr, momentum, embedLrMult, weightDecay, uniformAttention, freezeSubjects: frozen, seed: settings.seed });
  try {
    const result = await train(trainer, {
      maxSteps: settings.steps,
      stopAt100: true,
      readEvery: 10,
      onProgress: (read) => options.onStep?.(read[read.length - 1].step + 1),
      shouldStop: options.shouldStop,
    });
    const accuracy = result.last ? Math.min(...result.last.accuracyByRelation) : 0;
    return {
      arm,
      n,
      d,
      reached: result.stepsTo100 !== null,
      stepsTo100: result.stepsTo100,
      steps: result.steps,
      accuracy,
      diverged: result.diverged !== null,
      seconds: result.seconds,
    };
  } finally {
    trainer.dispose();
    disposeModel(model);
  }
}

/** The construction at N: its d* and its accuracy on every fact. */
export async function constructionPoint(n: number, r: number, seed: number): Promise<CapacityPoint> {
  const facts = makeFacts(n, r, seed);
  const built = buildConstruction(facts);
  const model = modelFromArrays(built.config, built.weights);
  try {
    const report = await evaluateAccuracy(model, facts);
    return { arm: 'construction', n, log2n: Math.log2(n), dMin: constructionDim(n, r), accuracy: Math.min(...report.accuracyByRelation) };
  } finally {
    disposeModel(model);
  }
}

export interface CapacityProgress {
  /** (arm, N) cells finished, of `cells`. */
  cellsDone: number;
  cells: number;
  /** The trial under way. */
  current: { arm: CapacityArm; n: number; d: number; step: number; steps: number } | null;
  trials: CapacityTrial[];
  points: CapacityPoint[];
}

export interface SweepOptions {
  /** Called at every trial's start, after every readback and at every finished point; awaited (a worker may yield there). */
  onProgress?: (p: CapacityProgress) => void | Promise<void>;
  shouldStop?: () => boolean;
}

export function checkCapacitySettings(s: CapacitySettings): void {
  if (s.ns.length === 0) throw new Error('capacity: no N to sweep');
  for (let i = 1; i < s.ns.length; i++) if (s.ns[i] <= s.ns[i - 1]) throw new Error('capacity: the N grid must be strictly increasing');
  if (s.ns[0] < 2) throw new Error('capacity: every N must be at least 2');
  if (s.dFloor < 1 || s.dFloor > s.dMax) throw new Error(`capacity: need 1 ≤ d floor ≤ d max (got ${s.dFloor}, ${s.dMax})`);
  for (const arm of s.arms) if (!CAPACITY_ARMS.includes(arm)) throw new Error(`capacity: unknown arm ${JSON.stringify(arm)}`);
}

/** Runs the whole sweep: construction points first (cheap), then each arm over the N grid. */
export async function capacitySweep(settings: CapacitySettings, options: SweepOptions = {}): Promise<CapacityReport> {
  checkCapacitySettings(settings);
  const started = performance.now();
  const points: CapacityPoint[] = [];
  const trials: CapacityTrial[] = [];
  const cells = settings.arms.length * settings.ns.length;
  let cellsDone = 0;
  let cancelled = false;
  const stop = () => (cancelled ||= options.shouldStop?.() ?? false);
  const report = async (current: CapacityProgress['current']) => options.onProgress?.({ cellsDone, cells, current, trials, points });

  for (const n of settings.ns) {
    if (stop()) break;
    points.push(await constructionPoint(n, settings.r, settings.seed));
  }
  for (const arm of settings.arms) {
    // Start each N's search at the previous N's answer: d_min grows with N, so it brackets fast.
    let hint = Math.max(settings.dFloor, 4);
    for (const n of settings.ns) {
      if (stop()) break;
      const attempt = async (d: number) => {
        await report({ arm, n, d, step: 0, steps: settings.steps });
        const trial = await capacityTrial(arm, n, d, settings, {
          shouldStop: stop,
          onStep: (step) => report({ arm, n, d, step, steps: settings.steps }),
        });
        if (!stop()) trials.push(trial);
        return trial.reached;
      };
      const dMin = await searchMinimalD(attempt, { floor: settings.dFloor, max: settings.dMax, start: hint, shouldStop: stop });
      if (dMin === undefined) break;
      points.push({ arm, n, log2n: Math.log2(n), dMin });
      cellsDone += 1;
      if (dMin !== null) hint = dMin;
      await report(null);
    }
  }
  const fits: CapacityReport['fits'] = {};
  for (const arm of ['construction', ...settings.arms] as const) {
    const reached = points.filter((p) => p.arm === arm && p.dMin !== null);
    fits[arm] = fitLine(reached.map((p) => p.log2n), reached.map((p) => p.dMin!));
  }
  return { settings, points, trials, fits, seconds: (performance.now() - started) / 1000, cancelled };
}
