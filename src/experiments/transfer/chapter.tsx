/**
 * Chapter "New facts for free?" (docs/science.md §4, zero-shot transfer, both variants), on the reader's
 * own model: the playground's current weights are copied from the training worker and tested in the
 * experiment worker. Every number in the text is measured on that model.
 */
import { useState } from 'react';
import { describeOptimizer, optimizerSettings } from '../../core/training/optimizerSettings';
import type { RetrainRun } from './transfer';
import { transferProgressText, type TransferJobResult } from './job';
import { isBusy, useExperiment } from '../../ui/useExperimentWorker';
import { ExperimentProgress, RunControls, SelectField, type ChapterProps } from '../../ui/chapters/chapterKit';
import { TransferFigure } from './TransferFigure';
import { fmtInt, fmtNum } from '../../ui/format';

const STEP_CHOICES = [300, 1000, 2000, 5000] as const;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function runOutcome(run: RetrainRun, budget: number): string {
  if (run.stepsTo100 !== null) return `reached 100% after ${fmtInt(run.stepsTo100)} steps`;
  return `did not reach 100% within ${fmtInt(budget)} steps (accuracy ${fmtNum(mean(run.accuracyByRelation))} at the end)`;
}

/** The retraining runs' optimiser in words, e.g. "SGD with momentum, lr 0.1, momentum 0.9, ×30 on the embeddings". */
function retrainOptimizer(retrain: NonNullable<TransferJobResult['retrain']>): string {
  const o = retrain.optimizer;
  const settings = optimizerSettings(o?.optimizer ?? 'adam', { lr: retrain.lr, momentum: o?.momentum, embedLrMult: o?.embedLrMult, weightDecay: o?.weightDecay });
  return describeOptimizer(settings) + (o?.uniformAttention ? ' (uniform attention in the run from scratch)' : '');
}

