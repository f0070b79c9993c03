/**
 * The two sweeps of §7 over trainAssoc: heads × MLP width at fixed d and dh (the authors'
 * param_scaling_sweep.py), and facts per parameter (fact_recall_sweep.py with run.py's binary search).
 * Both are small versions of the authors' runs, sized for a CPU: fewer steps and smaller batches.
 */
import type {
  AssocCallbacks, AssocCapacityPoint, AssocCapacityProgress, AssocCapacitySettings, AssocFit,
  AssocSweepCell, AssocSweepProgress, AssocSweepSettings, AssocTaskSettings,
} from './assoc';
import { trainAssoc } from './train';

export const ASSOC_SWEEP_DEFAULTS: AssocSweepSettings = {
  task: { s: 32, r: 32, answers: 8, noise: 64, seqLen: 32, structured: false, seed: 1 },
  d: 32,
  headDim: 8,
  heads: [1, 2, 4, 8],
  widths: [4, 16, 64],
  steps: 1000,
  lr: 0.01,
  batch: 256,
  stopAtAccuracy: 0.99,
};

export const ASSOC_CAPACITY_DEFAULTS: AssocCapacitySettings = {
  ds: [8, 16, 32],
  alpha: 1,
  beta: 1,
  heads: 8,
  answers: 8,
  noise: null,
  seqLen: 32,
  lrs: [0.01],
  steps: 1000,
  batch: 256,
  minSize: 4,
  maxSize: 64,
  seed: 1,
};

export async function assocSweep(
  settings: AssocSweepSettings,
  callbacks: AssocCallbacks<AssocSweepProgress> = {},
): Promise<{ cells: AssocSweepCell[]; complete: boolean; seconds: number }> {
  const started = performance.now();
  const cells: AssocSweepCell[] = [];
  const cellsTotal = settings.heads.length * settings.widths.length;
  const { d, headDim } = settings;
  for (const heads of settings.heads) {
    for (const width of settings.widths) {
      if (callbacks.shouldStop?.()) return { cells, complete: false, seconds: (performance.now() - started) / 1000 };
      const result = await trainAssoc({
        task: settings.task,
        model: { kind: 'full', d, heads, headDim, width },
        steps: settings.steps,
        lr: settings.lr,
        batch: settings.batch,
        stopAtAccuracy: settings.stopAtAccuracy ?? 0.99,
        every: callbacks.every ?? settings.steps,
        shouldStop: callbacks.shouldStop,
        onProgress: async (points) => {
          const p = points[points.length - 1];
          await callbacks.onProgress?.({ cells, cellsTotal, current: { heads, width, step: p.step + 1, steps: settings.steps, accuracy: p.accuracy } });
        },
      });
      if (result.cancelled) return { cells, complete: false, seconds: (performance.now() - started) / 1000 };
      cells.push({ heads, width, attentionParams: d * headDim * heads, mlpParams: d * width, accuracy: result.accuracy, steps: result.steps });
      await callbacks.onProgress?.({ cells, cellsTotal, current: null });
    }
  }
  return { cells, complete: true, seconds: (performance.now() - started) / 1000 };
}

/** The sizes of the model a capacity search trains at embedding size d. */
export function capacityModel(settings: AssocCapacitySettings, d: number): { d: number; heads: number; headDim: number; width: number; parameters: number } {
  const headDim = Math.floor((d * settings.alpha) / settings.heads);
  const width = Math.floor(d * settings.beta);
  return { d, heads: settings.heads, headDim, width, parameters: 4 * settings.heads * headDim * d + 2 * width * d };
}

/** facts = slope × parameters, least squares through the origin; r2 = 1 − SS_res / SS_tot (about the mean). */
export function fitThroughOrigin(points: { parameters: number; facts: number }[]): AssocFit | null {
  if (points.length < 2) return null;
  const sxy = points.reduce((a, p) => a + p.parameters * p.facts, 0);
  const sxx = points.reduce((a, p) => a + p.parameters * p.parameters, 0);
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const mean = points.reduce((a, p) => a + p.facts, 0) / points.length;
  const ssRes = points.reduce((a, p) => a + (p.facts - slope * p.parameters) ** 2, 0);
  const ssTot = points.reduce((a, p) => a + (p.facts - mean) ** 2, 0);
  return { slope, intercept: 0, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}

/**
 * For each d, the largest S = R (with D answers per relation) that a model stores at ≥ 99% held-out
 * accuracy, by the authors' binary search: the lower end is taken as known to fit (minSize, then the
 * previous d's size), the upper end as known not to; each midpoint is tried with each learning rate in
 * turn until one reaches 99%. A point's accuracy is the one measured at its size, or −1 when the search
 * never trained that size (its lower end).
 */
export async function assocCapacity(
  settings: AssocCapacitySettings,
  callbacks: AssocCallbacks<AssocCapacityProgress> = {},
): Promise<{ points: AssocCapacityPoint[]; fit: AssocFit | null; complete: boolean; seconds: number }> {
  const started = performance.now();
  const points: AssocCapacityPoint[] = [];
  const pointsTotal = settings.ds.length;
  const stopped = () => ({ points, fit: fitThroughOrigin(points), complete: false, seconds: (performance.now() - started) / 1000 });
  let low = settings.minSize;
  for (const d of settings.ds) {
    const model = capacityModel(settings, d);
    let lo = Math.min(low, settings.maxSize - 1);
    let hi = settings.maxSize;
    const measured = new Map<number, number>();
    while (hi - lo > 1) {
      const size = Math.floor((lo + hi) / 2);
      let best = 0;
      for (const lr of settings.lrs) {
        if (callbacks.shouldStop?.()) return stopped();
        const task: AssocTaskSettings = { s: size, r: size, answers: settings.answers, noise: settings.noise ?? 2 * size, seqLen: settings.seqLen, structured: false, seed: settings.seed };
        const result = await trainAssoc({
          task,
          model: { kind: 'full', d, heads: model.heads, headDim: model.headDim, width: model.width },
          steps: settings.steps,
          lr,
          batch: settings.batch,
          stopAtAccuracy: 0.99,
          every: settings.steps,
          shouldStop: callbacks.shouldStop,
          onProgress: async (pts) => {
            const p = pts[pts.length - 1];
            await callbacks.onProgress?.({ points, pointsTotal, current: { d, size, lr, step: p.step + 1, steps: settings.steps, accuracy: p.accuracy } });
          },
        });
        if (result.cancelled) return stopped();
        best = Math.max(best, result.accuracy);
        if (result.accuracy >= 0.99) break;
      }
      measured.set(size, best);
      if (best >= 0.99) lo = size;
      else hi = size;
    }
    low = lo;
    points.push({ d, heads: model.heads, headDim: model.headDim, width: model.width, parameters: model.parameters, size: lo, facts: lo * lo, accuracy: measured.get(lo) ?? -1 });
    await callbacks.onProgress?.({ points, pointsTotal, current: null });
  }
  return { points, fit: fitThroughOrigin(points), complete: true, seconds: (performance.now() - started) / 1000 };
}
