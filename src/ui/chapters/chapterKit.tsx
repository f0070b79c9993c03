/**
 * Pieces shared by the experiment chapters: the progress bar with its status line, the run and
 * cancel buttons, a select of allowed values, and a group of checkboxes.
 */
import { useId, type ReactNode } from 'react';
import { isBusy, type ExperimentState } from '../useExperimentWorker';
import { progressText } from './experimentData';
import './chapters.css';
import { fmtNum } from '../format';

function statusLine(state: ExperimentState, what: string): string {
  switch (state.status) {
    case 'idle':
      return '';
    case 'queued':
      return 'Starting the experiment worker (or waiting for another chapter’s experiment to finish)…';
    case 'running':
      return state.progress ? progressText(state.progress) : 'Starting…';
    case 'cancelling':
      return 'Cancelling…';
    case 'cancelled':
      return `Cancelled after ${fmtNum(state.seconds, 1)} s; ${what} so far are kept.`;
    case 'done':
      return `Done in ${fmtNum(state.seconds, 1)} s on ${state.backend ?? 'the worker'}.`;
    case 'error':
      return state.message ?? 'The experiment failed.';
  }
}

/** The progress bar (role=progressbar, 0–100) and what the worker is doing; hidden before the first run. */
export function ExperimentProgress({ state, label, what, testId }: { state: ExperimentState; label: string; what: string; testId: string }) {
  if (state.status === 'idle') return null;
  const fraction = state.status === 'done' ? 1 : (state.progress?.fraction ?? 0);
  const pct = Math.round(fraction * 1000) / 10;
  const line = statusLine(state, what);
  const running = state.status === 'running' || state.status === 'queued' || state.status === 'cancelling';
  return (
    <div className="exp-progress" data-testid={testId} data-status={state.status} data-tensors={Number.isFinite(state.tensors) ? state.tensors : ''}>
      <div
        className={`exp-bar${running ? ' running' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}%${line ? `: ${line}` : ''}`}
      >
        <div className="exp-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className={`exp-status exp-status-${state.status}`} role={state.status === 'error' ? 'alert' : undefined}>
        {line}
      </p>
      {/* Announce only the changes of state, not every progress tick. */}
      <p className="fig-sr" aria-live="polite">
        {`${label}: ${state.status}`}
      </p>
      {state.warnings.length > 0 && (
        <ul className="exp-warnings" role="alert">
          {state.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SelectField<T extends number>(props: { label: string; value: T; options: readonly T[]; onChange(v: T): void; disabled?: boolean; format?: (v: T) => string; testId?: string }) {
  const id = useId();
  const format = props.format ?? ((v: T) => v.toLocaleString('en-US'));
  return (
    <div className="exp-field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} data-testid={props.testId} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(Number(e.target.value) as T)}>
        {props.options.map((v) => (
          <option key={v} value={v}>
            {format(v)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxGroup<T extends string | number>(props: {
  legend: string;
  values: readonly T[];
  chosen: readonly T[];
  onChange(chosen: T[]): void;
  disabled?: boolean;
  format?: (v: T) => string;
  testId?: string;
}) {
  const format = props.format ?? ((v: T) => String(v));
  return (
    <fieldset className="exp-field exp-choices" data-testid={props.testId} disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.values.map((v) => (
        <label key={String(v)}>
          <input
            type="checkbox"
            value={String(v)}
            checked={props.chosen.includes(v)}
            onChange={(e) => props.onChange(props.values.filter((x) => (x === v ? e.target.checked : props.chosen.includes(x))))}
          />
          {format(v)}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The chapter's start button(s) (`children`, disabled while an experiment runs) and Cancel, enabled
 * while one runs and until it is cancelling. Test ids: `${testId}-cancel`.
 */
export function RunControls({ state, onCancel, testId, children }: { state: ExperimentState; onCancel(): void; testId: string; children: ReactNode }) {
  return (
    <div className="transport">
      {children}
      <button type="button" data-testid={`${testId}-cancel`} onClick={onCancel} disabled={!isBusy(state.status) || state.status === 'cancelling'}>
        Cancel
      </button>
    </div>
  );
}