export default function TransferChapter({ client, playground }: ChapterProps) {
  const [state, controls] = useExperiment(client, 'transfer');
  const [steps, setSteps] = useState<number>(1000);
  const [fetching, setFetching] = useState(false);
  const busy = fetching || isBusy(state.status);

  const start = async (retrain: boolean) => {
    setFetching(true);
    try {
      const w = await playground.exportWeights();
      controls.run(
        {
          config: w.config,
          factSeed: w.factSeed,
          weights: w.weights,
          modelStep: w.step,
          seed: w.factSeed,
          retrain,
          steps,
          // The retraining runs use the playground's optimiser and settings.
          lr: w.settings.lr,
          optimizer: {
            optimizer: w.settings.optimizer,
            momentum: w.settings.momentum,
            embedLrMult: w.settings.embedLrMult,
            weightDecay: w.settings.weightDecay,
            uniformAttention: w.settings.uniformAttention,
          },
        },
        Object.values(w.weights).map((a) => a.buffer),
      );
    } catch (error) {
      controls.fail(`Could not copy the model from the playground: ${(error as Error).message}`);
    } finally {
      setFetching(false);
    }
  };

  const partial = state.progress?.partial ?? null;
  const result = state.result;
  const config = result?.config ?? partial?.config;
  const zero = result?.zeroShot ?? partial?.zeroShot;
  const own = result?.ownAccuracyByRelation ?? partial?.ownAccuracyByRelation;
  const chance = result?.chance ?? partial?.chance ?? NaN;
  const modelStep = result?.modelStep ?? partial?.modelStep ?? 0;
  const retrain = result?.retrain ?? null;

  return (
    <section className="chapter exp-chapter" aria-labelledby="chapter-transfer" data-testid="chapter-transfer">
      <h2 id="chapter-transfer">New facts for free?</h2>
      <p>
        If every subject embedding is a superposition of its attribute vectors, e<sub>s</sub> = Σ<sub>r</sub> A<sub>r</sub> u
        <sub>π_r(s)</sub>, and the MLP merely selects the relation's part, then the network should answer facts it has never seen:
        draw new bijections π′, write new embeddings e′<sub>s</sub> = Σ<sub>r</sub> A<sub>r</sub> u<sub>π′_r(s)</sub> with the same
        maps, keep every other weight, and measure — no training at all. The maps A<sub>r</sub> are fitted to the model's own
        embeddings by least squares, on 80% of the subjects; first they are validated on the other 20%, which the fit did not
        see: rebuilt from the maps, those subjects’ embeddings must still answer their old facts. (On the fitted subjects that
        check tells nothing: with R·d features for about as many subjects the fit can reproduce them whatever the structure.)
        The test runs on the model in the playground above, as it is now; load the construction there (“Build it by hand”) to
        compare.
      </p>
      <p>
        A second test: give the model new facts and fresh random subject embeddings, train only those embeddings, and compare the
        steps to 100% with training a whole model from scratch on the same new facts.
      </p>
      <div className="exp-form">
        <SelectField label="step budget of each retraining run" value={steps} options={STEP_CHOICES} onChange={setSteps} disabled={busy} testId="transfer-steps" />
      </div>
      <RunControls state={state} onCancel={controls.cancel} testId="transfer">
        <button type="button" data-testid="transfer-zero-shot-run" onClick={() => void start(false)} disabled={busy}>
          Test zero-shot transfer on the model above
        </button>
        <button type="button" data-testid="transfer-retrain-run" onClick={() => void start(true)} disabled={busy}>
          Also retrain: embeddings only vs from scratch
        </button>
      </RunControls>
      {fetching && <p className="hint-text">Copying the model from the playground…</p>}
      <ExperimentProgress state={state} describe={transferProgressText} label="Transfer test" what="the results" testId="transfer-progress" />

      {zero && config && own && (
        <div className="exp-figure">
          <TransferFigure zero={zero} config={config} modelStep={modelStep} own={own} chance={chance} />
        </div>
      )}

      {retrain && (
        <div className="numbers" data-testid="transfer-retrain">
          <p>
            Retraining only the subject embeddings ({fmtInt(retrain.embeddingsOnly.trainedParameters)} numbers) {runOutcome(retrain.embeddingsOnly, retrain.steps)}
            {retrain.fromScratch
              ? `; training the whole model from scratch (${fmtInt(retrain.fromScratch.trainedParameters)} numbers) ${runOutcome(retrain.fromScratch, retrain.steps)}.`
              : '; the run from scratch was cancelled before it began.'}
            {' '}
            The runs train with {retrainOptimizer(retrain)}.
            {retrain.fromScratch &&
              retrain.embeddingsOnly.stepsTo100 !== null &&
              retrain.fromScratch.stepsTo100 !== null &&
              ` The embeddings alone needed ${fmtNum(retrain.embeddingsOnly.stepsTo100 / Math.max(1, retrain.fromScratch.stepsTo100), 1)}× the steps of the whole model.`}
          </p>
          <div className="fig-scroll">
            <table className="exp-table">
              <thead>
                <tr>
                  <th scope="col">on the new facts</th>
                  <th scope="col">numbers trained</th>
                  <th scope="col">steps to 100%</th>
                  <th scope="col">final accuracy</th>
                  <th scope="col">time</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ['subject embeddings only', retrain.embeddingsOnly],
                    ['whole model, from scratch', retrain.fromScratch],
                  ] as const
                ).map(([label, run]) =>
                  run ? (
                    <tr key={label}>
                      <th scope="row">{label}</th>
                      <td>{fmtInt(run.trainedParameters)}</td>
                      <td>{run.stepsTo100 === null ? `not within ${fmtInt(retrain.steps)}` : fmtInt(run.stepsTo100)}</td>
                      <td>{fmtNum(mean(run.accuracyByRelation))}</td>
                      <td>{fmtNum(run.seconds, 1)} s</td>
                    </tr>
                  ) : null,
                )}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
