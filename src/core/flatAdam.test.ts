import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../cli/nodeIo';
import { FlatAdam } from './flatAdam';
import { makeRng } from './prng';

describe('FlatAdam', () => {
  it.each(['wasm', 'cpu'] as const)('matches tfjs AdamOptimizer bit for bit over 6 steps on %s, leaking nothing', async (backend) => {
    await startBackend(backend);
    const before = tf.memory().numTensors;
    const rng = makeRng(9);
    const shapes = [[3, 4], [5], [2, 2, 2]];
    const init = shapes.map((s) => Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()));
    const ours = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(init[i], s))));
    const theirs = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(init[i], s))));
    const flat = new FlatAdam(ours, 0.01);
    const reference = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    for (let step = 0; step < 6; step++) {
      const grads = shapes.map((s) => tf.tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 10 ** rng.int(4)), s));
      flat.apply(grads);
      reference.applyGradients(theirs.map((x, i) => ({ name: x.name, tensor: grads[i] })));
      tf.dispose(grads);
    }
    for (let i = 0; i < shapes.length; i++) {
      const a = await ours[i].data();
      const b = await theirs[i].data();
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    flat.dispose();
    reference.dispose();
    tf.dispose([...ours, ...theirs]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
