import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../testKit';
import { buildConstruction, constructionDim, constructionWidth } from './construct';
import { evaluateAccuracy, sampleFactIndices } from '../measure/evaluate';
import { makeFacts } from './facts';
import { disposeModel, forwardLogits, modelFromArrays } from './model';

useBackend();

describe('the geometric construction (docs/science.md §3)', () => {
  it.each([
    [2, 1],
    [3, 2],
    [100, 4],
    [1024, 4],
  ])('N=%i, R=%i: every fact correct through the forward pass, with d = (R+1)⌈log2 N⌉ + R', async (n, r) => {
    const facts = makeFacts(n, r, 3);
    const built = buildConstruction(facts);
    const k = Math.max(1, Math.ceil(Math.log2(n)));
    expect(built.config.d).toBe((r + 1) * k + r);
    expect(built.config.m).toBe(2 * r * k);
    const model = modelFromArrays(built.config, built.weights);
    const report = await evaluateAccuracy(model, facts);
    disposeModel(model);
    expect(report.factsEvaluated).toBe(n * r);
    expect(report.accuracyByRelation).toEqual(Array(r).fill(1));
  });

  it('gives logits β(k − 2·Hamming(a, π_r(s))): the right attribute wins by 2β', async () => {
    const n = 16;
    const r = 3;
    const beta = 4;
    const facts = makeFacts(n, r, 9);
    const built = buildConstruction(facts, beta);
    const model = modelFromArrays(built.config, built.weights);
    const logits = tf.tidy(() => forwardLogits(model, tf.tensor1d([5, 5, 11], 'int32'), tf.tensor2d([0, 1, 2], [3, 1], 'int32')));
    const values = await logits.array();
    logits.dispose();
    disposeModel(model);
    const k = 4;
    const hamming = (a: number, b: number) => [...(a ^ b).toString(2)].filter((c) => c === '1').length;
    [[5, 0], [5, 1], [11, 2]].forEach(([s, rel], row) => {
      const target = facts.permutations[rel][s];
      for (let a = 0; a < n; a++) expect(values[row][a]).toBeCloseTo(beta * (k - 2 * hamming(a, target)), 5);
    });
  });

  it('evaluates a seeded random sample of distinct facts', () => {
    const idx = sampleFactIndices(1000, 100, 1);
    expect(new Set(idx).size).toBe(100);
    expect(Array.from(idx)).toEqual(Array.from(sampleFactIndices(1000, 100, 1)));
    for (const i of idx) expect(i >= 0 && i < 1000).toBe(true);
    expect(sampleFactIndices(10, 50, 1)).toHaveLength(10);
  });

  it('keeps d* and m* logarithmic in N', () => {
    expect(constructionDim(16384, 4)).toBe(74);
    expect(constructionDim(65536, 8)).toBe(152);
    expect(constructionWidth(65536, 8)).toBe(256);
  });
});
