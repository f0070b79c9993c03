import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { constructedModel, useBackend } from '../../core/testKit';
import { makeFacts } from '../../core/model/facts';
import { createModel, disposeModel } from '../../core/model/model';
import { chainAnswer, chainOfThought, evaluateQueries, hopQueries, multihopExperiment, QueryTrainer, singleHopQueries, trainQueries, unseenQueries } from './multihop';

useBackend();

describe('multi-hop queries (docs/science.md §6)', () => {
  it('builds all N·R^k chains chain-major, or a seeded sample of them', () => {
    const facts = makeFacts(10, 3, 1);
    const two = hopQueries(facts, 2);
    expect(two.count).toBe(90);
    // index = (r1·R + r2)·N + s
    expect(Array.from(two.relations.subarray(2 * 37, 2 * 38))).toEqual([1, 0]);
    expect(two.subjects[37]).toBe(7);
    expect(two.targets[37]).toBe(facts.permutations[0][facts.permutations[1][7]]);
    expect(chainAnswer(facts, 7, [1, 0])).toBe(two.targets[37]);
    const single = singleHopQueries(facts);
    expect(Array.from(single.targets)).toEqual(facts.permutations.flatMap((p) => Array.from(p)));
    const sample = hopQueries(facts, 2, { sample: 20, seed: 4 });
    expect(sample.count).toBe(20);
    expect(new Set(sample.indices).size).toBe(20);
    expect(Array.from(hopQueries(facts, 2, { sample: 20, seed: 4 }).indices)).toEqual(Array.from(sample.indices));
    sample.indices.forEach((index, q) => {
      expect(sample.subjects[q]).toBe(two.subjects[index]);
      expect(sample.targets[q]).toBe(two.targets[index]);
    });
    // Held-out chains: disjoint from the sample, distinct, and all 70 of them when asked for more.
    const rest = unseenQueries(facts, sample, 1000, 2);
    expect(rest.count).toBe(70);
    expect(new Set([...sample.indices, ...rest.indices]).size).toBe(90);
    const some = unseenQueries(facts, sample, 15, 2);
    expect(some.count).toBe(15);
    some.indices.forEach((index, q) => expect(some.targets[q]).toBe(two.targets[index]));
    some.indices.forEach((index) => expect(sample.indices.includes(index)).toBe(false));
  });

  it.each([
    [16, 3],
    [50, 4],
  ])('N=%i, R=%i: chain of thought over the construction answers every 2-hop query', async (n, r) => {
    const before = tf.memory().numTensors;
    const { facts, model } = constructedModel(n, r, 5);
    const chains = hopQueries(facts, 2);
    const cot = await chainOfThought(model, facts, chains, { batchSize: 97 });
    expect(cot.count).toBe(n * r * r);
    expect(cot.accuracy).toBe(1);
    expect(cot.hopAccuracy).toEqual([1, 1]);
    expect(cot.accuracyByChain).toEqual(Array(r * r).fill(1));
    // Three hops work the same way.
    expect((await chainOfThought(model, facts, hopQueries(facts, 3, { sample: 200, seed: 1 }))).accuracy).toBe(1);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains a direct 2-hop model: the loss falls and the tensor count stays flat', async () => {
    const before = tf.memory().numTensors;
    const facts = makeFacts(16, 2, 1);
    const model = createModel({ n: 16, r: 2, d: 16, m: 64, heads: 1, seqLen: 3 }, 1);
    const single = singleHopQueries(facts);
    const chains = hopQueries(facts, 2);
    const trainer = new QueryTrainer(model, [single, chains], { lr: 0.01 });
    await trainQueries(trainer, { maxSteps: 5 }); // Adam's moments are created on the first step
    const losses: number[] = [];
    const counts: number[] = [];
    const result = await trainQueries(trainer, {
      maxSteps: 200,
      onProgress: (read) => {
        read.forEach((s) => losses.push(s.loss));
        counts.push(tf.memory().numTensors);
      },
    });
    expect(result.diverged).toBeNull();
    expect(new Set(counts).size).toBe(1);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 2);
    expect(result.last!.accuracyByGroup).toHaveLength(2);
    // The step's reported accuracy matches a separate evaluation (up to the last update).
    const evaluated = await evaluateQueries(model, facts, chains);
    expect(evaluated.count).toBe(64);
    expect(evaluated.loss).toBeLessThan(Math.log(16));
    trainer.dispose();
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
    const short = createModel({ n: 16, r: 2, d: 4, m: 4, heads: 1, seqLen: 2 }, 0);
    expect(() => new QueryTrainer(short, [chains], { lr: 0.01 })).toThrow(/seqLen/);
    disposeModel(short);
  });

  it('QueryTrainer and multihopExperiment take the optimiser settings; uniform attention keeps queries and keys at zero', async () => {
    const before = tf.memory().numTensors;
    const facts = makeFacts(16, 2, 1);
    const model = createModel({ n: 16, r: 2, d: 16, m: 64, heads: 1, seqLen: 3 }, 1);
    const trainer = new QueryTrainer(model, [singleHopQueries(facts), hopQueries(facts, 2)], { optimizer: 'sgd', uniformAttention: true });
    expect(trainer.optimizerSettings).toMatchObject({ optimizer: 'sgd', lr: 0.1, momentum: 0.9, embedLrMult: 30 });
    const result = await trainQueries(trainer, { maxSteps: 20 });
    expect(result.diverged).toBeNull();
    for (const name of ['attention.query', 'attention.key'] as const) expect(Array.from(await model.weights[name].data()).every((x) => x === 0)).toBe(true);
    trainer.dispose();
    disposeModel(model);
    const run = await multihopExperiment({ n: 8, r: 2, d: 8, m: 16, steps: 20, seed: 1, optimizer: 'gd' });
    expect(run.config).toMatchObject({ optimizer: 'gd', lr: 0.1, momentum: 0, embedLrMult: 30, weightDecay: 0, uniformAttention: false });
    const adam = await multihopExperiment({ n: 8, r: 2, d: 8, m: 16, steps: 20, seed: 1 });
    expect(adam.config).toMatchObject({ optimizer: 'adam', lr: 0.01 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('multihopExperiment: CoT inherits a perfect single-hop model; direct trains on both', async () => {
    const before = tf.memory().numTensors;
    const result = await multihopExperiment({ n: 16, r: 2, d: 16, m: 64, steps: 300, seed: 1 });
    expect(result.singleHopAccuracy).toBe(1);
    expect(result.cotAccuracy).toBe(1);
    expect(result.chainQueries).toBe(64);
    expect(result.directAccuracyByChain).toHaveLength(4);
    expect(result.directAccuracy).toBeGreaterThan(0.5);
    expect(result.directSingleHopAccuracy).toBeGreaterThan(0.5);
    expect(result.singleHopTraining.stepsTo100).not.toBeNull();
    expect(result.singleHopTraining.peakAccuracy).toBe(1);
    expect(result.singleHopTraining.peakStep).toBe(result.singleHopTraining.stepsTo100);
    expect(result.directTraining.peakAccuracy).toBeGreaterThanOrEqual(0.5);
    expect(result.unseenChains).toBeUndefined();
    // Sampled chains: held-out chains are scored too; CoT composes them, being exact on single hops.
    const sampled = await multihopExperiment({ n: 16, r: 2, d: 16, m: 64, steps: 150, seed: 1, sample: 24 });
    expect(sampled.chainQueries).toBe(24);
    expect(sampled.unseenChains!.count).toBe(24);
    expect(sampled.unseenChains!.cotAccuracy).toBe(1);
    expect(result.cancelled).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('multihopExperiment stops both trainings when asked, says cancelled, and awaits its progress callback', async () => {
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    let pending = 0;
    const result = await multihopExperiment({
      n: 8,
      r: 2,
      d: 4,
      m: 16,
      steps: 1000,
      seed: 1,
      onProgress: async (model) => {
        seen.push(model);
        pending++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        pending--;
      },
      shouldStop: () => seen.length >= 3,
    });
    expect(pending).toBe(0);
    expect(result.cancelled).toBe(true);
    expect(result.singleHopTraining.steps + result.directTraining.steps).toBeLessThanOrEqual(30);
    expect(tf.memory().numTensors).toBe(before);
  });
});
