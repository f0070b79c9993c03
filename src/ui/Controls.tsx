/**
 * The run's settings and the transport buttons. A number is applied when the field is committed
 * (Enter or leaving it); a bad value is named next to the field and the run keeps its old value.
 */
import { useEffect, useState } from 'react';
import { PARAMS, describeRange, parseParam, type NumberParam } from '../core/params';
import type { BackendChoice, RunSettings, RunStatus } from '../worker/protocol';
import { BACKEND_CHOICES, fitSettings } from './urlState';

type NumericKey = 'n' | 'd' | 'r' | 'm' | 'lr' | 'seed';

const FIELDS: { key: NumericKey; label: string; hint: string; param: NumberParam }[] = [
  { key: 'n', label: 'N — bijection size', hint: 'subjects = attributes', param: PARAMS.n },
  { key: 'd', label: 'd — embedding dimension', hint: 'width of the residual stream', param: PARAMS.d },
  { key: 'r', label: 'R — relations', hint: 'one random bijection each', param: PARAMS.r },
  { key: 'm', label: 'm — MLP width', hint: 'hidden ReLU units', param: PARAMS.m },
  { key: 'lr', label: 'learning rate', hint: 'Adam', param: PARAMS.lr },
  { key: 'seed', label: 'seed', hint: 'facts and initial weights', param: PARAMS.seed },
];

function NumberField(props: { field: (typeof FIELDS)[number]; value: number; onCommit(value: number): string | null }) {
  const { field, value } = props;
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    if (text === String(value)) return setError(null);
    const parsed = parseParam(field.key, field.param, text);
    if (!parsed.ok) {
      setError(`must be ${describeRange(field.param)}`);
      return;
    }
    setError(props.onCommit(parsed.value));
  };
  const id = `field-${field.key}`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label} <span className="hint">{field.hint}</span>
      </label>
      <input
        id={id}
        data-testid={id}
        inputMode="decimal"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(String(value));
            setError(null);
          }
        }}
      />
      {error && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {field.key} {error}; kept {value}
        </span>
      )}
    </div>
  );
}

/** What the controls do, passed as one bundle by the page and by an embed. */
export interface RunHandlers {
  onSettings(settings: RunSettings): void;
  onBackend(choice: BackendChoice): void;
  onPlay(): void;
  onPause(): void;
  onStep(): void;
  onReset(): void;
}

export interface ControlsProps extends RunHandlers {
  settings: RunSettings;
  backend: BackendChoice;
  status: RunStatus;
}

export function Controls(props: ControlsProps) {
  const { settings, status } = props;
  const running = status === 'running';
  const commit = (key: NumericKey) => (value: number) => {
    const fitted = fitSettings({ ...settings, [key]: value });
    if (fitted.message) return fitted.message;
    props.onSettings(fitted.settings);
    return null;
  };
  return (
    <section className="controls" aria-label="Model and training settings">
      <div className="fields">
        {FIELDS.map((field) => (
          <NumberField key={field.key} field={field} value={settings[field.key]} onCommit={commit(field.key)} />
        ))}
        <div className="field">
          <label htmlFor="field-backend">
            backend <span className="hint">where tfjs computes</span>
          </label>
          <select id="field-backend" data-testid="field-backend" value={props.backend} onChange={(e) => props.onBackend(e.target.value as BackendChoice)}>
            {BACKEND_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </div>
        <div className="field checkbox">
          <input
            id="field-freeze"
            type="checkbox"
            checked={settings.freezeSubjects}
            onChange={(e) => props.onSettings({ ...settings, freezeSubjects: e.target.checked })}
          />
          <label htmlFor="field-freeze">
            freeze subject embeddings <span className="hint">the associative control: random, never trained</span>
          </label>
        </div>
      </div>
      <div className="transport" role="group" aria-label="Training">
        {running ? (
          <button type="button" data-testid="pause" aria-keyshortcuts="Space" onClick={props.onPause}>
            ❚❚ Pause
          </button>
        ) : (
          <button type="button" data-testid="play" aria-keyshortcuts="Space" onClick={props.onPlay} disabled={status === 'diverged' || status === 'error'}>
            ▶ Train
          </button>
        )}
        <button type="button" data-testid="step" aria-keyshortcuts="ArrowRight" onClick={props.onStep} disabled={running || status === 'diverged'}>
          Step
        </button>
        <button type="button" data-testid="reset" aria-keyshortcuts="R" onClick={props.onReset}>
          Reset
        </button>
      </div>
    </section>
  );
}
