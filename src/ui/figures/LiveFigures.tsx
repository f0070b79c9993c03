/**
 * The three live figures of the training run, drawn from the worker's view: the same on the page and
 * in an embed. Before the first measurement, the projection and gating figures say so.
 *
 * The view changes many times a second while training (every metrics message); each figure is built
 * again only when what it draws changed: the curves when a step is added, the projection and gating
 * figures when a measurement (or a knock-out) arrives, a few times a second.
 */
import { useMemo } from 'react';
import type { TrainingControls, TrainingView } from '../useTrainingWorker';
import { AttributeProjectionFigure } from './AttributeProjectionFigure';
import { GatingFigure } from './GatingFigure';
import { LossAccuracyChart } from './LossAccuracyChart';
import { followFact } from '../useFactTrace';

export interface LiveFigureProps {
  view: TrainingView;
  controls: TrainingControls;
  relations: number;
}

const waiting = <p className="placeholder">Measuring the initial weights…</p>;

export function LiveTraining({ view, relations }: LiveFigureProps) {
  const { steps, loss, accuracy } = view.history;
  // The history's arrays grow in place: their length and last step say when they changed.
  const length = steps.length;
  const last = length ? steps[length - 1] : -1;
  return useMemo(
    () => <LossAccuracyChart steps={steps} loss={loss} accuracy={accuracy} relations={relations} />,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [steps, loss, accuracy, relations, length, last],
  );
}

export function LiveProjection({ view, controls, relations }: LiveFigureProps) {
  const m = view.measurements;
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
  const m = view.measurements;
  const knockout = view.knockout?.report;
  const pending = view.knockoutPending;
  return useMemo(
    () => (m ? <GatingFigure gating={m.gating} knockout={knockout} onKnockout={controls.knockout} knockoutPending={pending} step={m.step} /> : waiting),
    [m, knockout, pending, controls],
  );
}
