/** The run at a glance: step, speed, backend and why, size of the model against the facts' bits. */
import type { TrainingView } from './useTrainingWorker';

const fmt = new Intl.NumberFormat('en-US');

export function StatusPanel({ view }: { view: TrainingView }) {
  const accuracy = view.history.lastAccuracy;
  const lastLoss = view.history.lastLoss;
  const mean = accuracy ? accuracy.reduce((a, b) => a + b, 0) / accuracy.length : null;
  const bitsPerParameter = view.parameters ? view.informationBits / view.parameters : 0;
  return (
    <section
      className="status"
      data-testid="status"
      data-status={view.status}
      data-step={view.step}
      data-backend={view.backend?.name ?? ''}
      data-simd-kernels={view.backend?.simdKernels ? 'yes' : 'no'}
      data-accuracy-min={accuracy ? Math.min(...accuracy) : ''}
      data-last-loss={lastLoss ?? ''}
      data-tensors={view.tensors}
      aria-label="Training status"
    >
      <dl>
        <div>
          <dt>step</dt>
          <dd data-testid="step-count">{fmt.format(view.step)}</dd>
        </div>
        <div>
          <dt>speed</dt>
          <dd>{view.status === 'running' ? `${view.stepsPerSecond.toFixed(1)} steps/s` : '—'}</dd>
        </div>
        <div>
          <dt>accuracy</dt>
          <dd data-testid="accuracy">{mean === null ? '—' : `${(100 * mean).toFixed(1)}%`}</dd>
        </div>
        <div>
          <dt>loss</dt>
          <dd>{lastLoss === null ? '—' : lastLoss.toPrecision(3)}</dd>
        </div>
        <div>
          <dt>backend</dt>
          <dd data-testid="backend-name" title={view.backend?.reason}>
            {view.backend?.name ?? 'starting…'}
          </dd>
        </div>
      </dl>
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
          <p className={`status-message status-${view.status}`} role={view.status === 'diverged' || view.status === 'error' ? 'alert' : undefined}>
            {view.statusMessage}
          </p>
        )}
      </div>
    </section>
  );
}
