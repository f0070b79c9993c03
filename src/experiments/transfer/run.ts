/** The transfer experiment's worker side: zero-shot transfer on the model sent, then optionally retraining. */
import { evaluateAccuracy } from '../../core/measure/evaluate';
import { makeFacts } from '../../core/model/facts';
import { disposeModel, modelFromArrays } from '../../core/model/model';
import { retrainEmbeddingsOnly, zeroShotTransfer } from './transfer';
import { diverged, type JobRunner } from '../kit';
import { checkTransferJob, transferFraction, type TransferJob, type TransferJobProgress, type TransferJobResult } from './job';

const runner: JobRunner<TransferJob, TransferJobProgress, TransferJobResult> = {
  check: checkTransferJob,
  async run(job, ctx) {
    const { config } = job;
    const facts = makeFacts(config.n, config.r, job.factSeed);
    const model = modelFromArrays(config, job.weights);
    const warnings: string[] = [];
    const partial: TransferJobProgress['partial'] = { config, modelStep: job.modelStep, chance: 1 / config.n };
    const report = (phase: TransferJobProgress['phase'], step: number, accuracy: number, loss: number) =>
      ctx.progress({ fraction: transferFraction(phase, step, job.steps, job.retrain), phase, step, steps: job.steps, accuracy, loss, partial: { ...partial } });
    try {
      report('zeroShot', 0, NaN, NaN);
      await ctx.yield();
      const own = await evaluateAccuracy(model, facts);
      const zero = await zeroShotTransfer(model, facts, { seed: job.seed });
      partial.ownAccuracyByRelation = own.accuracyByRelation;
      const { newFacts, maps: _maps, lambda: _lambda, ...numbers } = zero;
      partial.zeroShot = { ...numbers, newFactsSeed: newFacts.seed };
      report('zeroShot', job.steps, NaN, NaN);
      ctx.flush(); // the zero-shot numbers show at once, before the retraining's first chunk
      await ctx.yield();
      let retrain: TransferJobResult['retrain'] = null;
      if (job.retrain && !ctx.cancelled) {
        const result = await retrainEmbeddingsOnly(model, facts, {
          ...job.optimizer,
          seed: job.seed,
          steps: job.steps,
          lr: job.lr,
          shouldStop: () => ctx.cancelled,
          onProgress: async (run, last) => {
            const accuracy = last.accuracyByRelation.reduce((a, b) => a + b, 0) / last.accuracyByRelation.length;
            report(run, last.step + 1, accuracy, last.loss);
            await ctx.yield();
          },
        });
        const embeddingsOnly = result.embeddingsOnly;
        // Cancelled before the from-scratch run took a step: it has nothing to show.
        const fromScratch = result.cancelled && result.fromScratch.steps === 0 ? null : result.fromScratch;
        retrain = { steps: job.steps, lr: job.lr, ...(job.optimizer ? { optimizer: job.optimizer } : {}), embeddingsOnly, fromScratch };
        if (embeddingsOnly.diverged) warnings.push(diverged('retraining the subject embeddings only'));
        if (fromScratch?.diverged) warnings.push(diverged('training from scratch'));
      }
      const result: TransferJobResult = {
        config,
        modelStep: job.modelStep,
        chance: 1 / config.n,
        ownAccuracyByRelation: partial.ownAccuracyByRelation,
        zeroShot: partial.zeroShot,
        retrain,
      };
      return { result, warnings };
    } finally {
      disposeModel(model);
    }
  },
};
export default runner;
