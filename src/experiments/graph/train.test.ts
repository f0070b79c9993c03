import { describe, expect, it } from 'vitest';
import { leakChecked, useBackend } from '../../core/testKit';
import { cycleGraph, gridGraph, starGraph } from './graphs';
import { cosineLr, createGraphModel, edgeToken } from './model';
import { pathFinding } from './path';
import { ASSOCIATIVE_NOTE, strideFor, trainGraph } from './train';

useBackend('wasm');

describe('graph training', () => {
  it('their schedule: cosine from lr to lr/10', () => {
    expect(cosineLr(0, 700, 0.01, 0.001)).toBeCloseTo(0.01, 12);
    expect(cosineLr(350, 700, 0.01, 0.001)).toBeCloseTo(0.0055, 12);
    expect(cosineLr(700, 700, 0.01, 0.001)).toBeCloseTo(0.001, 12);
    expect(strideFor(700)).toBe(5);
    expect(strideFor(5100)).toBe(25);
  });

  it('the GPT has their parameter count (tied embeddings) and its loss falls, with a flat tensor count', async () => {
    await leakChecked(async () => {
      const n = 6;
      const d = 8;
      const model = createGraphModel({ kind: 'transformer', n, d, seed: 1 });
      // Tied token table (n+9)×d, 2 positions, 3 LayerNorms, q/k/v/o with biases, MLP d→4d→d with biases.
      expect(model.parameterCount()).toBe((n + 9) * d + 2 * d + 3 * 2 * d + 4 * (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d));
      const g = cycleGraph(n);
      const us = Int32Array.from(g.edges.flatMap(([u, v]) => [u, v]));
      const vs = Int32Array.from(g.edges.flatMap(([u, v]) => [v, u]));
      const prefix = new Int32Array(us.length).fill(edgeToken(n));
      const first = model.step(prefix, us, vs, 0.01);
      let last = first;
      for (let s = 0; s < 40; s++) last = model.step(prefix, us, vs, 0.01);
      expect(first).toBeCloseTo(Math.log(n + 9), 1);
      expect(last).toBeLessThan(first - 0.5);
      model.dispose();
    });
  }, 60_000);

  it('a short run records every early step, its key frames and measures; tensors flat', async () => {
    const r = await leakChecked(() => trainGraph({ graph: cycleGraph(8), learner: 'transformer', seed: 0, steps: 60 }));
    expect(r.frames.map((f) => f.step)).toEqual(Array.from({ length: 61 }, (_, i) => i));
    expect(r.points.end.step).toBe(60);
    expect(r.points.step100).toBeNull();
    expect(r.points.end.cosine).toHaveLength(64);
    // Small graphs carry the cosine matrix on every frame (the chapter's cosine figure follows the scrubber).
    expect(r.frames.every((f) => f.cosine?.length === 64)).toBe(true);
    expect(r.frames[0].pca).toHaveLength(16);
    expect(r.frames[0].spectrum.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 3);
    expect(r.eigenvalues[0]).toBeCloseTo(0, 8);
    expect(r.points.end.topK).toBe(1);
    expect(r.firstFull).not.toBeNull();
    expect(r.points.firstFull?.step).toBe(r.firstFull);
    expect(r.points.end.ring).toBeDefined();
  }, 60_000);

  it('the associative control never moves its embeddings (no geometry by construction); grid and Node2Vec run', async () => {
    const a = await leakChecked(() => trainGraph({ graph: gridGraph(3, 3), learner: 'associative', seed: 2, steps: 20, d: 64 }));
    expect(a.note).toBe(ASSOCIATIVE_NOTE);
    expect(new Set(a.frames.map((f) => f.geometric)).size).toBe(1);
    expect(a.points.end.gridR2).toBeGreaterThanOrEqual(0);
    const n2v = await trainGraph({ graph: cycleGraph(10), learner: 'node2vec', seed: 2, steps: 30, d: 16 });
    expect(n2v.points.end.topK).toBe(1);
    expect(n2v.points.end.geometric).toBeGreaterThan(n2v.points.end.nonEdge);
  }, 60_000);

  it('path-finding runs every fold, learned and frozen, with a flat tensor count', async () => {
    for (const frozen of [false, true]) {
      const r = await leakChecked(() => pathFinding({ branches: 2, length: 2, seed: 0, edgeSteps: 20, pathSteps: 10, d: 8, lr: 0.01, frozen }));
      expect(r.folds.map((f) => [f.heldOutLeaf, f.target])).toEqual([
        [2, 1],
        [4, 3],
      ]);
      expect(r.heldOutAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.frozen).toBe(frozen);
    }
    expect(starGraph(2, 2).n).toBe(5);
  }, 60_000);
});
