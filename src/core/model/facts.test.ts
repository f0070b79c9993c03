import { describe, expect, it } from 'vitest';
import { factArrays, informationBits, log2Factorial, makeFacts } from './facts';

describe('facts', () => {
  it('every relation is a bijection of [N]', () => {
    for (const [n, r] of [[2, 1], [7, 3], [256, 4], [1000, 2]]) {
      const facts = makeFacts(n, r, 42);
      expect(facts.permutations).toHaveLength(r);
      for (const perm of facts.permutations) {
        expect(perm).toHaveLength(n);
        const seen = new Set(perm);
        expect(seen.size).toBe(n);
        for (const a of perm) expect(a >= 0 && a < n).toBe(true);
      }
    }
  });

  it('the same seed gives the same facts; another seed other facts', () => {
    const a = makeFacts(128, 4, 7);
    const b = makeFacts(128, 4, 7);
    const c = makeFacts(128, 4, 8);
    expect(a.permutations.map((p) => Array.from(p))).toEqual(b.permutations.map((p) => Array.from(p)));
    expect(a.permutations.map((p) => Array.from(p))).not.toEqual(c.permutations.map((p) => Array.from(p)));
    // Relations of one table are not copies of each other.
    expect(Array.from(a.permutations[0])).not.toEqual(Array.from(a.permutations[1]));
  });

  it('lays facts out relation-major with targets π_r(s)', () => {
    const facts = makeFacts(5, 3, 1);
    const { subjects, relations, targets } = factArrays(facts);
    expect(subjects).toHaveLength(15);
    for (let i = 0; i < 15; i++) {
      expect(relations[i]).toBe(Math.floor(i / 5));
      expect(subjects[i]).toBe(i % 5);
      expect(targets[i]).toBe(facts.permutations[relations[i]][subjects[i]]);
    }
  });

  it('information content is R·log2(N!)', () => {
    expect(log2Factorial(1)).toBe(0);
    expect(log2Factorial(4)).toBeCloseTo(Math.log2(24), 10);
    expect(informationBits(4, 3)).toBeCloseTo(3 * Math.log2(24), 10);
    // Stirling: log2(N!) ≈ N·log2(N/e) + ½·log2(2πN).
    const n = 4096;
    expect(log2Factorial(n)).toBeCloseTo(n * Math.log2(n / Math.E) + 0.5 * Math.log2(2 * Math.PI * n), 3);
  });
});
