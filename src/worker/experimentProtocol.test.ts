import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPACITY } from '../experiments/capacity/capacity';
import type { MultihopResult } from '../experiments/multihop/multihop';
import { capacityFraction, checkJob, multihopFraction, multihopPoint, transferFraction, type ExperimentJob } from './experimentProtocol';

const capacity = (over: Partial<typeof DEFAULT_CAPACITY> = {}): ExperimentJob => ({ kind: 'capacity', settings: { ...DEFAULT_CAPACITY, ns: [16, 32], dMax: 64, ...over } });
const multihop = (over: Partial<Extract<ExperimentJob, { kind: 'multihop' }>> = {}): ExperimentJob => ({ kind: 'multihop', n: 16, r: 4, m: 64, ds: [4, 8], steps: 600, seed: 1, lr: 0.01, ...over });

describe('experiment jobs: limits', () => {
  it('accepts small jobs and names what is out of range', () => {
    expect(checkJob(capacity())).toBeNull();
    expect(checkJob(multihop())).toBeNull();
    expect(checkJob(capacity({ ns: [] }))).toMatch(/values of N/);
    expect(checkJob(capacity({ ns: [16, 1024] }))).toMatch(/every N/);
    expect(checkJob(capacity({ r: 9 }))).toMatch(/R must/);
    expect(checkJob(capacity({ steps: 0 }))).toMatch(/step budget/);
    expect(checkJob(capacity({ dFloor: 10, dMax: 5 }))).toMatch(/d floor/);
    expect(checkJob(capacity({ arms: [] }))).toMatch(/arm/);
    expect(checkJob(multihop({ n: 128 }))).toMatch(/N must/);
    expect(checkJob(multihop({ ds: [] }))).toMatch(/values of d/);
    expect(checkJob(multihop({ ds: [4, 0.5] }))).toMatch(/every d/);
    expect(checkJob(multihop({ lr: 0 }))).toMatch(/learning rate/);
    const config = { n: 8192, r: 4, d: 8, m: 8, heads: 1, seqLen: 2 };
    const transfer = { kind: 'transfer' as const, config, factSeed: 1, weights: {} as never, modelStep: 0, seed: 1, retrain: false, steps: 100, lr: 0.01 };
    expect(checkJob(transfer)).toMatch(/too large/);
    expect(checkJob({ ...transfer, config: { ...config, n: 128 } })).toBeNull();
  });
});

describe('experiment progress fractions', () => {
  it('capacity: monotone within a cell over trials and steps, never past the next cell, 1 at the end', () => {
    const seq: number[] = [];
    for (let cell = 0; cell < 3; cell++) for (let t = 0; t < 6; t++) for (const step of [0, 50, 100]) seq.push(capacityFraction(cell, 3, t, step, 100));
    seq.push(capacityFraction(3, 3, 0, 0, 100));
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[0]).toBe(0);
    expect(capacityFraction(0, 3, 100, 0, 100)).toBeLessThan(1 / 3);
    expect(seq[seq.length - 1]).toBe(1);
    expect(capacityFraction(0, 0, 0, 0, 0)).toBe(0);
  });

  it('multi-hop: single hop then direct per d, monotone', () => {
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

  it('transfer: zero-shot, then embeddings only, then from scratch', () => {
    const seq = [transferFraction('zeroShot', 0, 10, true), transferFraction('zeroShot', 10, 10, true), transferFraction('embeddingsOnly', 5, 10, true), transferFraction('fromScratch', 0, 10, true), transferFraction('fromScratch', 10, 10, true)];
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[seq.length - 1]).toBe(1);
    expect(transferFraction('zeroShot', 10, 10, false)).toBe(0.5);
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

describe('experiment jobs: the optimisers side by side', () => {
  const job = (over: Partial<Extract<ExperimentJob, { kind: 'optimizers' }>> = {}): ExperimentJob => ({
    kind: 'optimizers',
    n: 256,
    r: 2,
    d: 32,
    m: 256,
    steps: 600,
    seed: 1,
    optimizers: ['adam', 'sgd', 'gd', 'sign'],
    probeEvery: 20,
    ...over,
  });
  it('accepts the chapter’s default and names what is out of range', () => {
    expect(checkJob(job())).toBeNull();
    expect(checkJob(job({ n: 1024 }))).toMatch(/N must/);
    expect(checkJob(job({ n: 512, r: 8 }))).toMatch(/too large/);
    expect(checkJob(job({ r: 0 }))).toMatch(/R must/);
    expect(checkJob(job({ d: 0 }))).toMatch(/d must/);
    expect(checkJob(job({ m: 1024 }))).toMatch(/m must/);
    expect(checkJob(job({ steps: 0 }))).toMatch(/step budget/);
    expect(checkJob(job({ seed: -1 }))).toMatch(/seed/);
    expect(checkJob(job({ probeEvery: 2.5 }))).toMatch(/probeEvery/);
    expect(checkJob(job({ optimizers: [] }))).toMatch(/optimiser/);
    expect(checkJob(job({ optimizers: ['adam', 'adam'] }))).toMatch(/optimiser/);
  });
});
