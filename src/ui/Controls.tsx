/**
 * The run's settings and the transport buttons. A number is applied when the field is committed
 * (Enter or leaving it); a bad value is named next to the field and the run keeps its old value.
 */
import { useEffect, useState } from 'react';
import { OPTIMIZERS, OPTIMIZER_LABELS, type OptimizerName } from '../core/training/optimizerSettings';
import { PARAMS, describeRange, parseParam, type NumberParam } from '../core/model/params';
import type { BackendChoice, RunSettings, RunStatus } from '../worker/protocol';
import { BACKEND_CHOICES, fitSettings, withOptimizer, type NumericSetting } from './urlState';

interface Field {
  /** The URL key, also the field's id (`field-<key>`) and the name in its error message. */
  key: string;
  setting: NumericSetting;
  label: string;
  hint: string;
  param: NumberParam;
}

const SIZE_FIELDS: Field[] = [
  { key: 'n', setting: 'n', label: 'N — bijection size', hint: 'subjects = attributes', param: PARAMS.n },
  { key: 'd', setting: 'd', label: 'd — embedding dimension', hint: 'width of the residual stream', param: PARAMS.d },
  { key: 'r', setting: 'r', label: 'R — relations', hint: 'one random bijection each', param: PARAMS.r },
  { key: 'm', setting: 'm', label: 'm — MLP width', hint: 'hidden ReLU units', param: PARAMS.m },
  { key: 'seed', setting: 'seed', label: 'seed', hint: 'facts and initial weights', param: PARAMS.seed },
];

/** Each optimiser in a few words, and what its momentum setting means. */
const OPTIMIZER_TEXT: Record<OptimizerName, { what: string; momentum: string }> = {
  adam: { what: 'normalised steps, near the sign of the gradient', momentum: "Adam's β1: how much of the past gradient its average keeps" },
  sgd: { what: 'steps along the gradient, with momentum', momentum: 'how much of the last update each step keeps' },
  gd: { what: 'steps along the gradient, nothing else', momentum: 'none: plain gradient descent' },
  sign: { what: 'steps of fixed size along its sign', momentum: 'steps follow the sign of a gradient average that keeps this much' },
};

function optimizerFields(optimizer: OptimizerName): Field[] {
  return [
    { key: 'lr', setting: 'lr', label: 'learning rate', hint: 'attention, MLP and positions', param: PARAMS.lr },
    { key: 'mom', setting: 'momentum', label: optimizer === 'adam' ? 'momentum (β1)' : 'momentum', hint: OPTIMIZER_TEXT[optimizer].momentum, param: PARAMS.momentum },
    { key: 'elr', setting: 'embedLrMult', label: 'embedding lr ×', hint: 'subject embeddings and U take lr × this: each row sees only its own facts', param: PARAMS.embedLrMult },
    { key: 'wd', setting: 'weightDecay', label: 'weight decay', hint: 'decoupled, every step; 0 = none', param: PARAMS.weightDecay },
  ];
}


function NumberField(props: { field: Field; value: number; disabled?: boolean; onCommit(value: number): string | null }) {
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
        disabled={props.disabled}
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
  const commit = (key: NumericSetting) => (value: number) => {
    const fitted = fitSettings({ ...settings, [key]: value });
    if (fitted.message) return fitted.message;
    props.onSettings(fitted.settings);
    return null;
  };
  const field = (f: Field, disabled?: boolean) => <NumberField key={f.key} field={f} value={settings[f.setting]} disabled={disabled} onCommit={commit(f.setting)} />;
  const [lr, momentum, ...rest] = optimizerFields(settings.optimizer);
  return (
    <section className="controls" aria-label="Model and training settings">
      <div className="fields">
        {SIZE_FIELDS.map((f) => field(f))}
        <div className="field">
          <label htmlFor="field-opt">
            optimizer <span className="hint">{OPTIMIZER_TEXT[settings.optimizer].what}</span>
          </label>
          <select
            id="field-opt"
            data-testid="field-opt"
            value={settings.optimizer}
            onChange={(e) => props.onSettings(withOptimizer(settings, e.target.value as OptimizerName))}
          >
            {OPTIMIZERS.map((name) => (
              <option key={name} value={name}>
                {OPTIMIZER_LABELS[name]}
              </option>
            ))}
          </select>
        </div>
        {field(lr)}
        {field(momentum, settings.optimizer === 'gd')}
        {rest.map((f) => field(f))}
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
        <div className="field checkbox">
          <input
            id="field-ua"
            data-testid="field-ua"
            type="checkbox"
            checked={settings.uniformAttention}
            onChange={(e) => props.onSettings({ ...settings, uniformAttention: e.target.checked })}
          />
          <label htmlFor="field-ua">
            uniform attention{' '}
            <span className="hint">queries and keys fixed at zero: the last position weighs subject and relation ½, ½, as in the construction</span>
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
