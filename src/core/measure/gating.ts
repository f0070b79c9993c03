/**
 * The MLP's side of the geometry (docs/science.md §4): which hidden units each relation switches on
 * (gating), and what zeroing a relation's selective units does to every relation's accuracy
 * (knock-out). Gating runs N·R forward passes, the knock-out (R+1)·N·R, in batches; every tensor is
 * disposed.
 */
import * as tf from '@tensorflow/tfjs';
import type { Facts } from '../model/facts';
import type { Model } from '../model/model';
import { forwardActivations } from '../model/model';
import { checkModelFacts, queriesPerPass, queryBatch, relationOneHot } from './batching';

export interface GatingReport {
  /** Hidden units m and relations R. */
  units: number;
  relations: number;
  /** G[j, r] = fraction of subjects s for which unit j is active (pre-activation > 0) on query (s, r); m × R row-major. */
  active: Float32Array;
  /** Preferred relation of each unit (argmax_r G[j, r]); −1 for a unit never active. */
  preferred: Int32Array;
  /** (max_r G − mean of the others) / max_r G per unit; 0 for a unit never active (and when R = 1). */
  selectivity: Float32Array;
  /** Units ordered by preferred relation, then by selectivity (descending); dead units last. */
  order: Int32Array;
  /** Mean selectivity over units that are active at all. */
  meanSelectivity: number;
}

export interface KnockoutReport {
  /** accuracy[k][r]: accuracy on relation r after zeroing the selective units that prefer relation k. */
  accuracy: number[][];
  /** How many units were zeroed for each k: those preferring k with selectivity ≥ `threshold`. */
  unitsRemoved: number[];
  /** Accuracy per relation with nothing removed. */
  baseline: number[];
  /** The selectivity a unit needs to be assigned to its preferred relation and zeroed (SELECTIVITY_THRESHOLD by default). */
  threshold: number;
  /** Units active for some relation but below the threshold: shared by the relations, never zeroed. */
  sharedUnits: number;
  /** Units never active on any fact. */
  deadUnits: number;
  /** Mean over k of accuracy[k][k]: each relation with its own selective units zeroed. */
  diagonalMean: number;
  /** Mean over k ≠ r of accuracy[k][r]: the other relations; NaN when R = 1. */
  offDiagonalMean: number;
}

/** Per-unit statistics of a gating matrix G (m × R, row-major). */
export function gatingFromActivity(active: Float32Array, units: number, relations: number): GatingReport {
  const preferred = new Int32Array(units).fill(-1);
  const selectivity = new Float32Array(units);
  let selectivitySum = 0;
  let alive = 0;
  for (let j = 0; j < units; j++) {
    let max = 0;
    let arg = -1;
    let sum = 0;
    for (let rel = 0; rel < relations; rel++) {
      const v = active[j * relations + rel];
      sum += v;
      if (v > max) {
        max = v;
        arg = rel;
      }
    }
    if (arg < 0) continue; // never active
    preferred[j] = arg;
    alive += 1;
    const sel = relations > 1 ? (max - (sum - max) / (relations - 1)) / max : 0;
    selectivity[j] = sel;
    selectivitySum += sel;
  }
  const order = Int32Array.from({ length: units }, (_, j) => j).sort((a, b) => {
    const pa = preferred[a] < 0 ? relations : preferred[a];
    const pb = preferred[b] < 0 ? relations : preferred[b];
    if (pa !== pb) return pa - pb;
    if (selectivity[a] !== selectivity[b]) return selectivity[b] - selectivity[a];
    return a - b;
  });
  return { units, relations, active, preferred, selectivity, order, meanSelectivity: alive > 0 ? selectivitySum / alive : 0 };
}

/**
 * ReLU gating per relation: G[j, r] = fraction of subjects s with pre-activation_j > 0 on query
 * (s, r), over all N·R facts in batches. `meanSelectivity` is 0 when no unit is ever active.
 */
export async function measureGating(model: Model, facts: Facts): Promise<GatingReport> {
  checkModelFacts(model, facts);
  const { n, r } = facts;
  const m = model.config.m;
  const total = n * r;
  const batch = queriesPerPass(model);
  const counts = new Float64Array(r * m); // [R, m]
  for (let start = 0; start < total; start += batch) {
    const size = Math.min(batch, total - start);
    const q = queryBatch(facts, start, size);
    const counted = tf.tidy(() => {
      const { preActivation } = forwardActivations(model, tf.tensor1d(q.subjects, 'int32'), tf.tensor2d(q.relations, [size, 1], 'int32'));
      const on = tf.cast(tf.greater(preActivation, 0), 'float32'); // [B, m]
      return tf.matMul(tf.tensor2d(relationOneHot(q.relations, r), [r, size]), on); // [R, m]
    });
    const values = await counted.data();
    counted.dispose();
    for (let i = 0; i < r * m; i++) counts[i] += values[i];
  }
  const active = new Float32Array(m * r);
  for (let j = 0; j < m; j++) for (let rel = 0; rel < r; rel++) active[j * r + rel] = counts[rel * m + j] / n;
  return gatingFromActivity(active, m, r);
}

