/**
 * The hand-written full-batch gradients (singleHopStep.ts) against tfjs autodiff through the generic
 * forward pass (model.ts), on a model with non-trivial attention and biases, on wasm and cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { factArrays, makeFacts } from '../model/facts';
import { disposeModel, forwardLogits, initialWeights, modelFromArrays, WEIGHT_NAMES, type ModelConfig } from '../model/model';
import { fusedKernelsActive, setFusedKernels } from './fusedKernels';
import { disposeSingleHopTargets, singleHopLossAndGradients, singleHopTargets } from './singleHopStep';

// N, d and m multiples of 4, so the wasm SIMD kernels can run (fusedKernels.ts); with d = 10 only the
// MLP's kernels can.
const shape = (d: number): ModelConfig => ({ n: 20, r: 3, d, m: 12, heads: 1, seqLen: 2 });

describe.each([
  ['wasm', true, 8],
  ['wasm', true, 10],
  ['wasm', false, 8],
  ['wasm', false, 10],
  ['cpu', false, 8],
] as const)('single-hop fast gradients on %s (fused kernels: %s, d = %s)', (backend, fused, d) => {
  const config = shape(d);
  afterEach(() => setFusedKernels(true));

  it('equal autodiff through the generic forward pass, for every weight', async () => {
    await startBackend(backend);
    setFusedKernels(fused);
    expect(fusedKernelsActive(config.n, config.m)).toBe(fused);
    expect(fusedKernelsActive(config.n, config.d)).toBe(fused && d % 4 === 0);
    expect(fusedKernelsActive(config.n, 10)).toBe(false);
    const before = tf.memory().numTensors;
    const weights = initialWeights(config, 3);
    // Larger attention and a non-zero bias so every term matters.
    for (const name of ['attention.query', 'attention.key', 'subjectEmbedding'] as const) weights[name] = weights[name].map((v) => v * 40);
    weights['mlp.bias'] = weights['mlp.bias'].map((_, i) => 0.1 * Math.sin(i));
    const model = modelFromArrays(config, weights);
    const facts = makeFacts(config.n, config.r, 4);
    const arrays = factArrays(facts);
    const targets = singleHopTargets(arrays.targets, config.n);
    const subjects = tf.tensor1d(arrays.subjects, 'int32');
    const relations = tf.tensor2d(arrays.relations, [arrays.subjects.length, 1], 'int32');

    const reference = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(tf.oneHot(targets.targets, config.n), forwardLogits(model, subjects, relations)) as tf.Scalar,
      WEIGHT_NAMES.map((name) => model.weights[name]),
    );
    const fast = tf.tidy(() => {
      const out = singleHopLossAndGradients(model, targets);
      return { loss: out.loss, correct: out.correct, grads: out.grads };
    });
    // The same, with the logits computed one relation at a time (as for large N).
    const blocked = tf.tidy(() => {
      const out = singleHopLossAndGradients(model, targets, config.n * config.n);
      return { loss: out.loss, correct: out.correct, grads: out.grads };
    });
    expect((await blocked.loss.data())[0]).toBeCloseTo((await fast.loss.data())[0], 6);
    expect(Array.from(await blocked.correct.data())).toEqual(Array.from(await fast.correct.data()));
    for (const name of WEIGHT_NAMES) {
      const a = await fast.grads[name].data();
      const b = await blocked.grads[name].data();
      expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))), name).toBeLessThan(1e-6);
    }
    expect(await fast.loss.data()).toHaveLength(1);
    expect((await fast.loss.data())[0]).toBeCloseTo((await reference.value.data())[0], 5);
    const logits = tf.tidy(() => forwardLogits(model, subjects, relations));
    const expectedTensor = tf.tidy(() => tf.cast(tf.equal(tf.argMax(logits, 1), targets.targets), 'float32'));
    const expectedCorrect = await expectedTensor.data();
    expect(Array.from(await fast.correct.data())).toEqual(Array.from(expectedCorrect));
    for (const name of WEIGHT_NAMES) {
      const want = (await reference.grads[model.weights[name].name].data()) as Float32Array;
      const got = (await fast.grads[name].data()) as Float32Array;
      expect(got.length, name).toBe(want.length);
      const scale = Math.max(1e-6, ...Array.from(want, Math.abs));
      const worst = Math.max(...Array.from(want, (v, i) => Math.abs(v - got[i])));
      expect(worst / scale, name).toBeLessThan(2e-5);
    }
    tf.dispose([reference.value, reference.grads, fast.loss, fast.correct, fast.grads, blocked.loss, blocked.correct, blocked.grads, logits, expectedTensor, subjects, relations, ]);
    disposeSingleHopTargets(targets);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Trainer on the fast path', () => {
  it('follows the autodiff path step for step, on tfjs kernels and in the whole-step module (N=64, R=4, d=16, m=64, 12 steps)', async () => {
    await startBackend('wasm');
    const { Trainer, train, setWholeStep } = await import('./train');
    const curves: number[][] = [];
    const runs = [
      { autodiff: true, whole: false, path: 'autodiff', engine: 'tfjs' },
      { autodiff: false, whole: false, path: 'single-hop', engine: 'tfjs' },
      { autodiff: false, whole: true, path: 'single-hop', engine: 'whole-step module' },
    ] as const;
    try {
      for (const run of runs) {
        setWholeStep(run.whole);
        const config = { n: 64, r: 4, d: 16, m: 64, heads: 1, seqLen: 2 };
        const facts = makeFacts(64, 4, 2);
        const model = modelFromArrays(config, initialWeights(config, 2));
        const trainer = new Trainer(model, facts, { lr: 0.01, autodiff: run.autodiff });
        expect(trainer.path).toBe(run.path);
        expect(trainer.engine).toBe(run.engine);
        const losses: number[] = [];
        await train(trainer, { maxSteps: 12, onProgress: (read) => read.forEach((s) => losses.push(s.loss)) });
        curves.push(losses);
        trainer.dispose();
        disposeModel(model);
      }
    } finally {
      setWholeStep(true);
    }
    for (const curve of curves.slice(1)) {
      expect(curve).toHaveLength(12);
      for (let i = 0; i < 12; i++) expect(Math.abs(curves[0][i] - curve[i])).toBeLessThan(1e-4 * curves[0][i]);
    }
  });
});
