/**
 * The associative-memory chapter's worker side: a sequential-learning run (trainAssoc) streaming its
 * curve, or a small heads × width sweep. Each yields to the worker after every chunk of steps, so
 * cancel and hold land; the sweep asks each cell for a report every few steps, so a cancel never waits
 * for a cell's end.
 */
import type { AssocCurvePoint, AssocSweepCell, AssocSweepSettings } from './assoc';
import { trainAssoc } from './train';
import { assocSweep } from './sweeps';
import type { JobContext, JobRunner } from '../kit';
import { checkAssocJob, sweepFraction, type AssocJob, type AssocJobProgress, type AssocJobResult } from './job';

/** Steps between two progress reports (and yields) within a sweep's cell. */
const SWEEP_EVERY = 10;

/** The heads × width sweep of sweeps.ts, reporting every few steps of a cell and yielding after each report. */
async function sweep(settings: AssocSweepSettings, ctx: JobContext<AssocJobProgress>): Promise<{ cells: AssocSweepCell[]; complete: boolean; seconds: number }> {
  let fraction = 0;
  return assocSweep(settings, {
    every: SWEEP_EVERY,
    shouldStop: () => ctx.cancelled,
    onProgress: async ({ cells, cellsTotal, current }) => {
      fraction = Math.max(fraction, sweepFraction(cells.length, cellsTotal, current?.step ?? 0, current?.steps ?? 1));
      ctx.progress({ kind: 'sweep', fraction, cells: cells.map((c) => ({ ...c })), cellsTotal, current });
      await ctx.yield();
    },
  });
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
