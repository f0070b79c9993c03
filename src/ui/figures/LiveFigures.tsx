/**
 * The three live figures of the training run, drawn from the worker's view: the same on the page and
 * in an embed. Before the first measurement, the projection and gating figures say so.
 */
import type { TrainingControls, TrainingView } from '../useTrainingWorker';
import { AttributeProjectionFigure } from './AttributeProjectionFigure';
import { GatingFigure } from './GatingFigure';
import { LossAccuracyChart } from './LossAccuracyChart';

export interface LiveFigureProps {
  view: TrainingView;
  controls: TrainingControls;
  relations: number;
}

const waiting = <p className="placeholder">Measuring the initial weights…</p>;

export function LiveTraining({ view, relations }: LiveFigureProps) {
  return <LossAccuracyChart steps={view.history.steps} loss={view.history.loss} accuracy={view.history.accuracy} relations={relations} />;
}

export function LiveProjection({ view, controls, relations }: LiveFigureProps) {
  const m = view.measurements;
  if (!m) return waiting;
  return (
    <AttributeProjectionFigure
      projection={m.projection}
      probe={m.probe}
      superposition={m.superposition}
      relations={relations}
      onRelationChange={controls.setProjectionRelation}
      step={m.step}
    />
  );
}

export function LiveGating({ view, controls }: LiveFigureProps) {
  const m = view.measurements;
  if (!m) return waiting;
  return <GatingFigure gating={m.gating} knockout={view.knockout?.report} onKnockout={controls.knockout} knockoutPending={view.knockoutPending} step={m.step} />;
}
