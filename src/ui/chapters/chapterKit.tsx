/**
 * Pieces shared by the chapters: what every chapter is given (ChapterProps), the progress bar with
 * its status line, the run and cancel buttons, a select of allowed values, a group of checkboxes,
 * the form fields bound to a chapter's form, a list of sentences, and the notice for a precomputed
 * file that cannot be shown.
 */
import { useId, type ReactNode } from 'react';
import type { JobProgressBase, Parsed } from '../../experiments/kit';
import type { RunSettings, WeightsExport } from '../../worker/protocol';
import { isBusy, type ExperimentClient, type ExperimentState } from '../useExperimentWorker';
import './chapters.css';
import { fmtNum } from '../format';

/** What a chapter may use of the playground above it. */
export interface Playground {
  settings: RunSettings;
  onSettings(settings: RunSettings): void;
  /** The playground's R when the page opened (a default for a chapter's form). */
  initialR: number;
  /** A copy of the playground's current model. */
  exportWeights(): Promise<WeightsExport>;
}

/** What every chapter component (the default export of src/experiments/<name>/chapter.tsx) is given. */
export interface ChapterProps {
  /** The page's one experiment worker: `useExperiment(client, '<name>')` runs the chapter's jobs. */
  client: ExperimentClient;
  playground: Playground;
}

function statusLine<P extends JobProgressBase>(state: ExperimentState<P>, what: string, describe: (p: P) => string): string {
  switch (state.status) {
    case 'idle':
      return '';
    case 'queued':
      return 'Starting the experiment worker (or waiting for another chapter’s experiment to finish)…';
    case 'running':
      return state.progress ? describe(state.progress) : 'Starting…';
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

/**
 * The progress bar (role=progressbar, 0–100) and what the worker is doing (`describe`, the
 * experiment's progress line); hidden before the first run.
 */
export function ExperimentProgress<P extends JobProgressBase>(props: { state: ExperimentState<P>; describe(p: P): string; label: string; what: string; testId: string }) {
  const { state, label, what, testId } = props;
  if (state.status === 'idle') return null;
  const fraction = state.status === 'done' ? 1 : (state.progress?.fraction ?? 0);
  const pct = Math.round(fraction * 1000) / 10;
  const line = statusLine(state, what, props.describe);
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
export function RunControls({ state, onCancel, testId, children }: { state: ExperimentState<JobProgressBase, unknown>; onCancel(): void; testId: string; children: ReactNode }) {
  return (
    <div className="transport">
      {children}
      <button type="button" data-testid={`${testId}-cancel`} onClick={onCancel} disabled={!isBusy(state.status) || state.status === 'cancelling'}>
        Cancel
      </button>
    </div>
  );
}

/**
 * The props binding a form's field to a SelectField (`field.select('r')`) or a CheckboxGroup
 * (`field.choices('ns')`): its value, its change, disabled while busy, test id `${prefix}-${key}`.
 */
export function formFields<F extends object>(form: F, setForm: (form: F) => void, busy: boolean, prefix: string) {
  const common = <K extends keyof F>(key: K, testId?: string) => ({ disabled: busy, testId: testId ?? `${prefix}-${String(key)}`, onChange: (value: F[K]) => setForm({ ...form, [key]: value }) });
  const select = <K extends keyof F>(key: K, testId?: string) => ({ ...common(key, testId), value: form[key] });
  return {
    select,
    choices: <K extends keyof F>(key: K, testId?: string) => ({ ...common(key, testId), chosen: form[key] }),
    /** One SelectField per entry, in order: form key → [label, options]. */
    selects: (spec: Partial<Record<keyof F, readonly [string, readonly number[]]>>) =>
      (Object.entries(spec) as [keyof F & string, readonly [string, readonly number[]]][]).map(([key, [label, options]]) => (
        <SelectField key={key} label={label} options={options} {...(select(key) as unknown as { value: number; onChange(v: number): void; disabled: boolean; testId: string })} />
      )),
  };
}

/** Sentences computed from the data, one list item each. */
export function Sentences({ items }: { items: readonly string[] }) {
  return (
    <ul>
      {items.map((t, i) => (
        <li key={i}>{t}</li>
      ))}
    </ul>
  );
}

/** Where a chapter's precomputed findings would be: why its file cannot be shown (empty when it can). */
export function PrecomputedError({ parsed, what = 'The precomputed sweep' }: { parsed: Parsed<unknown>; what?: string }) {
  return (
    <p className="exp-status-error" role="alert">
      {parsed.ok ? '' : `${what} could not be shown: ${parsed.message}.`}
    </p>
  );
}

/** ", cancelled before the end" or ", so far" after the description of a live run, or nothing once done. */
export function liveSuffix(state: ExperimentState<JobProgressBase, unknown>): string {
  return state.status === 'cancelled' ? ', cancelled before the end' : isBusy(state.status) ? ', so far' : '';
}

/**
 * A chapter's one start button (`${testId}-run`, disabled while busy or while the form is incomplete)
 * with Cancel beside it, and `hint` under them while the form is incomplete.
 */
export function StartControls(props: { state: ExperimentState<JobProgressBase, unknown>; onStart(): void; onCancel(): void; testId: string; valid: boolean; label: string; hint: string }) {
  const { state, testId, valid } = props;
  return (
    <>
      <RunControls state={state} onCancel={props.onCancel} testId={testId}>
        <button type="button" data-testid={`${testId}-run`} onClick={props.onStart} disabled={isBusy(state.status) || !valid}>
          {props.label}
        </button>
      </RunControls>
      {!valid && <p className="hint-text">{props.hint}</p>}
    </>
  );
}
