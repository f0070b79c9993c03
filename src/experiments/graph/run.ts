/**
 * The graph chapter's worker side: trainGraph on the job's graph, streaming the recorded frames (2-D
 * PCA, scores, spectral energies) every few steps and yielding after each report, so cancel and hold
 * land; a cancelled run returns the frames it has.
 */
import type { JobRunner } from '../kit';
import { checkGraphJob, graphFraction, jobGraph, type GraphJob, type GraphJobProgress, type GraphJobResult } from './job';
import { trainGraph } from './train';

/** Steps between two progress reports (and yields). */
const EVERY = 5;

const runner: JobRunner<GraphJob, GraphJobProgress, GraphJobResult> = {
  check: checkGraphJob,
  async run(job, ctx) {
    let fraction = 0;
    const result = await trainGraph({
      graph: jobGraph(job),
      learner: job.model,
      seed: job.seed,
      steps: job.steps,
      progressEvery: EVERY,
      cancelled: () => ctx.cancelled,
      onProgress: async (p) => {
        fraction = Math.max(fraction, graphFraction(p.step, p.steps));
        ctx.progress({ fraction, step: p.step, steps: p.steps, topK: p.topK, loss: p.loss, frames: p.frames.slice() });
        await ctx.yield();
      },
    });
    const finite = result.frames.every((f) => Number.isFinite(f.loss));
    return { result, warnings: finite ? [] : ['graph: the loss became NaN or infinite during the run.'] };
  },
};
export default runner;
