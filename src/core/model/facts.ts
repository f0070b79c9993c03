/**
 * The fact table of docs/science.md §1: for each relation r a random bijection π_r of [N], drawn from a
 * seeded PRNG. A fact is (s, r) → π_r(s). Facts are laid out relation-major: fact index = r·N + s.
 */
import { deriveSeed, makeRng, randomPermutation } from './prng';

export interface Facts {
  n: number;
  r: number;
  seed: number;
  /** permutations[r][s] = π_r(s). */
  permutations: Int32Array[];
}

export function makeFacts(n: number, r: number, seed: number): Facts {
  const rng = makeRng(deriveSeed(seed, 'facts'));
  const permutations: Int32Array[] = [];
  for (let i = 0; i < r; i++) permutations.push(randomPermutation(n, rng));
  return { n, r, seed, permutations };
}

/** Flat arrays for the whole table, relation-major (index r·N + s). */
export function factArrays(facts: Facts): { subjects: Int32Array; relations: Int32Array; targets: Int32Array } {
  const total = facts.n * facts.r;
  const subjects = new Int32Array(total);
  const relations = new Int32Array(total);
  const targets = new Int32Array(total);
  for (let r = 0; r < facts.r; r++) {
    const perm = facts.permutations[r];
    for (let s = 0; s < facts.n; s++) {
      const i = r * facts.n + s;
      subjects[i] = s;
      relations[i] = r;
      targets[i] = perm[s];
    }
  }
  return { subjects, relations, targets };
}

/** log2(N!) computed by summing logs (exact enough for any N we allow). */
export function log2Factorial(n: number): number {
  let bits = 0;
  for (let i = 2; i <= n; i++) bits += Math.log2(i);
  return bits;
}

/** Information content of the table: R·log2(N!) bits (docs/science.md §1). */
export function informationBits(n: number, r: number): number {
  return r * log2Factorial(n);
}
