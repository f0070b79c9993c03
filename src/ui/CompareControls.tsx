/**
 * Starts and stops a second run B beside the playground's run A: the same facts and initial weights,
 * with one setting changed (the URL's `compare=`, which may hold several).
 */
import { useId, useState } from 'react';
import { OPTIMIZERS, OPTIMIZER_LABELS, type OptimizerName } from '../core/training/optimizerSettings';
import { describeRange, parseParam } from '../core/model/params';
import type { RunSettings } from '../worker/protocol';
import { runLabel } from './compare';
import { NUMERIC, compareSettings, type CompareChanges, type CompareKey } from './urlState';

const CHOICES: { key: CompareKey; label: string }[] = [
  { key: 'opt', label: 'optimizer' },
  { key: 'ua', label: 'uniform attention' },
  { key: 'freeze', label: 'freeze subject embeddings' },
  { key: 'lr', label: 'learning rate' },
  { key: 'mom', label: 'momentum' },
  { key: 'elr', label: 'embedding lr ×' },
  { key: 'wd', label: 'weight decay' },
  { key: 'd', label: 'd — embedding dimension' },
  { key: 'm', label: 'm — MLP width' },
];

/** A value for B that differs from A's, to start from. */
function suggestion(key: CompareKey, a: RunSettings): string {
  switch (key) {
    case 'lr':
      return String(a.lr / 2);
    case 'mom':
      return a.momentum > 0 ? '0' : '0.9';
    case 'elr':
      return a.embedLrMult !== 1 ? '1' : '30';
    case 'wd':
      return a.weightDecay > 0 ? '0' : '0.001';
    case 'd':
      return String(Math.max(1, Math.round(a.d / 2)));
    case 'm':
      return String(Math.max(1, Math.round(a.m / 4)));
    default:
      return '';
  }
}

export interface CompareControlsProps {
  settings: RunSettings;
  compare: CompareChanges | null;
  onCompare(changes: CompareChanges | null): void;
}

export function CompareControls({ settings, compare, onCompare }: CompareControlsProps) {
  const id = useId();
  const [key, setKey] = useState<CompareKey>('opt');
  const otherOptimizer: OptimizerName = settings.optimizer === 'adam' ? 'sgd' : 'adam';
  const [optimizer, setOptimizer] = useState<OptimizerName | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (settings.construction) {
    return (
      <section className="compare" aria-label="Compare with a second run" data-testid="compare">
        <p className="hint-text">A second run beside this one compares training; the hand-built construction is shown alone.</p>
      </section>
    );
  }

  if (compare) {
    const b = compareSettings(settings, compare);
    return (
      <section className="compare on" aria-label="Compare with a second run" data-testid="compare" data-compare="on">
        <p>
          <strong>Two runs side by side.</strong> A: {runLabel(compare, settings)}. B: {runLabel(compare, b)} — the same facts
          {settings.d === b.d && settings.m === b.m ? ' and initial weights' : ''}, each in its own worker; they play, pause, step and reset
          together.
        </p>
        <button type="button" data-testid="compare-stop" onClick={() => onCompare(null)}>
          Stop comparing
        </button>
      </section>
    );
  }

  const value = text ?? suggestion(key, settings);
  const chosenOptimizer = optimizer && optimizer !== settings.optimizer ? optimizer : otherOptimizer;
  const start = () => {
    let changes: CompareChanges;
    if (key === 'opt') changes = { optimizer: chosenOptimizer };
    else if (key === 'ua') changes = { uniformAttention: !settings.uniformAttention };
    else if (key === 'freeze') changes = { freezeSubjects: !settings.freezeSubjects };
    else {
      const param = NUMERIC[key].param;
      const parsed = parseParam(key, param, value);
      if (!parsed.ok) return setError(`${key} must be ${describeRange(param)}`);
      if (key === 'mom' && settings.optimizer === 'gd') return setError('plain gradient descent has no momentum: compare optimizers instead');
      const field = { lr: 'lr', mom: 'momentum', elr: 'embedLrMult', wd: 'weightDecay', d: 'd', m: 'm' } as const;
      changes = { [field[key]]: parsed.value };
    }
    setError(null);
    onCompare(changes);
  };

  return (
    <section className="compare" aria-label="Compare with a second run" data-testid="compare">
      <div className="compare-form">
        <div className="field">
          <label htmlFor={`${id}-key`}>
            Compare with a run that changes <span className="hint">same facts and initial weights; both restart at step 0</span>
          </label>
          <select
            id={`${id}-key`}
            data-testid="compare-key"
            value={key}
            onChange={(e) => {
              setKey(e.target.value as CompareKey);
              setText(null);
              setError(null);
            }}
          >
            {CHOICES.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {key === 'opt' && (
          <div className="field">
            <label htmlFor={`${id}-value`}>
              to <span className="hint">with its own default settings</span>
            </label>
            <select id={`${id}-value`} data-testid="compare-value" value={chosenOptimizer} onChange={(e) => setOptimizer(e.target.value as OptimizerName)}>
              {OPTIMIZERS.filter((name) => name !== settings.optimizer).map((name) => (
                <option key={name} value={name}>
                  {OPTIMIZER_LABELS[name]}
                </option>
              ))}
            </select>
          </div>
        )}
        {(key === 'ua' || key === 'freeze') && (
          <p className="compare-flag">
            to <strong>{(key === 'ua' ? settings.uniformAttention : settings.freezeSubjects) ? 'off' : 'on'}</strong> in B
          </p>
        )}
        {key !== 'opt' && key !== 'ua' && key !== 'freeze' && (
          <div className="field">
            <label htmlFor={`${id}-value`}>
              to <span className="hint">A has {settings[NUMERIC[key].key]}</span>
            </label>
            <input
              id={`${id}-value`}
              data-testid="compare-value"
              inputMode="decimal"
              value={value}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') start();
              }}
            />
          </div>
        )}
        <button type="button" data-testid="compare-start" onClick={start}>
          Train A and B side by side
        </button>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
