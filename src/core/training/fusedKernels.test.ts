/**
 * The wasm SIMD kernels against the same maths in tf ops, on awkward inputs: rows that are not a
 * multiple of 16, ties, logits hundreds apart, NaN.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { fusedCrossEntropy, fusedKernelsActive, fusedMix, fusedRelationSums } from './fusedKernels';
import { makeRng } from '../model/prng';

const rng = makeRng(17);
const random = (shape: [number, number], scale = 1) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * scale), shape) as tf.Tensor2D;
const maxAbs = async (a: tf.Tensor, b: tf.Tensor) => {
  const [x, y] = [await a.data(), await b.data()];
  return Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i])));
};

describe('wasm SIMD kernels', () => {
  beforeAll(async () => {
    await startBackend('wasm');
    expect(fusedKernelsActive()).toBe(true);
  });

  it('cross-entropy: loss, hits and dlogits (both ways round) as tf ops give them, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const [rows, n] = [36, 12]; // two groups of 16 rows and one of 4
    const logits = tf.tidy(() => {
      const l = random([rows, n], 30).arraySync();
      l[0] = l[0].map(() => 5); // all tied: the first is the argmax
      l[1][3] = 400; // far apart: e^(l − max) underflows for the others
      l[2][7] = l[2][9] = 50; // a tie between two
      return tf.tensor2d(l);
    });
    const targets = tf.tensor1d(Array.from({ length: rows }, (_, i) => (i * 5) % n), 'int32');
    const scale = 1 / rows;
    const probs = tf.softmax(logits) as tf.Tensor2D;
    const out = fusedCrossEntropy(logits, probs, targets, scale);
    const want = tf.tidy(() => ({
      loss: tf.sum(tf.neg(tf.sum(tf.mul(tf.oneHot(targets, n).cast('float32'), tf.logSoftmax(logits)), 1))),
      dL: tf.sub(tf.softmax(logits), tf.oneHot(targets, n).cast('float32')).mul(scale),
      correct: tf.equal(tf.argMax(logits, 1), targets).cast('float32'),
    }));
    const loss = (await out.lossSum.data())[0];
    expect(Math.abs(loss - (await want.loss.data())[0]) / loss).toBeLessThan(1e-6);
    expect(await maxAbs(out.dLogits, want.dL)).toBeLessThan(1e-8);
    const transposed = tf.transpose(out.dLogits);
    expect(await maxAbs(out.dLogitsT, transposed)).toBe(0);
    expect(Array.from(await out.correct.data())).toEqual(Array.from(await want.correct.data()));
    expect((await out.correct.data())[0]).toBe(targets.arraySync()[0] === 0 ? 1 : 0);
    tf.dispose([logits, probs, targets, out.dLogits, out.dLogitsT, out.lossSum, out.correct, want.loss, want.dL, want.correct, transposed]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cross-entropy: a NaN logit makes the loss NaN (so a diverging run is caught)', async () => {
    const logits = tf.tensor2d([[1, 2, NaN, 4], [1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 1, 1]]);
    const targets = tf.tensor1d([0, 1, 2, 3], 'int32');
    const probs = tf.softmax(logits) as tf.Tensor2D;
    const out = fusedCrossEntropy(logits, probs, targets, 0.25);
    expect(Number.isNaN((await out.lossSum.data())[0])).toBe(true);
    tf.dispose([logits, probs, targets, out.dLogits, out.dLogitsT, out.lossSum, out.correct]);
  });

  it('mix and relation sums: as tf ops, with and without the ReLU', async () => {
    const [r, n, k] = [3, 20, 8];
    const base = random([r, k]);
    const a = tf.sigmoid(random([r, n]));
    const y0 = random([n, k]);
    const y1 = random([r, k]);
    const a3 = a.reshape([r, n, 1]);
    const pre = tf.add(base.reshape([r, 1, k]), tf.mul(a3, tf.sub(y0.reshape([1, n, k]), y1.reshape([r, 1, k])))).reshape([r * n, k]);
    const plain = fusedMix(base, a, y0, y1, { relu: false, transposed: false });
    const relu = fusedMix(base, a, y0, y1, { relu: true, transposed: true });
    expect(plain.outT).toBeNull();
    expect(await maxAbs(plain.out, pre)).toBeLessThan(1e-6);
    expect(await maxAbs(relu.out, tf.relu(pre))).toBeLessThan(1e-6);
    expect(await maxAbs(relu.outT!, tf.transpose(relu.out))).toBe(0);

    const dx = random([r * n, k]);
    for (const hidden of [undefined, relu.out]) {
      const sums = fusedRelationSums(dx, a, y0, y1, { hidden, transposed: true });
      const g = (hidden ? tf.mul(dx, tf.step(pre)) : dx).reshape([r, n, k]);
      expect(await maxAbs(sums.byRelation, tf.sum(g, 1))).toBeLessThan(1e-5);
      expect(await maxAbs(sums.gR, tf.sum(tf.mul(a3, g), 1))).toBeLessThan(1e-5);
      expect(await maxAbs(sums.gS, tf.sum(tf.mul(a3, g), 0))).toBeLessThan(1e-5);
      expect(await maxAbs(sums.gST!, tf.transpose(sums.gS))).toBe(0);
      const against = tf.sub(y0.reshape([1, n, k]), y1.reshape([r, 1, k]));
      expect(await maxAbs(sums.dA, tf.sum(tf.mul(g, against), 2))).toBeLessThan(1e-5);
    }
  });
});
