import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../cli/nodeIo';
import { FlatAdam } from './flatAdam';
import { fusedKernelsActive, setFusedKernels } from './fusedKernels';
import { makeRng } from './prng';

/** torch.optim.Adam's update, in float64. */
function referenceAdam(params: number[][], gradsByStep: number[][][], lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): number[][] {
  const p = params.map((x) => [...x]);
  const m = params.map((x) => x.map(() => 0));
  const v = params.map((x) => x.map(() => 0));
  gradsByStep.forEach((grads, step) => {
    const t = step + 1;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    grads.forEach((g, k) =>
      g.forEach((gi, i) => {
        m[k][i] = beta1 * m[k][i] + (1 - beta1) * gi;
        v[k][i] = beta2 * v[k][i] + (1 - beta2) * gi * gi;
        p[k][i] -= ((lr / bc1) * m[k][i]) / (Math.sqrt(v[k][i]) / Math.sqrt(bc2) + eps);
      }),
    );
  });
  return p;
}

describe('FlatAdam', () => {
  afterEach(() => setFusedKernels(true));

  it.each([
    ['wasm', true],
    ['wasm', false],
    ['cpu', false],
  ] as const)('is torch.optim.Adam over 8 steps on %s (fused kernel: %s), leaking nothing', async (backend, fused) => {
    await startBackend(backend);
    setFusedKernels(fused);
    expect(fusedKernelsActive()).toBe(fused);
    const before = tf.memory().numTensors;
    const rng = makeRng(9);
    const shapes = [[3, 4], [5], [2, 2, 2]];
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const init = sizes.map((n) => Array.from({ length: n }, () => Math.fround(rng.normal())));
    // Gradients over four orders of magnitude, and some tiny ones where ε matters.
    const gradsByStep = Array.from({ length: 8 }, () => sizes.map((n) => Array.from({ length: n }, () => Math.fround(rng.normal() * 10 ** (rng.int(5) - 1) * (rng.int(4) === 0 ? 1e-7 : 1)))));
    const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(init[i], s))));
    const adam = new FlatAdam(vars, 0.01);
    for (const grads of gradsByStep) {
      const tensors = grads.map((g, i) => tf.tensor(g, shapes[i]));
      adam.apply(tensors);
      tf.dispose(tensors);
    }
    const expected = referenceAdam(init, gradsByStep, 0.01);
    for (let k = 0; k < shapes.length; k++) {
      const got = (await vars[k].data()) as Float32Array;
      got.forEach((x, i) => expect(Math.abs(x - expected[k][i])).toBeLessThan(2e-6));
      // it moved: 8 steps of up to lr each
      const moved = got.reduce((a, x, i) => a + Math.abs(x - init[k][i]), 0) / got.length;
      expect(moved).toBeGreaterThan(3e-3);
    }
    adam.dispose();
    tf.dispose(vars);
    expect(tf.memory().numTensors).toBe(before);
  });
});
