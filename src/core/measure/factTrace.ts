/**
 * Follow one fact (s, r) through the model (docs/science.md §2–§4): what the subject's embedding holds
 * for every relation (the ridge probes' scores), how the relation token attends to the subject and
 * itself, which MLP units fire and how much each adds to the right attribute's logit, and the top
 * logits. One tf.tidy computes everything on the device; one readback brings it home; the probes are
 * fitted in float64 JS as in measure.ts.
 *
 * The right attribute's logit splits exactly into the path that skips the MLP and one term per unit:
 *   logit_t = h·u_t + Σ_j ReLU(pre_j) · (W2_j · u_t),
 * where h is the residual after attention and W2_j row j of the MLP's output map (model.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Facts } from '../model/facts';
import type { Model } from '../model/model';
import { forwardActivations } from '../model/model';
import { checkModelFacts } from './batching';
import { GcvRidge, takeRows } from './linalg';
import { RIDGE_GRID, subjectSplit } from './measure';
import type { FactTrace, ProbeScore } from './factTraceData';

// The trace's shape and its readings live apart from tfjs, for the page (factTraceData.ts).
export * from './factTraceData';

export interface FactTraceOptions {
  /** The run's seed: fixes the probes' 80/20 split (measure.ts subjectSplit). */
  seed: number;
  /** How many of the largest logits to list (default 5). */
  top?: number;
}

/** Rank of `values[index]` among `values`: 1 + how many are strictly larger. */
function rankOf(values: ArrayLike<number>, index: number): number {
  let rank = 1;
  for (let i = 0; i < values.length; i++) if (values[i] > values[index]) rank += 1;
  return rank;
}

/** The subject's probe scores for every relation: ridge probes fitted (GCV) on the train subjects, as measureProbes does. */
function probeScores(e: Float64Array, u: Float64Array, facts: Facts, d: number, subject: number, train: Int32Array): ProbeScore[] {
  const { n } = facts;
  const ridge = new GcvRidge(takeRows(e, train, d), train.length, d);
  const uNorm = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += u[a * d + j] ** 2;
    uNorm[a] = Math.sqrt(s);
  }
  const es = e.subarray(subject * d, (subject + 1) * d);
  return facts.permutations.map((perm, relation) => {
    const targets = Int32Array.from(train, (s) => perm[s]);
    const { maps } = ridge.fit(takeRows(u, targets, d), d, RIDGE_GRID);
    // The probe's image of the subject, p = e_s · W_r.
    const p = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const ei = es[i];
      if (ei !== 0) for (let j = 0; j < d; j++) p[j] += ei * maps[i * d + j];
    }
    let pNorm = 0;
    for (const v of p) pNorm += v * v;
    pNorm = Math.sqrt(pNorm);
    const cos = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += p[j] * u[a * d + j];
      const norm = pNorm * uNorm[a];
      cos[a] = norm > 0 ? dot / norm : 0;
    }
    const target = perm[subject];
    let best = 0;
    for (let a = 1; a < n; a++) if (cos[a] > cos[best]) best = a;
    return { relation, target, targetScore: cos[target], best, bestScore: cos[best], targetRank: rankOf(cos, target) };
  });
}

/** The attention weights of the last position of [s, r] over both positions, per head: [heads, 2]. Call inside tf.tidy. */
function attentionWeights(model: Model, subject: number, relation: number): tf.Tensor2D {
  const { d, heads } = model.config;
  const w = model.weights;
  const headSize = d / heads;
  const positions = w.positionEmbedding.slice([0, 0], [2, d]);
  const tokens = tf.concat([w.subjectEmbedding.slice([subject, 0], [1, d]), w.relationEmbedding.slice([relation, 0], [1, d])], 0).add(positions); // [2, d]
  const keys = tf.matMul(tokens, w['attention.key']).reshape([2, heads, headSize]);
  const query = tf.matMul(tokens.slice([1, 0], [1, d]), w['attention.query']).reshape([1, heads, headSize]);
  const scores = tf.mul(keys, query).sum(2).mul(1 / Math.sqrt(headSize)); // [2, heads]
  return tf.softmax(scores.transpose()) as tf.Tensor2D; // [heads, 2]
}

/**
 * Traces the single-hop fact (subject, relation) through `model`. Every tensor is made and freed
 * inside one tf.tidy; the weights are read back once.
 */
export async function traceFact(model: Model, facts: Facts, subject: number, relation: number, options: FactTraceOptions): Promise<FactTrace> {
  checkModelFacts(model, facts);
  const { n, d, m, heads } = model.config;
  if (!(Number.isInteger(subject) && subject >= 0 && subject < n)) throw new Error(`fact trace: subject ${subject} is not in 0..${n - 1}`);
  if (!(Number.isInteger(relation) && relation >= 0 && relation < facts.r)) throw new Error(`fact trace: relation ${relation} is not in 0..${facts.r - 1}`);
  const target = facts.permutations[relation][subject];
  const w = model.weights;
  // One flat readback: attention [H·2] | pre-activations [m] | logits [N] | W2·u_t [m] | h [d] | E [N·d] | U [N·d].
  const packed = tf.tidy(() => {
    const { residual, preActivation, logits } = forwardActivations(model, tf.tensor1d([subject], 'int32'), tf.tensor2d([[relation]], [1, 1], 'int32'));
    const ut = w.attributeVectors.slice([target, 0], [1, d]);
    const outToTarget = tf.matMul(w['mlp.out'], ut, false, true); // [m, 1]
    const parts = [attentionWeights(model, subject, relation), preActivation, logits, outToTarget, residual, w.subjectEmbedding, w.attributeVectors];
    return tf.concat(parts.map((t) => t.reshape([-1])));
  });
  let flat: Float32Array;
  try {
    flat = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  let at = 0;
  const take = (size: number) => flat.subarray(at, (at += size));
  const attention = Float32Array.from(take(heads * 2));
  const preActivation = Float32Array.from(take(m));
  const logits = take(n);
  const outToTarget = take(m);
  const residual = take(d);
  const e = Float64Array.from(take(n * d));
  const u = Float64Array.from(take(n * d));

  const contribution = new Float32Array(m);
  for (let j = 0; j < m; j++) contribution[j] = preActivation[j] > 0 ? preActivation[j] * outToTarget[j] : 0;
  let directLogit = 0;
  for (let j = 0; j < d; j++) directLogit += residual[j] * u[target * d + j];

  // Softmax over the N logits in float64, from the largest.
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const probability = (a: number) => Math.exp(logits[a] - max) / sum;
  const order = Array.from({ length: n }, (_, a) => a).sort((a, b) => logits[b] - logits[a] || a - b);
  const top = order.slice(0, Math.min(n, options.top ?? 5)).map((a) => ({ attribute: a, logit: logits[a], probability: probability(a) }));

  const split = subjectSplit(n, options.seed);
  return {
    subject,
    relation,
    target,
    n,
    heads,
    heldOut: split.heldOut.includes(subject),
    probes: probeScores(e, u, facts, d, subject, split.train),
    attention,
    preActivation,
    contribution,
    directLogit,
    targetLogit: logits[target],
    targetProbability: probability(target),
    targetRank: rankOf(logits, target),
    top,
  };
}
