import { describe, expect, it } from 'vitest';
import type { MultihopResult } from './multihop';
import { multihopPoint } from './multihopPoint';
import { checkMultihopJob, multihopFraction, multihopProgressText, type MultihopJob } from './job';

const multihop = (over: Partial<MultihopJob> = {}): MultihopJob => ({ n: 16, r: 4, m: 64, ds: [4, 8], steps: 600, seed: 1, lr: 0.01, ...over });

describe('multi-hop job', () => {
  it('accepts a small job and names what is out of range', () => {
    expect(checkMultihopJob(multihop())).toBeNull();
    expect(checkMultihopJob(multihop({ n: 128 }))).toMatch(/N must/);
    expect(checkMultihopJob(multihop({ ds: [] }))).toMatch(/values of d/);
    expect(checkMultihopJob(multihop({ ds: [4, 0.5] }))).toMatch(/every d/);
    expect(checkMultihopJob(multihop({ lr: 0 }))).toMatch(/learning rate/);
  });

  it('progress: single hop then direct per d, monotone', () => {
    const seq = [0, 1].flatMap((i) => [
      multihopFraction(i, 2, 'singleHop', 0, 100),
      multihopFraction(i, 2, 'singleHop', 100, 100),
      multihopFraction(i, 2, 'direct', 0, 100),
      multihopFraction(i, 2, 'direct', 100, 100),
    ]);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[0]).toBe(0);
    expect(seq[seq.length - 1]).toBe(1);
  });

  it('says what the worker is doing', () => {
    expect(multihopProgressText({ fraction: 0.5, index: 1, count: 3, d: 8, model: 'direct', step: 40, steps: 600, accuracy: 0.5, loss: 1, points: [] })).toBe(
      'd = 8 (2 of 3), direct 2-hop model: step 40 of 600 · training accuracy 0.50',
    );
  });
});

describe('multihopPoint', () => {
  it('writes a result in the precomputed file format', () => {
    const training = { steps: 100, stepsTo100: 90, peakAccuracy: 1, peakStep: 90, seconds: 1.5, loss: 0.1, diverged: false };
    const result: MultihopResult = {
      config: { n: 16, r: 2, d: 8, m: 64, heads: 1, hops: 2, steps: 100, seed: 1, lr: 0.01 },
      chainQueries: 64,
      sampled: false,
      singleHopAccuracy: 1,
      singleHopAccuracyByRelation: [1, 1],
      cotAccuracy: 1,
      cotHopAccuracy: [1, 1],
      cotAccuracyByChain: [1, 1, 1, 1],
      directAccuracy: 0.5,
      directAccuracyByChain: [0.5, 0.5, 0.5, 0.5],
      directSingleHopAccuracy: 0.9,
      singleHopTraining: training,
      directTraining: { ...training, stepsTo100: null, diverged: true },
    };
    const p = multihopPoint(result);
    expect(p.d).toBe(8);
    expect(p.chance).toBe(1 / 16);
    expect(p.directTraining.diverged).toBe(true);
    expect('diverged' in p.singleHopTraining).toBe(false);
    expect(p).not.toHaveProperty('cotAccuracyByChain');
  });
});
