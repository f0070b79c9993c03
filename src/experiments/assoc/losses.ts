/**
 * The four numbers of a training curve, on device, from a batch's logits over the D·R answers
 * (§7): cross-entropy on the answer; relation-only loss −log Σ p(a) over the right relation's D
 * answers; subject-only loss −log Σ p(a) over the answers with a mod D = y mod D; accuracy (argmax).
 * Each is the batch mean. Computed with log-sum-exps, so a nearly uniform softmax loses nothing.
 */
import * as tf from '@tensorflow/tfjs';

export interface AssocMetrics {
  loss: number;
  relationLoss: number;
  subjectLoss: number;
  accuracy: number;
}

/** [loss, relationLoss, subjectLoss, accuracy] as one tensor of 4 (the caller disposes it). */
export function metricsTensor(logits: tf.Tensor2D, answers: Int32Array, relations: number, perRelation: number): tf.Tensor1D {
  return tf.tidy(() => {
    const batch = answers.length;
    const outputs = relations * perRelation;
    const y = tf.tensor1d(answers, 'int32');
    const yRel = tf.tensor1d(answers.map((a) => Math.floor(a / perRelation)), 'int32');
    const yMod = tf.tensor1d(answers.map((a) => a % perRelation), 'int32');
    const all = tf.logSumExp(logits, 1);
    const picked = tf.sum(tf.mul(logits, tf.oneHot(y, outputs)), 1);
    const grouped = tf.reshape(logits, [batch, relations, perRelation]);
    const byRelation = tf.sum(tf.mul(tf.logSumExp(grouped, 2), tf.oneHot(yRel, relations)), 1);
    const byRemainder = tf.sum(tf.mul(tf.logSumExp(grouped, 1), tf.oneHot(yMod, perRelation)), 1);
    const hit = tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32');
    return tf.stack([tf.mean(tf.sub(all, picked)), tf.mean(tf.sub(all, byRelation)), tf.mean(tf.sub(all, byRemainder)), tf.mean(hit)]) as tf.Tensor1D;
  });
}

export function readMetrics(values: ArrayLike<number>): AssocMetrics {
  return { loss: values[0], relationLoss: values[1], subjectLoss: values[2], accuracy: values[3] };
}

/** Cross-entropy as a differentiable scalar (mean over the batch). */
export function crossEntropy(logits: tf.Tensor2D, answers: tf.Tensor1D, outputs: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, tf.oneHot(answers, outputs)), 1))) as tf.Scalar);
}
