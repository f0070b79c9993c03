/**
 * The hand-built geometric construction of docs/science.md §3, expressed as weights of the same model
 * (model.ts), so that its accuracy is measured by the model's own forward pass.
 *
 * Residual stream layout (d* = (R+1)k + R, k = ⌈log2 N⌉):
 *   [ subject block 0 | … | subject block R−1 | relation block (R) | output block (k) ]
 */
import type { Facts } from './facts';
import type { ModelConfig, WeightArrays } from './shapes';
import { weightShapes, WEIGHT_NAMES } from './shapes';

export function codeLength(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n)));
}

/** d* = (R+1)⌈log2 N⌉ + R. */
export function constructionDim(n: number, r: number): number {
  return (r + 1) * codeLength(n) + r;
}

/** m* = 2R⌈log2 N⌉. */
export function constructionWidth(n: number, r: number): number {
  return 2 * r * codeLength(n);
}

/** Bit i of a as ±1 (the binary code c_a). */
function codeBit(a: number, i: number): number {
  return Math.floor(a / 2 ** i) % 2 === 1 ? 1 : -1;
}

export interface Construction {
  config: ModelConfig;
  weights: WeightArrays;
}

/** Builds the construction for a fact table; `beta` scales the attribute vectors (confidence). */
export function buildConstruction(facts: Facts, beta = 4, seqLen = 2): Construction {
  const { n, r } = facts;
  const k = codeLength(n);
  const d = constructionDim(n, r);
  const m = constructionWidth(n, r);
  const config: ModelConfig = { n, r, d, m, heads: 1, seqLen };
  const shapes = weightShapes(config);
  const weights = {} as WeightArrays;
  for (const name of WEIGHT_NAMES) weights[name] = new Float32Array(shapes[name].reduce((a, b) => a * b, 1));

  const subjectBlock = (rel: number) => rel * k; // offset of subject block `rel`
  const relationBlock = r * k;
  const outputBlock = r * k + r;

  // Subject embedding: block r holds c_{π_r(s)} — a superposition Σ_r A_r c_{π_r(s)}.
  const E = weights.subjectEmbedding;
  for (let s = 0; s < n; s++) {
    for (let rel = 0; rel < r; rel++) {
      const a = facts.permutations[rel][s];
      for (let i = 0; i < k; i++) E[s * d + subjectBlock(rel) + i] = codeBit(a, i);
    }
  }
  // Relation embedding: one-hot in the relation block. Positions stay zero.
  for (let rel = 0; rel < r; rel++) weights.relationEmbedding[rel * d + relationBlock + rel] = 1;

  // Attention: zero query/key → uniform ½ over the two positions; value = 2 × projection onto
  // the subject blocks; output = identity. Hence h = e_r + ½·2·(e_s + proj(e_r)) = e_s + e_r.
  for (let j = 0; j < r * k; j++) weights['attention.value'][j * d + j] = 2;
  for (let j = 0; j < d; j++) weights['attention.output'][j * d + j] = 1;

  // MLP unit (rel, i, σ): pre-activation σ·h[block rel, i] − 2·Σ_{r'≠rel} h[relation r'];
  // it writes σ into output coordinate i. Only the query relation's units can pass.
  const W1 = weights['mlp.in']; // [d, m]
  const W2 = weights['mlp.out']; // [m, d]
  for (let rel = 0; rel < r; rel++) {
    for (let i = 0; i < k; i++) {
      for (const [si, sigma] of [1, -1].entries()) {
        const unit = (rel * k + i) * 2 + si;
        W1[(subjectBlock(rel) + i) * m + unit] = sigma;
        for (let other = 0; other < r; other++) if (other !== rel) W1[(relationBlock + other) * m + unit] = -2;
        W2[unit * d + outputBlock + i] = sigma;
      }
    }
  }
  // Attribute vectors: u_a = β·c_a in the output block, so logit_a = β(k − 2·Hamming(a, π_r(s))).
  const U = weights.attributeVectors;
  for (let a = 0; a < n; a++) for (let i = 0; i < k; i++) U[a * d + outputBlock + i] = beta * codeBit(a, i);
  return { config, weights };
}