/** Accuracy per relation over all facts, argmax over all N attributes, with `mask` on the MLP units. */
async function accuracyWithMask(model: Model, facts: Facts, mask: Float32Array | null): Promise<number[]> {
  const { n, r } = facts;
  const total = n * r;
  const batch = queriesPerPass(model);
  const correct = new Float64Array(r);
  for (let start = 0; start < total; start += batch) {
    const size = Math.min(batch, total - start);
    const q = queryBatch(facts, start, size);
    const counted = tf.tidy(() => {
      const unitMask = mask ? tf.tensor1d(mask) : undefined;
      const { logits } = forwardActivations(model, tf.tensor1d(q.subjects, 'int32'), tf.tensor2d(q.relations, [size, 1], 'int32'), unitMask);
      const hit = tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(q.targets, 'int32')), 'float32');
      return tf.matMul(tf.tensor2d(relationOneHot(q.relations, r), [r, size]), hit.reshape([size, 1])); // [R, 1]
    });
    const values = await counted.data();
    counted.dispose();
    for (let rel = 0; rel < r; rel++) correct[rel] += values[rel];
  }
  return Array.from(correct, (c) => c / n);
}

/**
 * Selectivity a unit needs to count as its preferred relation's selector in the knock-out (our choice;
 * docs/science.md §4 leaves it open): the unit is active for its preferred relation at least twice as often
 * as for the mean of the others. Units below it are shared: zeroing them hurts every relation, so
 * they are counted apart and never zeroed.
 */
export const SELECTIVITY_THRESHOLD = 0.5;

/**
 * The causal check: for each relation k, zero the units that prefer k with selectivity ≥ `threshold`
 * and measure accuracy per relation on all facts. When no such unit prefers k, its row equals the
 * baseline. Threshold 0 zeroes every active unit by its preferred relation.
 */
export async function measureKnockout(model: Model, facts: Facts, gating: GatingReport, threshold = SELECTIVITY_THRESHOLD): Promise<KnockoutReport> {
  checkModelFacts(model, facts);
  const { r } = facts;
  const m = model.config.m;
  if (gating.units !== m || gating.relations !== r) throw new Error('knockout: gating report does not match the model');
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`knockout: the selectivity threshold must be in [0, 1]; got ${threshold}`);
  const baseline = await accuracyWithMask(model, facts, null);
  let sharedUnits = 0;
  let deadUnits = 0;
  for (let j = 0; j < m; j++) {
    if (gating.preferred[j] < 0) deadUnits += 1;
    else if (!(gating.selectivity[j] >= threshold)) sharedUnits += 1;
  }
  const accuracy: number[][] = [];
  const unitsRemoved: number[] = [];
  for (let k = 0; k < r; k++) {
    const mask = new Float32Array(m).fill(1);
    let removed = 0;
    for (let j = 0; j < m; j++) {
      if (gating.preferred[j] === k && gating.selectivity[j] >= threshold) {
        mask[j] = 0;
        removed += 1;
      }
    }
    unitsRemoved.push(removed);
    accuracy.push(removed > 0 ? await accuracyWithMask(model, facts, mask) : baseline.slice());
  }
  return { accuracy, unitsRemoved, baseline, threshold, sharedUnits, deadUnits, ...knockoutMeans(accuracy) };
}

/** Mean of the diagonal (relation k with its own units zeroed) and of the off-diagonal cells of a knock-out matrix. */
export function knockoutMeans(accuracy: number[][]): { diagonalMean: number; offDiagonalMean: number } {
  let diagonal = 0;
  let off = 0;
  let offCount = 0;
  accuracy.forEach((row, k) =>
    row.forEach((a, rel) => {
      if (rel === k) diagonal += a;
      else {
        off += a;
        offCount += 1;
      }
    }),
  );
  return { diagonalMean: accuracy.length > 0 ? diagonal / accuracy.length : NaN, offDiagonalMean: offCount > 0 ? off / offCount : NaN };
}
