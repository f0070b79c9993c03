/**
 * The three live figures of the training run, drawn from the worker's view: the same on the page and
 * in an embed. Before the first measurement, the projection and gating figures say so.
 *
 * The view changes many times a second while training (every metrics message); each figure is built
 * again only when what it draws changed: the curves when a step is added, the projection and gating
 * figures when a measurement (or a knock-out) arrives, a few times a second.
 *
 * Time travel (HistoryScrubber, under the loss chart): while the reader views a recorded step, the
 * projection and gating figures draw that step's measurements and the chart marks it.
 */
import { useMemo } from 'react';
import { shownMeasurements, type TrainingControls, type TrainingView } from '../useTrainingWorker';
import { HistoryScrubber } from '../HistoryScrubber';
import { AttributeProjectionFigure } from './AttributeProjectionFigure';
import { GatingFigure } from './GatingFigure';
import { LossAccuracyChart } from './LossAccuracyChart';
import { followFact } from '../useFactTrace';

export interface LiveFigureProps {
  view: TrainingView;
  controls: TrainingControls;
  relations: number;
  /** A step the link asked for (`view=`) that training has not reached yet (the scrubber says so). */
  waitingFor?: number | null;
}

const waiting = <p className="placeholder">Measuring the initial weights…</p>;

export function LiveTraining({ view, controls, relations, waitingFor }: LiveFigureProps) {
  const { steps, loss, accuracy } = view.history;
  // The history's arrays grow in place: their length and last step say when they changed.
  const length = steps.length;
  const last = length ? steps[length - 1] : -1;
  const viewStep = view.viewed?.step ?? null;
  const chart = useMemo(
    () => <LossAccuracyChart steps={steps} loss={loss} accuracy={accuracy} relations={relations} viewStep={viewStep} />,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [steps, loss, accuracy, relations, length, last, viewStep],
  );
  return (
    <div className="live-training">
      {chart}
      <HistoryScrubber view={view} controls={controls} waitingFor={waitingFor} />
    </div>
  );
}

export function LiveProjection({ view, controls, relations }: LiveFigureProps) {
  const m = shownMeasurements(view);
  return useMemo(
    () =>
      m ? (
        <AttributeProjectionFigure
          projection={m.projection}
          probe={m.probe}
          superposition={m.superposition}
          relations={relations}
          onRelationChange={controls.setProjectionRelation}
          onSelectSubject={followFact}
          step={m.step}
        />
      ) : (
        waiting
      ),
    [m, relations, controls],
  );
}

export function LiveGating({ view, controls }: LiveFigureProps) {
  const m = shownMeasurements(view);
  const history = view.viewed !== null;
  // A knockout belongs to the step it was measured at; pressed while viewing the past, it measures
  // the live model, so the figures first return to live.
  const knockout = view.knockout && (!history || view.knockout.step === m?.step) ? view.knockout.report : undefined;
  const pending = view.knockoutPending;
  return useMemo(() => {
    const onKnockout = () => {
      if (history) controls.viewStep(null);
      controls.knockout();
    };
    return m ? <GatingFigure gating={m.gating} knockout={knockout} onKnockout={onKnockout} knockoutPending={pending} step={m.step} /> : waiting;
  }, [m, knockout, pending, controls, history]);
}
