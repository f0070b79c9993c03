/**
 * Accuracy per relation by the model's own forward pass: argmax over all N attributes, in batches
 * so that memory stays bounded (the logits of one batch are batch × N).
 */
import * as tf from '@tensorflow/tfjs';
import type { Facts } from '../model/facts';
import type { Model } from '../model/model';
import { forwardLogits } from '../model/model';
import { makeRng, deriveSeed } from '../model/prng';
import { checkModelFacts, queriesPerPass, queryBatch } from './batching';

export interface AccuracyReport {
  accuracyByRelation: number[];
  /** Mean softmax cross-entropy over the evaluated facts. */
  loss: number;
  factsEvaluated: number;
}

/** K distinct fact indices (r·N + s) drawn uniformly, sorted; all of them when K ≥ N·R. */
export function sampleFactIndices(total: number, k: number, seed: number): Int32Array {
  if (k >= total) return Int32Array.from({ length: total }, (_, i) => i);
  const rng = makeRng(deriveSeed(seed, 'sample'));
  const chosen = new Set<number>();
  // Floyd's algorithm: exactly k draws, no rejection loop, uniform over k-subsets.
  for (let j = total - k; j < total; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from([...chosen].sort((a, b) => a - b));
}

export interface EvaluateOptions {
  /** Evaluate only these fact indices (r·N + s); all facts when omitted. */
  indices?: Int32Array;
  /** Queries per forward pass; default keeps a batch's logits near 8M numbers. */
  batchSize?: number;
  /** Called after each batch with the facts done so far. */
  onBatch?: (done: number, count: number) => void;
}

export async function evaluateAccuracy(model: Model, facts: Facts, options: EvaluateOptions = {}): Promise<AccuracyReport> {
  const { n, r } = facts;
  const total = n * r;
  const indices = options.indices ?? null;
  const count = indices ? indices.length : total;
  checkModelFacts(model, facts);
  const batchSize = options.batchSize ?? queriesPerPass(model);
  const correct = new Float64Array(r);
  const seen = new Float64Array(r);
  let lossSum = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const { subjects, relations, targets } = queryBatch(facts, start, size, indices);
    const [predictedTensor, lossTensor] = tf.tidy(() => {
      const logits = forwardLogits(model, tf.tensor1d(subjects, 'int32'), tf.tensor2d(relations, [size, 1], 'int32'));
      const targetLogProb = tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.tensor1d(targets, 'int32'), n)).sum();
      return [tf.argMax(logits, 1), tf.neg(targetLogProb)];
    });
    const predicted = await predictedTensor.data();
    lossSum += (await lossTensor.data())[0];
    tf.dispose([predictedTensor, lossTensor]);
    options.onBatch?.(start + size, count);
    for (let i = 0; i < size; i++) {
      seen[relations[i]] += 1;
      if (predicted[i] === targets[i]) correct[relations[i]] += 1;
    }
  }
  return {
    accuracyByRelation: Array.from(correct, (c, rel) => (seen[rel] > 0 ? c / seen[rel] : NaN)),
    loss: lossSum / count,
    factsEvaluated: count,
  };
}
