/** The optimiser experiment's worker side: the optimisers trained in turn, a chunk each, then measured. */
import { compareOptimizers, type OptimizerRun } from './optimizerSweep';
import { diverged, type JobRunner } from '../kit';
import { checkOptimizersJob, type OptimizersJob, type OptimizersJobProgress, type OptimizersJobResult } from './job';

/** A run as a message carries it: its own arrays, so later chunks do not change what was posted. */
function copyRun(run: OptimizerRun): OptimizerRun {
  return { ...run, curve: run.curve.slice(), probes: run.probes.slice() };
}

const runner: JobRunner<OptimizersJob, OptimizersJobProgress, OptimizersJobResult> = {
  check: checkOptimizersJob,
  async run(job, ctx) {
    const comparison = await compareOptimizers(job, {
      shouldStop: () => ctx.cancelled,
      onProgress: async (p) => {
        ctx.progress({ fraction: p.fraction, phase: p.phase, steps: job.steps, runs: p.runs.map(copyRun) });
        await ctx.yield();
      },
    });
    const warnings = comparison.runs.filter((run) => run.divergedAt !== null).map((run) => diverged(`${run.optimizer} at step ${run.divergedAt}`));
    return { result: { settings: comparison.settings, runs: comparison.runs }, warnings };
  },
};
export default runner;
