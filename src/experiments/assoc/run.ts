/**
 * The associative-memory chapter's worker side: a sequential-learning run (trainAssoc) streaming its
 * curve, or a small heads × width sweep (assocSweep). Each yields to the worker after every chunk of
 * steps, so cancel and hold land.
 */
import { assocSweep, trainAssoc, type AssocCurvePoint } from './assoc';
import type { JobRunner } from '../kit';
import { checkAssocJob, sweepFraction, type AssocJob, type AssocJobProgress, type AssocJobResult } from './job';

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
    let fraction = 0;
    const out = await assocSweep(job.settings, {
      shouldStop: () => ctx.cancelled,
      onProgress: async (p) => {
        const c = p.current;
        fraction = Math.max(fraction, sweepFraction(p.cells.length, p.cellsTotal, c?.step ?? 0, c?.steps ?? 1));
        ctx.progress({ kind: 'sweep', fraction, cells: p.cells.map((x) => ({ ...x })), cellsTotal: p.cellsTotal, current: c ? { ...c } : null });
        await ctx.yield();
      },
    });
    return { result: { kind: 'sweep', cells: out.cells, complete: out.complete, seconds: out.seconds }, warnings: [] };
  },
};
export default runner;
