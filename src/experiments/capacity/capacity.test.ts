import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { capacitySweep, capacityTrial, constructionPoint, fitLine, searchMinimalD, type CapacitySettings } from './capacity';
import { constructionDim } from '../../core/model/construct';

describe('searchMinimalD', () => {
  const oracle = (threshold: number) => {
    const tried: number[] = [];
    return { tried, attempt: async (d: number) => (tried.push(d), d >= threshold) };
  };
  it.each([
    [1, 4],
    [5, 4],
    [13, 4],
    [13, 40],
    [37, 8],
    [64, 64],
    [2, 128],
  ])('finds threshold %i from start %i exactly, trying each d at most once', async (threshold, start) => {
    const { tried, attempt } = oracle(threshold);
    expect(await searchMinimalD(attempt, { floor: 1, max: 64, start })).toBe(threshold);
    expect(new Set(tried).size).toBe(tried.length);
    expect(tried.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(64)) + 1);
  });
  it('says null when even the maximum fails, and undefined when stopped', async () => {
    expect(await searchMinimalD(oracle(100).attempt, { floor: 1, max: 64, start: 4 })).toBeNull();
    let calls = 0;
    const stopped = await searchMinimalD(async (d) => (calls++, d > 10), { floor: 1, max: 64, start: 4, shouldStop: () => calls >= 2 });
    expect(stopped).toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe('fitLine', () => {
  it('recovers an exact line', () => {
    const fit = fitLine([6, 7, 8, 9], [34, 39, 44, 49])!;
    expect(fit.slope).toBeCloseTo(5, 12);
    expect(fit.intercept).toBeCloseTo(4, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fitLine([1], [1])).toBeNull();
  });
});

describe('capacity sweep (N = 16, 32; R = 2; small budget)', () => {
  it('finds d_min for learned and frozen embeddings, the construction is exact, and no tensor leaks', async () => {
    await startBackend('wasm');
    const before = tf.memory().numTensors;
    const settings: CapacitySettings = { ns: [16, 32], r: 2, m: 32, lr: 0.02, steps: 400, seed: 1, dFloor: 1, dMax: 32, arms: ['learned', 'frozen'] };
    let progressCalls = 0;
    const report = await capacitySweep(settings, { onProgress: () => void progressCalls++ });
    expect(report.cancelled).toBe(false);
    expect(progressCalls).toBeGreaterThan(0);
    for (const n of settings.ns) {
      const construction = report.points.find((p) => p.arm === 'construction' && p.n === n)!;
      expect(construction.dMin).toBe(constructionDim(n, 2));
      expect(construction.accuracy).toBe(1);
      for (const arm of settings.arms) {
        const point = report.points.find((p) => p.arm === arm && p.n === n)!;
        expect(point).toBeDefined();
        if (point.dMin === null) {
          // Above dMax: the trial at dMax ran and failed.
          expect(report.trials.some((t) => t.arm === arm && t.n === n && t.d === settings.dMax && !t.reached)).toBe(true);
          continue;
        }
        // d_min reached 100%; one less (if tried, and it must be unless d_min is the floor) did not.
        expect(report.trials.find((t) => t.arm === arm && t.n === n && t.d === point.dMin)!.reached).toBe(true);
        if (point.dMin > settings.dFloor) expect(report.trials.find((t) => t.arm === arm && t.n === n && t.d === point.dMin! - 1)!.reached).toBe(false);
      }
    }
    // The learned embeddings need far less than the fact count: d_min is found for both N.
    expect(report.points.filter((p) => p.arm === 'learned').every((p) => p.dMin !== null)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when asked and keeps what it has', async () => {
    await startBackend('wasm');
    const settings: CapacitySettings = { ns: [16, 32], r: 2, m: 32, lr: 0.02, steps: 400, seed: 1, dFloor: 1, dMax: 32, arms: ['learned'] };
    let trialsStarted = 0;
    const report = await capacitySweep(settings, { onProgress: (p) => void (p.current?.step === 0 && trialsStarted++), shouldStop: () => trialsStarted >= 2 });
    expect(report.cancelled).toBe(true);
    expect(report.points.filter((p) => p.arm === 'construction')).toHaveLength(2);
    expect(report.points.filter((p) => p.arm === 'learned')).toHaveLength(0);
  });

  it('awaits its progress callback inside a trial (a worker yields there)', async () => {
    await startBackend('wasm');
    const settings: CapacitySettings = { ns: [16], r: 2, m: 16, lr: 0.02, steps: 40, seed: 1, dFloor: 2, dMax: 2, arms: ['frozen'] };
    let pending = 0;
    let overlapped = false;
    let midTrial = 0;
    await capacitySweep(settings, {
      onProgress: async (p) => {
        if (pending > 0) overlapped = true;
        if (p.current && p.current.step > 0) midTrial++;
        pending++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        pending--;
      },
    });
    expect(midTrial).toBeGreaterThan(0);
    expect(overlapped).toBe(false);
  });

  it('a trial trains with the settings’ optimiser: Adam when none is named, plain GD when asked', async () => {
    await startBackend('wasm');
    const before = tf.memory().numTensors;
    const base: CapacitySettings = { ns: [16], r: 2, m: 32, lr: 0.01, steps: 300, seed: 1, dFloor: 1, dMax: 32, arms: ['learned'] };
    const adam = await capacityTrial('learned', 16, 16, base);
    const named = await capacityTrial('learned', 16, 16, { ...base, optimizer: 'adam' });
    // Plain GD at a learning rate far too small to get anywhere in the budget.
    const gd = await capacityTrial('learned', 16, 16, { ...base, optimizer: 'gd', lr: 1e-4, embedLrMult: 1 });
    expect(adam.reached).toBe(true);
    expect(named).toMatchObject({ steps: adam.steps, accuracy: adam.accuracy, stepsTo100: adam.stepsTo100 });
    expect(gd).toMatchObject({ reached: false, steps: 300 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('construction point at N = 100 is exact with d* = (R+1)·7 + R', async () => {
    await startBackend('wasm');
    const p = await constructionPoint(100, 3, 2);
    expect(p.dMin).toBe(4 * 7 + 3);
    expect(p.accuracy).toBe(1);
  });
});
