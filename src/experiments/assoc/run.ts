/**
 * The associative-memory chapter's worker side: a sequential-learning run (trainAssoc) streaming its
 * curve, or a small heads × width sweep. Each yields to the worker after every chunk of steps, so
 * cancel and hold land. The sweep trains its cells as assocSweep does (sweeps.ts: the same model, early
 * stop and counts), but asks each cell for a curve point every few steps: assocSweep's cells report
 * only at their first and last step, so a cancel would wait for the cell's end.
 */
import { trainAssoc, type AssocCurvePoint, type AssocSweepCell, type AssocSweepSettings } from './assoc';
import type { JobContext, JobRunner } from '../kit';
import { checkAssocJob, sweepFraction, type AssocJob, type AssocJobProgress, type AssocJobResult } from './job';

/** Steps between two progress reports (and yields) within a sweep's cell. */
const SWEEP_EVERY = 10;

async function sweep(settings: AssocSweepSettings, ctx: JobContext<AssocJobProgress>): Promise<{ cells: AssocSweepCell[]; complete: boolean; seconds: number }> {
  const started = performance.now();
  const cells: AssocSweepCell[] = [];
  const cellsTotal = settings.heads.length * settings.widths.length;
  const { d, headDim } = settings;
  let fraction = 0;
  const report = (current: { heads: number; width: number; step: number; steps: number; accuracy: number } | null) => {
    fraction = Math.max(fraction, sweepFraction(cells.length, cellsTotal, current?.step ?? 0, current?.steps ?? 1));
    ctx.progress({ kind: 'sweep', fraction, cells: cells.map((c) => ({ ...c })), cellsTotal, current });
  };
  const seconds = () => (performance.now() - started) / 1000;
  for (const heads of settings.heads) {
    for (const width of settings.widths) {
      if (ctx.cancelled) return { cells, complete: false, seconds: seconds() };
      const result = await trainAssoc({
        task: settings.task,
        model: { kind: 'full', d, heads, headDim, width },
        steps: settings.steps,
        lr: settings.lr,
        batch: settings.batch,
        stopAtAccuracy: settings.stopAtAccuracy ?? 0.99,
        every: SWEEP_EVERY,
        shouldStop: () => ctx.cancelled,
        onProgress: async (points) => {
          const p = points[points.length - 1];
          if (p) report({ heads, width, step: p.step + 1, steps: settings.steps, accuracy: p.accuracy });
          await ctx.yield();
        },
      });
      if (result.cancelled) return { cells, complete: false, seconds: seconds() };
      cells.push({ heads, width, attentionParams: d * headDim * heads, mlpParams: d * width, accuracy: result.accuracy, steps: result.steps });
      report(null);
      await ctx.yield();
    }
  }
  return { cells, complete: true, seconds: seconds() };
}

const runner: JobRunner<AssocJob, AssocJobProgress, AssocJobResult> = {
  check: checkAssocJob,
  async run(job, ctx) {
    if (job.kind === 'train') {
      const curve: AssocCurvePoint[] = [];
      const result = await trainAssoc({
        task: job.task,
        model: job.model,
        steps: job.steps,
        lr: job.lr,
        batch: job.batch,
        every: job.every,
        ...(job.weightDecay !== undefined ? { weightDecay: job.weightDecay } : {}),
        ...(job.stopAtAccuracy !== undefined ? { stopAtAccuracy: job.stopAtAccuracy } : {}),
        shouldStop: () => ctx.cancelled,
        onProgress: async (points) => {
          // New points only (the callback may pass the curve so far or the points since the last call).
          const lastStep = curve.length > 0 ? curve[curve.length - 1].step : -Infinity;
          for (const p of points) if (p.step > lastStep) curve.push({ ...p });
          const step = curve.length > 0 ? curve[curve.length - 1].step : 0;
          ctx.progress({ kind: 'train', fraction: Math.min(1, step / job.steps), step, steps: job.steps, curve: curve.slice() });
          await ctx.yield();
        },
      });
      const warnings = Number.isFinite(result.loss) ? [] : ['assoc: the loss became NaN or infinite, so the run stopped.'];
      return { result: { kind: 'train', result }, warnings };
    }
    const out = await sweep(job.settings, ctx);
    return { result: { kind: 'sweep', ...out }, warnings: [] };
  },
};
export default runner;
