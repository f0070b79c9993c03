import { describe, expect, it } from 'vitest';
import { makeRng } from '../../core/model/prng';
import { cycleGraph, degrees, directedEdges, gridGraph, irregularGraph, makeGraph, starGraph } from './graphs';
import { alignTo, cosineMatrix, geometricScores, laplacianSpectrum, pca2, procrustesR2, recovery, ringOrder, spectralEnergy } from './measure';

const circle = (n: number, order: number[] = [...Array(n).keys()]) => {
  const p = new Float64Array(n * 2);
  order.forEach((node, i) => {
    p[node * 2] = 3 + Math.cos((2 * Math.PI * i) / n);
    p[node * 2 + 1] = -1 + Math.sin((2 * Math.PI * i) / n);
  });
  return p;
};

describe('graph families', () => {
  it('have their edge counts and degrees', () => {
    const c = cycleGraph(15);
    expect([c.n, c.edges.length]).toEqual([15, 15]);
    expect(degrees(c).every((x) => x === 2)).toBe(true);
    const g = gridGraph(4, 4);
    expect([g.n, g.edges.length]).toEqual([16, 24]);
    expect(degrees(g).sort()).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4]);
    expect(g.coords![5]).toEqual([1, 1]);
    const s = starGraph(4, 4);
    expect([s.n, s.edges.length]).toEqual([17, 16]);
    expect(degrees(s)[0]).toBe(4);
    expect(s.branches!.map((b) => degrees(s)[b[b.length - 1]])).toEqual([1, 1, 1, 1]);
    expect(s.branches![1]).toEqual([5, 6, 7, 8]);
    const i = irregularGraph();
    expect([i.n, i.edges.length]).toEqual([16, 20]);
    expect(new Set(i.edges.map(([u, v]) => `${u}-${v}`)).size).toBe(20);
    expect(directedEdges(c)).toHaveLength(30);
    expect(makeGraph('grid', { rows: 2, cols: 3 }).name).toBe('grid-2x3');
  });

  it('refuse sizes out of range', () => {
    expect(() => cycleGraph(2)).toThrow(/cycle/);
    expect(() => gridGraph(9, 2)).toThrow(/rows/);
    expect(() => starGraph(4, 0)).toThrow(/length/);
  });
});

describe('measures', () => {
  it('ring order: an exact circle is a ring in either direction, a shuffled one is not', () => {
    expect(ringOrder(circle(15), 15)).toEqual({ exact: true, adjacent: 1 });
    expect(ringOrder(circle(15, [...Array(15).keys()].reverse()), 15).exact).toBe(true);
    const swapped = [...Array(15).keys()];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    const r = ringOrder(circle(15, swapped), 15);
    expect(r.exact).toBe(false);
    expect(r.adjacent).toBeCloseTo(13 / 15, 10); // 2–4 and 3–5 are not edges; 4–3 is
  });

  it('grid Procrustes R²: 1 for the grid moved, turned, mirrored and scaled; low for noise', () => {
    const g = gridGraph(4, 4);
    const target = g.coords!.flat();
    const t = 0.7;
    const moved = g.coords!.flatMap(([x, y]) => [5 + 2 * (Math.cos(t) * x - Math.sin(t) * y), -3 - 2 * (Math.sin(t) * x + Math.cos(t) * y)]);
    expect(procrustesR2(moved, target, 16)).toBeCloseTo(1, 10);
    const rng = makeRng(1);
    expect(procrustesR2(Array.from({ length: 32 }, () => rng.normal()), target, 16)).toBeLessThan(0.6);
  });

  it('the Laplacian spectrum of a cycle is 2 − 2cos(2πk/n); energies sum to 1 and a smooth embedding sits low', () => {
    const n = 15;
    const c = cycleGraph(n);
    const known = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((2 * Math.PI * k) / n)).sort((a, b) => a - b);
    const { values } = laplacianSpectrum(c);
    values.forEach((v, k) => expect(v).toBeCloseTo(known[k], 8));
    const ring = circle(n);
    const energy = spectralEnergy(c, ring, 2);
    expect(energy.reduce((s, e) => s + e.energy, 0)).toBeCloseTo(1, 10);
    // The circle's centre sits on λ = 0 and its shape on the first non-zero pair.
    expect(energy[0].energy + energy[1].energy + energy[2].energy).toBeCloseTo(1, 8);
  });

  it('2-D PCA recovers a planar ring and alignment removes flips between frames', () => {
    const n = 12;
    const d = 6;
    const ring = circle(n);
    const rng = makeRng(3);
    // Embed the plane in d dimensions through a random orthonormal-ish map (two Gram–Schmidt vectors).
    const a = Array.from({ length: d }, () => rng.normal());
    let b = Array.from({ length: d }, () => rng.normal());
    const na = Math.hypot(...a);
    const ua = a.map((x) => x / na);
    const dot = b.reduce((s, x, i) => s + x * ua[i], 0);
    b = b.map((x, i) => x - dot * ua[i]);
    const ub = b.map((x) => x / Math.hypot(...b));
    const emb = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) emb[i * d + k] = ring[i * 2] * ua[k] + ring[i * 2 + 1] * ub[k];
    const { coords, explained } = pca2(emb, n, d);
    expect(explained[0] + explained[1]).toBeCloseTo(1, 8);
    expect(procrustesR2(coords, ring, n)).toBeCloseTo(1, 8);
    expect(ringOrder(coords, n).exact).toBe(true);
    // The next frame: the same picture with its first axis flipped and a turn; aligned, it is the first again.
    const next = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const x = -coords[i * 2];
      const y = coords[i * 2 + 1];
      next[i * 2] = Math.cos(1) * x - Math.sin(1) * y;
      next[i * 2 + 1] = Math.sin(1) * x + Math.cos(1) * y;
    }
    const aligned = alignTo(coords, next, n);
    aligned.forEach((v, i) => expect(v).toBeCloseTo(coords[i], 8));
  });

  it('cosines, the geometric score and edge recovery on hand-made numbers', () => {
    const g = cycleGraph(4);
    // Nodes at 0°, 90°, 180°, 270°: edge ends are orthogonal, the non-edges opposite.
    const emb = [1, 0, 0, 1, -1, 0, 0, -1];
    const cos = cosineMatrix(emb, 4, 2);
    expect(cos[0 * 4 + 2]).toBeCloseTo(-1, 12);
    expect(geometricScores(cos, g)).toEqual({ edge: expect.closeTo(0, 12), nonEdge: expect.closeTo(-1, 12) });
    // Scores over 6 candidates: node u ranks u+1 first, then u, then u-1.
    const scores = new Float64Array(4 * 6);
    for (let u = 0; u < 4; u++) {
      scores[u * 6 + ((u + 1) % 4)] = 3;
      scores[u * 6 + u] = 2;
      scores[u * 6 + ((u + 3) % 4)] = 1;
    }
    expect(recovery(scores, 6, g, 2)).toEqual({ topK: 0.5, topDegree: 0.5 });
    expect(recovery(scores, 6, g, 3)).toEqual({ topK: 1, topDegree: 0.5 });
    expect(recovery(scores, 6, g, 2, true)).toEqual({ topK: 1, topDegree: 1 });
  });
});
