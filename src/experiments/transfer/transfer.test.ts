import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { constructedModel, smallModel, useBackend } from '../../core/testKit';
import { buildConstruction } from '../../core/model/construct';
import { makeFacts } from '../../core/model/facts';
import { subjectSplit } from '../../core/measure/measure';
import { disposeModel, readWeights } from '../../core/model/model';
import { train, Trainer } from '../../core/training/train';
import { retrainEmbeddingsOnly, superposedEmbeddings, transferFacts, zeroShotTransfer } from './transfer';

useBackend();

describe('zero-shot transfer (docs/science.md §4)', () => {
  it.each([
    [16, 3],
    [100, 4],
  ])('N=%i, R=%i: the construction transfers to new bijections at 100%% with no training', async (n, r) => {
    const before = tf.memory().numTensors;
    const { facts, built, model } = constructedModel(n, r, 3);
    const result = await zeroShotTransfer(model, facts, { seed: 7 });
    expect(result.newFacts.permutations.some((p, rel) => p.some((a, s) => a !== facts.permutations[rel][s]))).toBe(true);
    // The maps are fitted on the 80% split of `measure` and validated on the other 20%.
    expect(result.heldOutSubjects).toBe(subjectSplit(n, 3).heldOut.length);
    expect(result.fittedSubjects + result.heldOutSubjects).toBe(n);
    expect(result.fitHeldOutR2).toBeGreaterThan(0.9999);
    expect(result.fitTrainR2).toBeGreaterThan(0.9999);
    expect(result.featuresPerSubject).toBeCloseTo((r * model.config.d) / result.fittedSubjects, 12);
    expect(result.accuracyByRelation).toEqual(Array(r).fill(1));
    expect(result.reconstructedAccuracyByRelation).toEqual(Array(r).fill(1));
    expect(result.fittedReconstructedAccuracyByRelation).toEqual(Array(r).fill(1));
    // The control: the old embeddings know nothing of the new facts.
    result.unchangedAccuracyByRelation.forEach((a) => expect(a).toBeLessThan(0.5));
    // The model itself is untouched.
    expect(Array.from((await readWeights(model)).subjectEmbedding)).toEqual(Array.from(built.weights.subjectEmbedding));
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates the maps on subjects the fit did not see: an interpolating fit of random embeddings reads 1 only on the fitted ones', async () => {
    // Frozen random subject embeddings (no superposition at all), R·d = 64 features for 52 fitted
    // subjects, and a ridge fixed near 0: the fit reproduces every fitted embedding, so their old facts
    // read 1, while the held-out subjects, the real test, fall far below.
    const before = tf.memory().numTensors;
    const { facts, model } = smallModel({ n: 64, r: 4, d: 16, m: 128 }, 1, { frozenSubjects: true });
    const trainer = new Trainer(model, facts, { freezeSubjects: true });
    await train(trainer, { maxSteps: 500, stopAt100: true });
    trainer.dispose();
    const result = await zeroShotTransfer(model, facts, { seed: 2, ridge: 1e-8 });
    expect(result.interpolates).toBe(true);
    expect(result.fitTrainR2).toBeGreaterThan(0.999);
    expect(result.fittedReconstructedAccuracyByRelation).toEqual([1, 1, 1, 1]);
    expect(result.reconstructedAccuracyByRelation.reduce((a, b) => a + b, 0) / 4).toBeLessThan(0.5);
    expect(result.fitHeldOutR2).toBeLessThan(0.1);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('superposedEmbeddings of the construction maps give back its subject embeddings exactly', async () => {
    const facts = makeFacts(32, 2, 1);
    const built = buildConstruction(facts, 2);
    const { n, d } = built.config;
    const k = 5;
    // A_r: output coordinate i → subject block r coordinate i, divided by β.
    const maps = new Float64Array(2 * d * d);
    for (let rel = 0; rel < 2; rel++) for (let i = 0; i < k; i++) maps[rel * d * d + (2 * k + 2 + i) * d + rel * k + i] = 1 / 2;
    const e = superposedEmbeddings(built.weights.attributeVectors, maps, facts, d);
    expect(Array.from(e)).toEqual(Array.from(built.weights.subjectEmbedding));
    expect(e).toHaveLength(n * d);
    expect(transferFacts(facts, 1).permutations).toEqual(transferFacts(facts, 1).permutations);
  });

  it('retrains only the subject embeddings, and compares with training from scratch', async () => {
    const before = tf.memory().numTensors;
    const { facts, model } = smallModel({ n: 32, r: 2, d: 16, m: 64 }, 1);
    const trainer = new Trainer(model, facts, { lr: 0.01 });
    await train(trainer, { maxSteps: 300, stopAt100: true });
    trainer.dispose();
    const weights = await readWeights(model);
    const result = await retrainEmbeddingsOnly(model, facts, { seed: 2, steps: 300 });
    expect(result.embeddingsOnly.trainedParameters).toBe(32 * 16);
    expect(result.fromScratch.stepsTo100).not.toBeNull();
    expect(result.fromScratch.accuracyByRelation).toEqual([1, 1]);
    for (const run of [result.embeddingsOnly, result.fromScratch]) {
      expect(run.steps).toBeLessThanOrEqual(300);
      if (run.stepsTo100 !== null) expect(run.steps).toBe(Math.ceil((run.stepsTo100 + 1) / 10) * 10);
      expect(run.diverged).toBe(false);
    }
    expect(result.embeddingsOnly.loss).toBeLessThan(Math.log(32)); // it learned something
    // The source model is untouched.
    const after = await readWeights(model);
    expect(Array.from(after.subjectEmbedding)).toEqual(Array.from(weights.subjectEmbedding));
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('retraining stops when asked: the runs so far, marked cancelled, and no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const { facts, model } = smallModel({ n: 16, r: 2, d: 8, m: 16 }, 3);
    let reads = 0;
    const result = await retrainEmbeddingsOnly(model, facts, {
      seed: 1,
      steps: 500,
      onProgress: () => void reads++,
      shouldStop: () => reads >= 2,
    });
    expect(result.cancelled).toBe(true);
    expect(result.embeddingsOnly.steps).toBe(20);
    expect(result.fromScratch.steps).toBe(0);
    expect((await retrainEmbeddingsOnly(model, facts, { seed: 1, steps: 10 })).cancelled).toBeUndefined();
    // The optimiser settings reach both runs: plain GD moves differently from Adam.
    const adam = await retrainEmbeddingsOnly(model, facts, { seed: 1, steps: 10 });
    const gd = await retrainEmbeddingsOnly(model, facts, { seed: 1, steps: 10, optimizer: 'gd' });
    expect(gd.embeddingsOnly.loss).not.toBe(adam.embeddingsOnly.loss);
    expect(gd.fromScratch.loss).not.toBe(adam.fromScratch.loss);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trainOnly leaves every other weight frozen', async () => {
    const { facts, model } = smallModel({ n: 16, r: 2, d: 8, m: 16 }, 4);
    const start = await readWeights(model);
    const trainer = new Trainer(model, facts, { lr: 0.01, trainOnly: ['subjectEmbedding'] });
    await train(trainer, { maxSteps: 20 });
    trainer.dispose();
    const end = await readWeights(model);
    for (const name of Object.keys(start) as (keyof typeof start)[]) {
      if (name === 'subjectEmbedding') expect(Array.from(end[name])).not.toEqual(Array.from(start[name]));
      else expect(Array.from(end[name])).toEqual(Array.from(start[name]));
    }
    expect(() => new Trainer(model, facts, { lr: 0.01, trainOnly: ['subjectEmbedding'], freezeSubjects: true })).toThrow(/frozen/);
    disposeModel(model);
  });
});
