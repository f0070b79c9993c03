/**
 * Multi-hop queries (docs/science.md §6): the k-hop queries of a fact table as `QueryGroup`s, their
 * answers, and a model's accuracy on them, answered in one forward pass (direct) or hop by hop with
 * a single-hop model (chain of thought). Layout: index = c·N + s with chain c = r1·R^{k−1} + … + rk.
 */
import * as tf from '@tensorflow/tfjs';
import type { Facts } from '../../core/model/facts';
import type { Model } from '../../core/model/model';
import { forwardLogits } from '../../core/model/model';
import { sampleFactIndices } from '../../core/measure/evaluate';
import { queriesPerPass } from '../../core/measure/batching';

/** Queries of one length: subject s, relations r1…rk, answer π_rk(…π_r1(s)). */
export interface QueryGroup {
  hops: number;
  count: number;
  /** Chain-major index c·N + s of each query (see the file comment). */
  indices: Int32Array;
  subjects: Int32Array;
  /** [count × hops], row-major. */
  relations: Int32Array;
  targets: Int32Array;
}

/** Largest query set built without sampling. */
export const MAX_QUERIES = 2 ** 24;

/** π_rk(…π_r1(s)). */
export function chainAnswer(facts: Facts, subject: number, relations: ArrayLike<number>): number {
  let x = subject;
  for (let i = 0; i < relations.length; i++) x = facts.permutations[relations[i]][x];
  return x;
}

/** Number of k-hop queries: N·R^k. */
export function queryCount(n: number, r: number, hops: number): number {
  return n * r ** hops;
}

export interface QueryOptions {
  /** Keep only this many distinct queries, drawn uniformly (seeded); all when omitted or ≥ N·R^k. */
  sample?: number;
  seed?: number;
}

/** All N·R^k queries with k = `hops`, or a seeded uniform sample of them (sorted by index). */
export function hopQueries(facts: Facts, hops: number, options: QueryOptions = {}): QueryGroup {
  const { n, r } = facts;
  if (!Number.isInteger(hops) || hops < 1) throw new Error(`queries: hops must be a positive integer, got ${hops}`);
  const total = queryCount(n, r, hops);
  const sampled = options.sample !== undefined && options.sample < total;
  if (!sampled && total > MAX_QUERIES) throw new Error(`queries: N·R^${hops} = ${total} queries; sample at most ${MAX_QUERIES}`);
  if (sampled && !(Number.isSafeInteger(total) && options.sample! >= 1)) throw new Error(`queries: cannot sample ${options.sample} of ${total}`);
  const indices = sampled ? sampleFactIndices(total, options.sample!, options.seed ?? 0) : Int32Array.from({ length: total }, (_, i) => i);
  return queriesAt(facts, hops, indices);
}

/** The k-hop queries with the given chain-major indices c·N + s, in that order. */
export function queriesAt(facts: Facts, hops: number, indices: Int32Array): QueryGroup {
  const { n, r } = facts;
  const count = indices.length;
  const subjects = new Int32Array(count);
  const relations = new Int32Array(count * hops);
  const targets = new Int32Array(count);
  for (let q = 0; q < count; q++) {
    const index = indices[q];
    let chain = Math.floor(index / n);
    const s = index - chain * n;
    for (let i = hops - 1; i >= 0; i--) {
      relations[q * hops + i] = chain % r;
      chain = Math.floor(chain / r);
    }
    if (chain !== 0 || s < 0) throw new Error(`queries: index ${index} is out of range for N=${n}, R=${r}, ${hops} hops`);
    subjects[q] = s;
    targets[q] = chainAnswer(facts, s, relations.subarray(q * hops, (q + 1) * hops));
  }
  return { hops, count, indices, subjects, relations, targets };
}

/**
 * Up to `limit` k-hop queries that are NOT in `group` (a seeded uniform sample of the rest, sorted):
 * held-out chains, to tell memorised chains from composed ones.
 */
export function unseenQueries(facts: Facts, group: QueryGroup, limit: number, seed: number): QueryGroup {
  const total = queryCount(facts.n, facts.r, group.hops);
  const rest = total - group.count;
  if (!Number.isSafeInteger(total) || rest < 0) throw new Error(`queries: cannot take the complement of ${group.count} of ${total}`);
  const picks = sampleFactIndices(rest, Math.min(limit, rest), seed); // ranks among the unseen indices
  const seen = Int32Array.from(group.indices).sort();
  const indices = new Int32Array(picks.length);
  // The j-th unseen index is j + (number of seen indices ≤ it); walk both sorted lists.
  let k = 0;
  for (let i = 0; i < picks.length; i++) {
    let candidate = picks[i] + k;
    while (k < seen.length && seen[k] <= candidate) {
      k += 1;
      candidate = picks[i] + k;
    }
    indices[i] = candidate;
  }
  return queriesAt(facts, group.hops, indices);
}

