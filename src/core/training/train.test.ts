import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { evaluateAccuracy } from '../measure/evaluate';
import { makeFacts } from '../model/facts';
import { createModel, disposeModel, readWeights } from '../model/model';
import { measureProbes, subjectSplit } from '../measure/measure';
import { OPTIMIZER_DEFAULTS, OPTIMIZERS } from './optimizerSettings';
import { scanTrainStats, train, Trainer } from './train';

describe('training (N=64, R=2, d=16, m=64)', () => {
  it.each(['wasm', 'cpu'] as const)('reaches full accuracy within 500 steps on %s and leaves no tensor behind', async (backend) => {
    await startBackend(backend);
    const before = tf.memory().numTensors;
    const facts = makeFacts(64, 2, 1);
    const model = createModel({ n: 64, r: 2, d: 16, m: 64, heads: 1, seqLen: 2 }, 1);
    const trainer = new Trainer(model, facts, { lr: 0.01 });
    const losses: number[] = [];
    const result = await train(trainer, { maxSteps: 500, stopAt100: true, onProgress: (read) => read.forEach((s) => losses.push(s.loss)) });
    expect(result.diverged).toBeNull();
    expect(result.stepsTo100).not.toBeNull();
    expect(result.stepsTo100!).toBeLessThanOrEqual(500);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 4);
    const report = await evaluateAccuracy(model, facts);
    expect(report.accuracyByRelation).toEqual([1, 1]);
    trainer.dispose();
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the tensor count flat step after step, and freezing leaves weights untouched', async () => {
    await startBackend('wasm');
    const facts = makeFacts(32, 2, 2);
    const model = createModel({ n: 32, r: 2, d: 8, m: 16, heads: 2, seqLen: 2 }, 2);
    const subjectsBefore = Array.from((await readWeights(model)).subjectEmbedding);
    const trainer = new Trainer(model, facts, { lr: 0.01, freezeSubjects: true, batch: 16, seed: 3 });
    await train(trainer, { maxSteps: 5 }); // Adam's moments are created on the first step
    const counts: number[] = [];
    await train(trainer, { maxSteps: 60, readEvery: 10, onProgress: () => void counts.push(tf.memory().numTensors) });
    expect(new Set(counts).size).toBe(1);
    expect(Array.from((await readWeights(model)).subjectEmbedding)).toEqual(subjectsBefore);
    trainer.dispose();
    disposeModel(model);
  });

  it('stops and reports a diverging run', async () => {
    await startBackend('wasm');
    const facts = makeFacts(16, 1, 1);
    const model = createModel({ n: 16, r: 1, d: 8, m: 8, heads: 1, seqLen: 2 }, 1);
    // Attribute vectors of ±1e38: the logits overflow to ±∞ and the loss is not a number.
    const huge = (await readWeights(model)).attributeVectors.map((v) => Math.sign(v) * 1e38);
    tf.tidy(() => model.weights.attributeVectors.assign(tf.tensor(huge, [16, 8])));
    const trainer = new Trainer(model, facts, { lr: 0.01 });
    const result = await train(trainer, { maxSteps: 100 });
    expect(result.diverged).not.toBeNull();
    expect(result.steps).toBeLessThan(100);
    trainer.dispose();
    disposeModel(model);
  });
});

describe('optimisers on one table (N=64, R=2, d=16, m=64), full batch, wasm', () => {
  it.each(OPTIMIZERS)('%s with its defaults gets every fact right and leaves no tensor behind', async (optimizer) => {
    await startBackend('wasm');
    const before = tf.memory().numTensors;
    const facts = makeFacts(64, 2, 1);
    const model = createModel({ n: 64, r: 2, d: 16, m: 64, heads: 1, seqLen: 2 }, 1);
    const trainer = new Trainer(model, facts, { optimizer });
    expect(trainer.optimizerSettings).toEqual(OPTIMIZER_DEFAULTS[optimizer]);
    const result = await train(trainer, { maxSteps: 1500, stopAt100: true });
    expect(result.diverged).toBeNull();
    expect(result.stepsTo100).not.toBeNull();
    trainer.dispose();
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('SGD writes the attributes linearly into the embeddings: held-out probes beat Adam', async () => {
    await startBackend('wasm');
    const probeMin = async (optimizer: 'sgd' | 'adam') => {
      const facts = makeFacts(128, 2, 2);
      const model = createModel({ n: 128, r: 2, d: 16, m: 128, heads: 1, seqLen: 2 }, 2);
      const trainer = new Trainer(model, facts, { optimizer });
      await train(trainer, { maxSteps: 400 });
      const probe = await measureProbes(model, facts, subjectSplit(128, 2));
      trainer.dispose();
      disposeModel(model);
      return Math.min(...probe.heldOutAccuracy);
    };
    const sgd = await probeMin('sgd');
    const adam = await probeMin('adam');
    expect(sgd).toBeGreaterThan(0.6); // chance: 1/128
    expect(sgd).toBeGreaterThan(adam);
  });

  it('uniform attention keeps queries and keys at zero', async () => {
    await startBackend('wasm');
    const facts = makeFacts(32, 2, 3);
    const model = createModel({ n: 32, r: 2, d: 8, m: 16, heads: 1, seqLen: 2 }, 3);
    const trainer = new Trainer(model, facts, { optimizer: 'sgd', uniformAttention: true, weightDecay: 0.01 });
    await train(trainer, { maxSteps: 20 });
    const w = await readWeights(model);
    expect(w['attention.query'].every((x) => x === 0)).toBe(true);
    expect(w['attention.key'].every((x) => x === 0)).toBe(true);
    trainer.dispose();
    disposeModel(model);
  });
});

describe('scanStats: the one scan of a readback', () => {
  // Rows of [loss, correct_0, correct_1, seen_0, seen_1] (R = 2, 4 queries a relation).
  const readback = (rows: number[][]) => ({ steps: rows.map((_, i) => 10 + i), values: Float32Array.from(rows.flat()) });

  it('decodes every row and finds the first step with every query right and the first divergence', () => {
    const scan = scanTrainStats(readback([[2, 1, 2, 4, 4], [1, 4, 4, 4, 4], [0.5, 4, 4, 4, 4], [NaN, 0, 0, 4, 4], [0.1, 4, 4, 4, 4]]), 2);
    expect(scan.read.map((s) => s.step)).toEqual([10, 11, 12, 13, 14]);
    expect(scan.read[0].accuracyByRelation).toEqual([0.25, 0.5]);
    expect(scan.first100?.step).toBe(11);
    expect(scan.diverged?.step).toBe(13);
  });

  it('looks for 100% only when asked, and a finite run has no divergence', () => {
    const scan = scanTrainStats(readback([[1, 4, 4, 4, 4], [Infinity, 4, 4, 4, 4]]), 2, false);
    expect(scan.first100).toBeNull();
    expect(scan.diverged?.loss).toBe(Infinity);
    expect(scanTrainStats(readback([[1, 3, 4, 4, 4]]), 2).diverged).toBeNull();
  });
});
