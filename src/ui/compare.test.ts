import { describe, expect, it } from 'vitest';
import { OPTIMIZER_DEFAULTS } from '../core/training/optimizerSettings';
import { probeVerdict, runLabel, runNumbers, type RunNumbers } from './compare';
import { MetricHistory } from './metricHistory';
import { DEFAULT_SETTINGS, compareSettings } from './urlState';
import type { TrainingView } from './useTrainingWorker';

describe('two runs side by side', () => {
  it('labels each run by the settings B changes', () => {
    const changes = { optimizer: 'adam', uniformAttention: true, m: 64 } as const;
    const b = compareSettings(DEFAULT_SETTINGS, changes);
    expect(runLabel(changes, DEFAULT_SETTINGS)).toBe('SGD with momentum, learned attention, m = 256');
    expect(runLabel(changes, b)).toBe('Adam, uniform attention, m = 64');
    expect(b).toMatchObject({ ...OPTIMIZER_DEFAULTS.adam, uniformAttention: true, m: 64, d: DEFAULT_SETTINGS.d });
  });

  it('reads the numbers off a view, and says how the probes differ', () => {
    const history = new MetricHistory();
    history.append({ steps: Int32Array.of(0, 1), loss: Float32Array.of(5, 4), accuracy: Float32Array.of(0, 0.5, 1, 0.5) }, 2);
    const view = {
      step: 2,
      stepsTo100: null,
      history,
      measurements: { step: 2, probe: { heldOutAccuracy: [0.98, 0.94] }, superposition: { heldOutR2: 0.87 } },
    } as unknown as TrainingView;
    const a = runNumbers(view);
    expect(a).toEqual({ step: 2, accuracy: 0.75, stepsTo100: null, probeMin: 0.94, probeMean: 0.96, r2: 0.87, loss: 4, measuredAt: 2 });
    const b: RunNumbers = { ...a, probeMin: 0.69, measuredAt: 3 };
    expect(probeVerdict(a, b)).toBe("On its weakest relation, B's held-out probe reads 0.69 against A's 0.94: lower by 0.25 (A at step 2, B at step 3).");
    expect(probeVerdict(a, { ...a })).toMatch(/^The held-out probes agree: 0\.94/);
    expect(probeVerdict(a, { ...a, probeMin: null })).toBeNull();
  });
});
