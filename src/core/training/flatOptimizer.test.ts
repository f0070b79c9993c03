import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { FlatOptimizer } from './flatOptimizer';
import { fusedKernelsActive, setFusedKernels } from './fusedKernels';
import { OPTIMIZERS, optimizerSettings } from './optimizerSettings';
import { makeRng } from '../model/prng';
import { torchReference } from './torchReference';

const cases = OPTIMIZERS.flatMap((name) =>
  (
    [
      ['wasm', true],
      ['wasm', false],
      ['cpu', false],
    ] as const
  ).map(([backend, fused]) => [name, backend, fused] as const),
);

describe('FlatOptimizer', () => {
  afterEach(() => setFusedKernels(true));

  it.each(cases)('%s is the torch reference over 8 steps on %s (fused kernel: %s), leaking nothing', async (name, backend, fused) => {
    await startBackend(backend);
    setFusedKernels(fused);
    expect(fusedKernelsActive()).toBe(fused);
    const before = tf.memory().numTensors;
    const rng = makeRng(9);
    // Sizes that are and are not multiples of 4 (the SIMD loop and its scalar tail).
    const shapes = [[3, 4], [5], [2, 2, 2], [7]];
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const init = sizes.map((n) => Array.from({ length: n }, () => Math.fround(rng.normal())));
    // Gradients over four orders of magnitude, some tiny ones where ε matters, and exact zeros (sign 0).
    const gradsByStep = Array.from({ length: 8 }, () =>
      sizes.map((n) => Array.from({ length: n }, () => (rng.int(10) === 0 ? 0 : Math.fround(rng.normal() * 10 ** (rng.int(5) - 1) * (rng.int(4) === 0 ? 1e-7 : 1))))),
    );
    const lr = name === 'adam' || name === 'sign' ? 0.01 : 0.001;
    const settings = optimizerSettings(name, { lr, weightDecay: 0.05, momentum: name === 'adam' ? 0.8 : 0.9 });
    const multipliers = [1, 30, 1, 0.5];
    const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(init[i], s))));
    const optimizer = new FlatOptimizer(vars, settings, multipliers);
    for (const grads of gradsByStep) {
      const tensors = grads.map((g, i) => tf.tensor(g, shapes[i]));
      optimizer.apply(tensors);
      tf.dispose(tensors);
    }
    const expected = torchReference(init, gradsByStep, settings, multipliers);
    for (let k = 0; k < shapes.length; k++) {
      const got = (await vars[k].data()) as Float32Array;
      got.forEach((x, i) => expect(Math.abs(x - expected[k][i])).toBeLessThan(3e-5 * Math.max(1, Math.abs(expected[k][i]))));
      // it moved
      const moved = got.reduce((a, x, i) => a + Math.abs(x - init[k][i]), 0) / got.length;
      expect(moved).toBeGreaterThan(1e-3);
    }
    optimizer.dispose();
    tf.dispose(vars);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('plain GD has no momentum, whatever is asked', () => {
    expect(optimizerSettings('gd', { momentum: 0.9 }).momentum).toBe(0);
    expect(optimizerSettings('sgd').momentum).toBe(0.9);
  });
});
