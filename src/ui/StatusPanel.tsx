/**
 * The run at a glance: step, speed, accuracy, the held-out probes, backend and why, the optimiser,
 * and the size of the model against the facts' bits.
 */
import { describeOptimizer } from '../core/training/optimizerSettings';
import type { RunSettings } from '../worker/protocol';
import type { TrainingView } from './useTrainingWorker';

const fmt = new Intl.NumberFormat('en-US');

/** The training recipe in words: the optimiser and its settings, then the switches that are on. */
export function describeTraining(settings: RunSettings): string {
  const parts = [describeOptimizer(settings)];
  if (settings.uniformAttention) parts.push('uniform attention');
  if (settings.freezeSubjects) parts.push('subject embeddings frozen');
  return parts.join('; ');
}

export interface StatusPanelProps {
  view: TrainingView;
  /** `status` for the playground's run; another id for a second run beside it. */
  testId?: string;
  /** A heading, for a second run's panel (e.g. "Run B"). */
  title?: string;
  /** Restart with this learning rate, playing: the fix offered when the loss explodes (view.statusFix). */
  onFix?(lr: number): void;
}

export function StatusPanel({ view, testId = 'status', title, onFix }: StatusPanelProps) {
  const accuracy = view.history.lastAccuracy;
  const lastLoss = view.history.lastLoss;
  const mean = accuracy ? accuracy.reduce((a, b) => a + b, 0) / accuracy.length : null;
  const bitsPerParameter = view.parameters ? view.informationBits / view.parameters : 0;
  const probe = view.measurements?.probe.heldOutAccuracy ?? null;
  const probeMin = probe && probe.length ? Math.min(...probe) : null;
  return (
    <section
      className="status"
      data-testid={testId}
      data-status={view.status}
      data-step={view.step}
      data-backend={view.backend?.name ?? ''}
      data-simd-kernels={view.backend?.simdKernels ? 'yes' : 'no'}
      data-accuracy-min={accuracy ? Math.min(...accuracy) : ''}
      data-last-loss={lastLoss === null ? '' : String(lastLoss)}
      data-tensors={view.tensors}
      data-probe-held-out={probe ? probe.join(',') : ''}
      data-probe-step={view.measurements?.step ?? ''}
      data-optimizer={view.settings?.optimizer ?? ''}
      aria-label={title ? `Training status, ${title}` : 'Training status'}
    >
      {title && <h3 className="status-title">{title}</h3>}
      <dl>
        <div>
          <dt>step</dt>
          <dd data-testid={testId === 'status' ? 'step-count' : undefined}>{fmt.format(view.step)}</dd>
        </div>
        <div>
          <dt>speed</dt>
          <dd>{view.status === 'running' ? `${view.stepsPerSecond.toFixed(1)} steps/s` : '—'}</dd>
        </div>
        <div>
          <dt>accuracy</dt>
          <dd data-testid={testId === 'status' ? 'accuracy' : undefined}>{mean === null ? '—' : `${(100 * mean).toFixed(1)}%`}</dd>
        </div>
        <div>
          <dt>loss</dt>
          <dd>{lastLoss === null ? '—' : lastLoss.toPrecision(3)}</dd>
        </div>
        <div>
          <dt title="Held-out probe accuracy, the lowest over the relations (the projection figure shows each)">held-out probe</dt>
          <dd>{probeMin === null ? '—' : `${probeMin.toFixed(2)}${probe!.length > 1 ? ' (lowest)' : ''}`}</dd>
        </div>
        <div>
          <dt>backend</dt>
          <dd data-testid={testId === 'status' ? 'backend-name' : undefined} title={view.backend?.reason}>
            {view.backend?.name ?? 'starting…'}
          </dd>
        </div>
      </dl>
      {view.settings && (
        <p className="training-recipe" data-testid={`${testId}-recipe`}>
          {view.settings.construction ? 'Hand-built weights; Train trains them on with ' : 'Training with '}
          {describeTraining(view.settings)}, full batch.
        </p>
      )}
      {view.backend && <p className="backend-reason">Training on {view.backend.name}: {view.backend.reason}.</p>}
      {view.parameters > 0 && (
        <p className="capacity">
          {fmt.format(view.parameters)} parameters hold {fmt.format(Math.round(view.informationBits))} bits of facts (R·log₂N!) —{' '}
          {bitsPerParameter.toFixed(2)} bits per parameter.
        </p>
      )}
      {/* Only the messages are announced (the step count changes many times a second). */}
      <div aria-live="polite">
        {view.statusMessage && (
          <p
            className={`status-message status-${view.status}`}
            role={view.status === 'diverged' || view.status === 'error' || view.statusFix ? 'alert' : undefined}
            data-testid={view.statusFix ? `${testId}-alarm` : undefined}
          >
            {view.statusMessage}
          </p>
        )}
        {view.statusFix && onFix && (
          <button type="button" className="fix-button" data-testid={`${testId}-fix`} onClick={() => onFix(view.statusFix!.lr)}>
            Restart with learning rate {view.statusFix.lr}
          </button>
        )}
      </div>
    </section>
  );
}
