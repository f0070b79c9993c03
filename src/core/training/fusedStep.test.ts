/**
 * The whole-step module (fusedStep.ts) against tfjs autodiff through the generic forward pass, against
 * the float64 torch optimisers, in both SIMD builds, and training the small model S to 100%.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { factArrays, makeFacts } from '../model/facts';
import { disposeModel, forwardLogits, initialWeights, modelFromArrays, WEIGHT_NAMES, type ModelConfig, type WeightArrays } from '../model/model';
import { compareFlavours } from './fusedStepCheck';
import { WholeStep, wholeStepApplies } from './fusedStep';
import { OPTIMIZERS, optimizerSettings } from './optimizerSettings';
import { simdFlavour } from './stepModule';
import { torchReference } from './torchReference';
import { Trainer, train } from './train';

// r = 3 and m = 12 exercise the products' edge rows and columns.
const config: ModelConfig = { n: 20, r: 3, d: 8, m: 12, heads: 1, seqLen: 2 };

function liveWeights(): WeightArrays {
  const weights = initialWeights(config, 3);
  // Larger attention and a non-zero bias so every term matters.
  for (const name of ['attention.query', 'attention.key', 'subjectEmbedding'] as const) weights[name] = weights[name].map((v) => v * 40);
  weights['mlp.bias'] = weights['mlp.bias'].map((_, i) => 0.1 * Math.sin(i));
  return weights;
}

const worstRelative = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  const scale = Math.max(1e-6, ...Array.from(want, Math.abs));
  return Math.max(...Array.from(want, (v, i) => Math.abs(v - got[i]))) / scale;
};

describe('whole-step module', () => {
  it('applies to one head, [s, r] and N, d, m multiples of 4', () => {
    expect(wholeStepApplies(config)).toBe(true);
    expect(wholeStepApplies({ ...config, d: 10 })).toBe(false);
    expect(wholeStepApplies({ ...config, heads: 2 })).toBe(false);
    expect(simdFlavour()).not.toBeNull();
  });

  it('gives the loss, the hits and every gradient of tfjs autodiff (plain SIMD)', async () => {
    await startBackend('cpu');
    const weights = liveWeights();
    const model = modelFromArrays(config, weights);
    const arrays = factArrays(makeFacts(config.n, config.r, 4));
    const subjects = tf.tensor1d(arrays.subjects, 'int32');
    const relations = tf.tensor2d(arrays.relations, [arrays.subjects.length, 1], 'int32');
    const targets = tf.tensor1d(arrays.targets, 'int32');
    const reference = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(tf.oneHot(targets, config.n), forwardLogits(model, subjects, relations)) as tf.Scalar,
      WEIGHT_NAMES.map((name) => model.weights[name]),
    );
    const hits = tf.tidy(() => tf.cast(tf.equal(tf.argMax(forwardLogits(model, subjects, relations), 1), targets), 'float32').reshape([config.r, config.n]).sum(1));
    const step = WholeStep.create(config, arrays.targets, optimizerSettings('adam'), {}, 'plain')!;
    expect(step.flavour).toBe('plain');
    for (const name of WEIGHT_NAMES) step.setWeight(name, weights[name]);
    const out = step.gradients();
    expect(out.loss).toBeCloseTo((await reference.value.data())[0], 5);
    expect(out.correctByRelation).toEqual(Array.from(await hits.data()));
    for (const name of WEIGHT_NAMES) {
      expect(worstRelative(step.gradient(name), await reference.grads[model.weights[name].name].data()), name).toBeLessThan(2e-5);
    }
    tf.dispose([reference.value, reference.grads, hits, subjects, relations, targets]);
    disposeModel(model);
  });

  it('relaxed SIMD (fused multiply-add) gives the plain build\'s numbers, in this engine or in a node that turns it on', () => {
    // A child process, so that turning the flag on (relaxedSimdNode.ts) leaves this one's plain build be.
    const result =
      simdFlavour() === 'relaxed'
        ? compareFlavours()
        : JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fusedStepCheck.ts', import.meta.url))], { encoding: 'utf8' }));
    expect(result.relaxed).toBe(true);
    expect(result.gradient).toBeLessThan(1e-5);
    expect(result.weights).toBeLessThan(1e-5);
    expect(Math.abs(result.losses.relaxed - result.losses.plain)).toBeLessThan(1e-6);
  }, 60_000);

  it.each(OPTIMIZERS)('%s updates the trained weights as the float64 torch reference, and leaves frozen ones', (name) => {
    const weights = liveWeights();
    const trained = WEIGHT_NAMES.filter((w) => w !== 'relationEmbedding');
    const multipliers = trained.map((w) => (w === 'subjectEmbedding' || w === 'attributeVectors' ? 30 : 1));
    const settings = optimizerSettings(name, { lr: name === 'adam' || name === 'sign' ? 0.01 : 0.001, weightDecay: 0.05, momentum: name === 'adam' ? 0.8 : 0.9 });
    const targets = factArrays(makeFacts(config.n, config.r, 4)).targets;
    const step = WholeStep.create(config, targets, settings, Object.fromEntries(trained.map((w, i) => [w, multipliers[i]])), 'plain')!;
    for (const w of WEIGHT_NAMES) step.setWeight(w, weights[w]);
    // Each update's gradients, as the module computed them, go through the reference.
    const gradsByStep: Float32Array[][] = [];
    for (let i = 0; i < 6; i++) {
      step.step();
      gradsByStep.push(trained.map((w) => step.gradient(w).slice()));
    }
    const expected = torchReference(trained.map((w) => weights[w]), gradsByStep, settings, multipliers);
    trained.forEach((w, k) => {
      const got = step.weight(w);
      got.forEach((x, i) => expect(Math.abs(x - expected[k][i]), w).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[k][i]))));
      expect(got.reduce((a, x, i) => a + Math.abs(x - weights[w][i]), 0) / got.length, `${w} moved`).toBeGreaterThan(1e-5);
    });
    expect(Array.from(step.weight('relationEmbedding'))).toEqual(Array.from(weights.relationEmbedding));
  });

  it('leaves a clone of a weight as it was, and sees a weight assigned between steps', async () => {
    await startBackend('wasm');
    const small: ModelConfig = { n: 64, r: 4, d: 16, m: 64, heads: 1, seqLen: 2 };
    const model = modelFromArrays(small, initialWeights(small, 2));
    const trainer = new Trainer(model, makeFacts(small.n, small.r, 2), {});
    expect(trainer.engine).toBe('whole-step module');
    const U = model.weights.attributeVectors;
    trainer.step().dispose(); // the variables now hold the module's output
    const kept = tf.clone(U); // shares U's data
    const before = Array.from(await kept.data());
    trainer.step().dispose();
    expect(Array.from(await kept.data())).toEqual(before);
    expect(Array.from(await U.data())).not.toEqual(before);
    trainer.step().dispose(); // written in place this time: nothing shares U's data
    const third = Array.from(await U.data());
    expect(third).not.toEqual(before);
    // an assignment from outside reaches the module: zero attribute vectors give uniform logits
    tf.tidy(() => U.assign(tf.zerosLike(U)));
    const stats = trainer.step();
    expect((await stats.data())[0]).toBeCloseTo(Math.log(small.n), 5);
    tf.dispose([stats, kept]);
    trainer.dispose();
    disposeModel(model);
  });

  it('trains S (N=256, R=4, d=32, m=256, Adam) to 100% through the Trainer, leaving no tensor behind', async () => {
    await startBackend('wasm');
    const before = tf.memory().numTensors;
    const s: ModelConfig = { n: 256, r: 4, d: 32, m: 256, heads: 1, seqLen: 2 };
    const model = modelFromArrays(s, initialWeights(s, 1));
    const trainer = new Trainer(model, makeFacts(s.n, s.r, 1), {});
    expect(trainer.engine).toBe('whole-step module');
    const result = await train(trainer, { maxSteps: 400, stopAt100: true });
    expect(result.stepsTo100).not.toBeNull();
    expect(result.last!.accuracyByRelation).toEqual([1, 1, 1, 1]);
    // the variables hold the trained weights: the generic forward pass agrees
    const accuracy = tf.tidy(() => {
      const arrays = factArrays(trainer.facts);
      const logits = forwardLogits(model, tf.tensor1d(arrays.subjects, 'int32'), tf.tensor2d(arrays.relations, [arrays.subjects.length, 1], 'int32'));
      return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(arrays.targets, 'int32')), 'float32'));
    });
    expect((await accuracy.data())[0]).toBe(1);
    accuracy.dispose();
    trainer.dispose();
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
