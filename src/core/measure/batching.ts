/**
 * What every batched pass over the fact table shares: how many queries fit in one forward pass, the
 * queries of one batch, and the check that a model was built for the facts it is asked about.
 */
import type { Facts } from '../model/facts';
import type { Model } from '../model/model';

/** Numbers one forward pass may hold in its widest activation (logits [B, N] or pre-activations [B, m]). */
const NUMBERS_PER_PASS = 8_388_608;

/** Queries per forward pass: the batch's logits and MLP pre-activations stay near 8M numbers. */
export function queriesPerPass(model: Model): number {
  return Math.max(1, Math.min(4096, Math.floor(NUMBERS_PER_PASS / Math.max(model.config.n, model.config.m))));
}

export interface QueryBatch {
  subjects: Int32Array;
  relations: Int32Array;
  targets: Int32Array;
}

/**
 * The queries of facts [start, start+size) in relation-major order (fact f = r·N + s), or of
 * indices[start … start+size) when a subset of fact indices is given.
 */
export function queryBatch(facts: Facts, start: number, size: number, indices: Int32Array | null = null): QueryBatch {
  const { n } = facts;
  const subjects = new Int32Array(size);
  const relations = new Int32Array(size);
  const targets = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const f = indices ? indices[start + i] : start + i;
    const rel = Math.floor(f / n);
    const s = f - rel * n;
    subjects[i] = s;
    relations[i] = rel;
    targets[i] = facts.permutations[rel][s];
  }
  return { subjects, relations, targets };
}

/** The relation one-hot [R, size] of a batch, column i for query i. */
export function relationOneHot(relations: Int32Array, r: number): Float32Array {
  const size = relations.length;
  const oneHot = new Float32Array(r * size);
  for (let i = 0; i < size; i++) oneHot[relations[i] * size + i] = 1;
  return oneHot;
}

/** Throws when a model's N or R differs from the fact table's. */
export function checkModelFacts(model: Model, facts: Facts): void {
  if (model.config.n !== facts.n || model.config.r !== facts.r) {
    throw new Error(`model (n=${model.config.n}, r=${model.config.r}) does not match facts (n=${facts.n}, r=${facts.r})`);
  }
}
