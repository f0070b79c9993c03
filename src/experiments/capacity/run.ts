/** The capacity experiment's worker side: a live sweep over core's capacitySweep, with its progress. */
import { capacitySweep } from './capacity';
import { diverged, type JobRunner } from '../kit';
import { capacityFraction, checkCapacityJob, type CapacityJob, type CapacityJobProgress, type CapacityJobResult } from './job';

const runner: JobRunner<CapacityJob, CapacityJobProgress, CapacityJobResult> = {
  check: checkCapacityJob,
  async run(job, ctx) {
    let cellsSeen = 0;
    let trialsAtCellStart = 0;
    const report = await capacitySweep(job.settings, {
      shouldStop: () => ctx.cancelled,
      onProgress: async (p) => {
        if (p.cellsDone !== cellsSeen) {
          cellsSeen = p.cellsDone;
          trialsAtCellStart = p.trials.length;
        }
        const c = p.current;
        ctx.progress({
          fraction: capacityFraction(p.cellsDone, p.cells, p.trials.length - trialsAtCellStart, c?.step ?? 0, c?.steps ?? 1),
          cellsDone: p.cellsDone,
          cells: p.cells,
          current: c ? { ...c } : null,
          trials: p.trials.length,
          points: p.points.map((x) => ({ ...x })),
        });
        await ctx.yield();
      },
    });
    const warnings = report.trials.filter((t) => t.diverged).map((t) => diverged(`${t.arm === 'frozen' ? 'frozen' : 'learned'} embeddings, N = ${t.n}, d = ${t.d}`));
    return { result: { report }, warnings };
  },
};
export default runner;
