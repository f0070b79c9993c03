import { describe, expect, it } from 'vitest';
import { EXPLODE_STEPS, LossWatch, lossWords, saferLearningRate, STUCK_STEPS, type WatchedStep } from './lossWatch';
import { DEFAULT_SETTINGS, optimizerFields } from '../ui/urlState';
import type { RunSettings } from './protocol';

const ADAM_LR1: RunSettings = { ...DEFAULT_SETTINGS, ...optimizerFields('adam'), lr: 1 };
const N = ADAM_LR1.n;

/** Steps `from`… with the given losses and one accuracy for every relation. */
function steps(losses: number[], accuracy: number, from = 0): WatchedStep[] {
  return losses.map((loss, i) => ({ step: from + i, loss, accuracyByRelation: [accuracy, accuracy] }));
}

/** Feeds `read` in readbacks of `chunk` steps; returns the first alarm. */
function watch(settings: RunSettings, read: WatchedStep[], chunk = 7) {
  const w = new LossWatch(settings);
  for (let i = 0; i < read.length; i += chunk) {
    const alarm = w.observe(read.slice(i, i + chunk));
    if (alarm) return alarm;
  }
  return null;
}

describe('LossWatch', () => {
  it('pauses a loss that stays far above its start, naming the learning rate and the fix', () => {
    // Adam at lr 1, N = 256 (the CLI's trace): 5.6, then 10⁶–10⁷ from step 1 on.
    const alarm = watch(ADAM_LR1, steps([5.6, ...Array(30).fill(1e7)], 0.004));
    expect(alarm).not.toBeNull();
    expect(alarm!.kind).toBe('exploded');
    expect(alarm!.step).toBe(EXPLODE_STEPS);
    expect(alarm!.saferLr).toBe(0.01);
    expect(alarm!.message).toContain('the learning rate 1 is too high for Adam; try 0.01');
    expect(alarm!.message).toContain('1·10⁷ at step 10');
  });

  it('lets spikes shorter than EXPLODE_STEPS pass (sign descent at lr 0.03 rose above twice its start for 2 steps in a row)', () => {
    const bumpy: number[] = [];
    for (let i = 0; i < 400; i++) bumpy.push(i % 20 < EXPLODE_STEPS - 1 ? 50 : 3);
    expect(watch({ ...ADAM_LR1, optimizer: 'sign', lr: 0.03 }, steps([5.6, ...bumpy], 0.3))).toBeNull();
  });

  it('holds a loaded, trained model against chance, not against its own tiny loss', () => {
    const trained = steps([1e-4, ...Array(50).fill(1e-3)], 1, 5000);
    expect(watch(ADAM_LR1, trained)).toBeNull();
  });

  it('pauses a run stuck at chance whose loss does not fall, and not one that falls slowly', () => {
    const logN = Math.log(N);
    // A flat output: the loss at ln N, wobbling.
    const flat = steps(Array.from({ length: STUCK_STEPS + 20 }, (_, i) => logN + (i % 2 ? 0.01 : -0.01)), 1 / N);
    const stuck = watch(ADAM_LR1, flat);
    expect(stuck?.kind).toBe('stuck');
    expect(stuck!.message).toMatch(/at chance \(1\/256\) for 1000 steps/);
    // A learning rate of 10⁻⁵: at chance for thousands of steps, the loss a little lower every step.
    const slow = steps(Array.from({ length: 5 * STUCK_STEPS }, (_, i) => 5.6 - 1e-5 * i), 1 / N);
    expect(watch({ ...DEFAULT_SETTINGS, lr: 1e-5 }, slow)).toBeNull();
    // Above chance, however flat: not stuck.
    expect(watch(ADAM_LR1, steps(Array(3 * STUCK_STEPS).fill(logN), 0.05))).toBeNull();
  });

  it('fires once per run, and leaves a NaN to the session', () => {
    const w = new LossWatch(ADAM_LR1);
    expect(w.observe(steps([5.6, NaN], 0))).toBeNull();
    const boom = steps(Array(2 * EXPLODE_STEPS).fill(1e7), 0, 2);
    expect(w.observe(boom)).not.toBeNull();
    expect(w.observe(boom)).toBeNull();
  });
});

describe('saferLearningRate and lossWords', () => {
  it("offers the optimiser's default where the rate is above it, else a tenth", () => {
    expect(saferLearningRate({ optimizer: 'adam', lr: 1 })).toBe(0.01);
    expect(saferLearningRate({ optimizer: 'sgd', lr: 0.3 })).toBe(0.1);
    expect(saferLearningRate({ optimizer: 'sgd', lr: 0.1 })).toBe(0.01);
    expect(saferLearningRate({ optimizer: 'sign', lr: 0.001 })).toBe(0.0001);
  });

  it('writes losses from chance to 10³⁸', () => {
    expect(lossWords(5.5452)).toBe('5.55');
    expect(lossWords(1234.5)).toBe('1,230');
    expect(lossWords(7.06e7)).toBe('7.1·10⁷');
    expect(lossWords(5.9e35)).toBe('5.9·10³⁵');
  });
});
