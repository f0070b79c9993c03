/**
 * Time travel: a slider over the steps whose measurements the training worker keeps
 * (worker/measurementHistory.ts), under the loss chart. Moving it shows every live figure at that
 * step while training goes on; "Live" returns to the newest. A native range input: the arrow keys
 * move one recorded step, Page Up/Down several, Home/End to the first and the last.
 */
import { useId } from 'react';
import { MAX_BYTES, MAX_SNAPSHOTS } from '../worker/measurementHistory';
import type { TrainingControls, TrainingView } from './useTrainingWorker';

const fmt = new Intl.NumberFormat('en-US');

/** The recorded step nearest `step` (its index in ascending `steps`; −1 when there is none). */
export function nearestRecorded(steps: readonly number[], step: number): number {
  let best = -1;
  for (let i = 0; i < steps.length; i++) if (best < 0 || Math.abs(steps[i] - step) < Math.abs(steps[best] - step)) best = i;
  return best;
}

export interface HistoryScrubberProps {
  view: TrainingView;
  controls: TrainingControls;
  /** A step the link asked for (`view=`) that training has not reached yet. */
  waitingFor?: number | null;
}

export function HistoryScrubber({ view, controls, waitingFor = null }: HistoryScrubberProps) {
  const id = useId();
  const steps = view.recordedSteps;
  const shown = view.viewPending ?? view.viewed?.step ?? null;
  const live = shown === null;
  const newest = view.measurements?.step ?? null;
  const index = steps.length === 0 ? 0 : live ? steps.length - 1 : Math.max(0, nearestRecorded(steps, shown));
  const valueText = live ? `live: step ${newest ?? 0}, the newest measurement` : `step ${shown}, recorded measurement ${index + 1} of ${steps.length}`;
  const mb = (view.historyBytes / 1024 / 1024).toFixed(1);
  return (
    <section className="history" aria-label="Time travel" data-testid="history" data-view={live ? 'live' : 'history'} data-step={shown ?? newest ?? ''} data-recorded={steps.length}>
      <div className="history-row">
        <label htmlFor={id} className="history-label">
          {live ? 'Live: step' : 'Viewing step'} <strong>{fmt.format(shown ?? newest ?? 0)}</strong>
        </label>
        <input
          id={id}
          data-testid="history-slider"
          type="range"
          min={0}
          max={Math.max(0, steps.length - 1)}
          step={1}
          value={index}
          disabled={steps.length < 2}
          aria-label="Step the figures show"
          aria-valuetext={valueText}
          onChange={(e) => {
            const step = steps[Number(e.target.value)];
            if (step !== undefined) controls.viewStep(step);
          }}
        />
        <button type="button" data-testid="history-live" onClick={() => controls.viewStep(null)} disabled={live} aria-pressed={live}>
          ● Live
        </button>
      </div>
      <p className="history-help">
        {waitingFor !== null && live && <strong>The link asks for step {fmt.format(waitingFor)}; training has not reached it yet, so the figures are live. </strong>}
        {!live && view.status === 'running' && <>Training goes on (step {fmt.format(view.step)}); the chart marks the viewed step. </>}
        Drag or use the arrow keys to see the figures at an earlier step. The worker keeps up to {MAX_SNAPSHOTS} measurements (≤ {MAX_BYTES / 1024 / 1024} MB): all of them
        at first, then every other one is dropped as the store fills, so a long run keeps an even record of its whole course. Now{' '}
        {steps.length} kept, {mb} MB.
      </p>
    </section>
  );
}
