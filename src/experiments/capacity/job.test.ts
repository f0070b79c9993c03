import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPACITY } from './capacity';
import { capacityFraction, capacityProgressText, checkCapacityJob, type CapacityJob } from './job';

const capacity = (over: Partial<typeof DEFAULT_CAPACITY> = {}): CapacityJob => ({ settings: { ...DEFAULT_CAPACITY, ns: [16, 32], dMax: 64, ...over } });

describe('capacity job', () => {
  it('accepts a small job and names what is out of range', () => {
    expect(checkCapacityJob(capacity())).toBeNull();
    expect(checkCapacityJob(capacity({ ns: [] }))).toMatch(/values of N/);
    expect(checkCapacityJob(capacity({ ns: [16, 1024] }))).toMatch(/every N/);
    expect(checkCapacityJob(capacity({ r: 9 }))).toMatch(/R must/);
    expect(checkCapacityJob(capacity({ steps: 0 }))).toMatch(/step budget/);
    expect(checkCapacityJob(capacity({ dFloor: 10, dMax: 5 }))).toMatch(/d floor/);
    expect(checkCapacityJob(capacity({ arms: [] }))).toMatch(/arm/);
  });

  it('progress: monotone within a cell over trials and steps, never past the next cell, 1 at the end', () => {
    const seq: number[] = [];
    for (let cell = 0; cell < 3; cell++) for (let t = 0; t < 6; t++) for (const step of [0, 50, 100]) seq.push(capacityFraction(cell, 3, t, step, 100));
    seq.push(capacityFraction(3, 3, 0, 0, 100));
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[0]).toBe(0);
    expect(capacityFraction(0, 3, 100, 0, 100)).toBeLessThan(1 / 3);
    expect(seq[seq.length - 1]).toBe(1);
    expect(capacityFraction(0, 0, 0, 0, 0)).toBe(0);
  });

  it('says what the worker is doing', () => {
    expect(capacityProgressText({ fraction: 0.2, cellsDone: 1, cells: 4, current: { arm: 'frozen', n: 32, d: 5, step: 120, steps: 300 }, trials: 3, points: [] })).toBe(
      'frozen embeddings, N = 32, d = 5: step 120 of 300 · 1 of 4 points · 3 trials done',
    );
  });
});
