/** The multi-hop experiment's worker side: one single-hop and one direct model per d, with progress. */
import { multihopExperiment } from './multihop';
import { multihopPoint, type MultihopPoint } from './multihopPoint';
import { diverged, type JobRunner } from '../kit';
import { checkMultihopJob, multihopFraction, type MultihopJob, type MultihopJobProgress, type MultihopJobResult } from './job';

const runner: JobRunner<MultihopJob, MultihopJobProgress, MultihopJobResult> = {
  check: checkMultihopJob,
  async run(job, ctx) {
    const points: MultihopPoint[] = [];
    const warnings: string[] = [];
    for (let index = 0; index < job.ds.length && !ctx.cancelled; index++) {
      const d = job.ds[index];
      const base = { index, count: job.ds.length, d, steps: job.steps, points: points.slice() };
      ctx.progress({ ...base, fraction: multihopFraction(index, job.ds.length, 'singleHop', 0, job.steps), model: 'singleHop', step: 0, accuracy: NaN, loss: NaN });
      const result = await multihopExperiment({
        n: job.n,
        r: job.r,
        d,
        m: job.m,
        steps: job.steps,
        seed: job.seed,
        lr: job.lr,
        shouldStop: () => ctx.cancelled,
        onProgress: async (model, step, loss, accuracy) => {
          ctx.progress({ ...base, fraction: multihopFraction(index, job.ds.length, model, step + 1, job.steps), model, step: step + 1, accuracy, loss });
          await ctx.yield();
        },
      });
      if (result.cancelled) break; // a half-trained point says nothing about d
      const point = multihopPoint(result);
      points.push(point);
      if (point.singleHopTraining.diverged) warnings.push(diverged(`single hop at d = ${d}`));
      if (point.directTraining.diverged) warnings.push(diverged(`direct 2-hop model at d = ${d}`));
      ctx.progress({ ...base, points: points.slice(), fraction: (index + 1) / job.ds.length, model: 'direct', step: job.steps, accuracy: NaN, loss: NaN });
      await ctx.yield();
    }
    return { result: { job, points }, warnings };
  },
};
export default runner;