/** The N·R single hops as a query group (index r·N + s, as facts.ts). */
export function singleHopQueries(facts: Facts): QueryGroup {
  return hopQueries(facts, 1);
}

/** Index of a query's chain (r1·R^{k−1} + … + rk). */
function chainOf(group: QueryGroup, q: number, n: number): number {
  return Math.floor(group.indices[q] / n);
}

export interface QueryAccuracy {
  /** Fraction of the group's queries answered right. */
  accuracy: number;
  /** Accuracy per chain (r1, …, rk), index r1·R^{k−1} + … + rk (NaN for a chain with no query). */
  accuracyByChain: number[];
  /** Mean cross-entropy (NaN for chain of thought, which has no single distribution). */
  loss: number;
  count: number;
}

function tally(group: QueryGroup, predicted: ArrayLike<number>, n: number, r: number): Omit<QueryAccuracy, 'loss'> {
  const chains = r ** group.hops;
  const correct = new Float64Array(chains);
  const seen = new Float64Array(chains);
  let right = 0;
  for (let q = 0; q < group.count; q++) {
    const c = chainOf(group, q, n);
    seen[c] += 1;
    if (predicted[q] === group.targets[q]) {
      correct[c] += 1;
      right += 1;
    }
  }
  return {
    accuracy: group.count > 0 ? right / group.count : NaN,
    accuracyByChain: Array.from(correct, (x, c) => (seen[c] > 0 ? x / seen[c] : NaN)),
    count: group.count,
  };
}

/** Argmax answers of `model` for a batch of queries: subjects [B], relations [B × hops] row-major. */
async function answerBatch(model: Model, subjects: Int32Array, relations: Int32Array, hops: number): Promise<Int32Array> {
  const size = subjects.length;
  const predicted = tf.tidy(() => tf.argMax(forwardLogits(model, tf.tensor1d(subjects, 'int32'), tf.tensor2d(relations, [size, hops], 'int32')), 1));
  const values = (await predicted.data()) as Int32Array;
  predicted.dispose();
  return values;
}

/** Accuracy of a model answering every query of the group in one forward pass. */
export async function evaluateQueries(model: Model, facts: Facts, group: QueryGroup, options: { batchSize?: number } = {}): Promise<QueryAccuracy> {
  const { n, r } = facts;
  const batch = options.batchSize ?? queriesPerPass(model);
  const predicted = new Int32Array(group.count);
  let lossSum = 0;
  for (let start = 0; start < group.count; start += batch) {
    const size = Math.min(batch, group.count - start);
    const rel = group.relations.subarray(start * group.hops, (start + size) * group.hops);
    const [answers, loss] = tf.tidy(() => {
      const logits = forwardLogits(model, tf.tensor1d(group.subjects.subarray(start, start + size), 'int32'), tf.tensor2d(rel, [size, group.hops], 'int32'));
      const target = tf.oneHot(tf.tensor1d(group.targets.subarray(start, start + size), 'int32'), n);
      return [tf.argMax(logits, 1), tf.neg(tf.mul(tf.logSoftmax(logits), target).sum())];
    });
    predicted.set((await answers.data()) as Int32Array, start);
    lossSum += (await loss.data())[0];
    tf.dispose([answers, loss]);
  }
  return { ...tally(group, predicted, n, r), loss: group.count > 0 ? lossSum / group.count : NaN };
}

export interface ChainOfThoughtReport extends QueryAccuracy {
  /** hopAccuracy[i]: fraction of queries whose answer after hop i+1 is the true intermediate. */
  hopAccuracy: number[];
}

/**
 * Chain of thought with a single-hop model: y1 = argmax f(s, r1), y2 = argmax f(y1, r2), … Each hop
 * is a batch of single-hop forward passes ([B, 1] relations); the answer after the last hop is scored.
 */
export async function chainOfThought(model: Model, facts: Facts, group: QueryGroup, options: { batchSize?: number } = {}): Promise<ChainOfThoughtReport> {
  const { n, r } = facts;
  const k = group.hops;
  const batch = options.batchSize ?? queriesPerPass(model);
  let current = Int32Array.from(group.subjects);
  let truth = Int32Array.from(group.subjects);
  const hopRight: number[] = [];
  for (let hop = 0; hop < k; hop++) {
    const column = Int32Array.from({ length: group.count }, (_, q) => group.relations[q * k + hop]);
    const next = new Int32Array(group.count);
    for (let start = 0; start < group.count; start += batch) {
      const end = Math.min(group.count, start + batch);
      next.set(await answerBatch(model, current.subarray(start, end), column.subarray(start, end), 1), start);
    }
    truth = Int32Array.from(truth, (x, q) => facts.permutations[column[q]][x]);
    let right = 0;
    for (let q = 0; q < group.count; q++) if (next[q] === truth[q]) right += 1;
    hopRight.push(group.count > 0 ? right / group.count : NaN);
    current = next;
  }
  return { ...tally(group, current, n, r), loss: NaN, hopAccuracy: hopRight };
}
