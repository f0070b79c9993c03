import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { codeLength } from '../model/construct';
import { disposeModel, forwardLogits } from '../model/model';
import { constructedModel, leakChecked, smallModel, useBackend } from '../testKit';
import { train, Trainer } from '../training/train';
import { activeUnits, topContributors, traceFact, type FactTrace } from './factTrace';

useBackend();

/** The construction's MLP units of relation `rel` (construct.ts: unit (rel, i, σ) = (rel·k + i)·2 + σ-index). */
function unitsOfRelation(rel: number, k: number): number[] {
  return Array.from({ length: 2 * k }, (_, j) => rel * 2 * k + j);
}

/** What holds for any model: the right logit splits into the direct path and the units' terms, attention sums to 1, the list is sorted. */
function expectConsistent(trace: FactTrace): void {
  const units = trace.contribution.reduce((a, b) => a + b, 0);
  expect(trace.directLogit + units).toBeCloseTo(trace.targetLogit, 3);
  for (let h = 0; h < trace.heads; h++) expect(trace.attention[2 * h] + trace.attention[2 * h + 1]).toBeCloseTo(1, 5);
  for (let i = 1; i < trace.top.length; i++) expect(trace.top[i].logit).toBeLessThanOrEqual(trace.top[i - 1].logit);
  trace.preActivation.forEach((v, j) => {
    if (v <= 0) expect(trace.contribution[j]).toBe(0);
  });
}

describe('traceFact on the construction (docs/science.md §3)', () => {
  it('every fact: the right attribute has the top logit, exactly its relation’s units fire, attention is ½ and ½', async () => {
    const n = 8;
    const r = 3;
    const k = codeLength(n);
    const { facts, model } = constructedModel(n, r, 3);
    await leakChecked(async () => {
      for (let rel = 0; rel < r; rel++) {
        for (let s = 0; s < n; s++) {
          const trace = await traceFact(model, facts, s, rel, { seed: 3 });
          expectConsistent(trace);
          expect(trace.target).toBe(facts.permutations[rel][s]);
          expect(trace.top[0].attribute).toBe(trace.target);
          expect(trace.targetRank).toBe(1);
          // logit_t = β·k (β = 4), every other at least 2β lower.
          expect(trace.targetLogit).toBeCloseTo(4 * k, 5);
          expect(trace.top[1].logit).toBeLessThanOrEqual(trace.targetLogit - 8 + 1e-4);
          expect(Array.from(trace.attention)).toEqual([0.5, 0.5]);
          // One unit per bit fires, all of the fact's relation, each adding β to the right logit.
          const active = activeUnits(trace);
          expect(active).toHaveLength(k);
          const own = unitsOfRelation(rel, k);
          for (const j of active) expect(own).toContain(j);
          for (const j of active) expect(trace.contribution[j]).toBeCloseTo(4, 5);
          expect(trace.directLogit).toBeCloseTo(0, 6);
          expect(topContributors(trace, 3).map((c) => c.unit).every((j) => own.includes(j))).toBe(true);
          // The embedding holds every relation's answer: each probe ranks its target first.
          expect(trace.probes.map((p) => p.targetRank)).toEqual(Array(r).fill(1));
          expect(trace.probes.map((p) => p.target)).toEqual(facts.permutations.map((perm) => perm[s]));
        }
      }
    });
    disposeModel(model);
  });

  it('rejects a fact outside the table', async () => {
    const { facts, model } = constructedModel(8, 2, 1);
    await expect(traceFact(model, facts, 8, 0, { seed: 1 })).rejects.toThrow(/subject 8/);
    await expect(traceFact(model, facts, 0, 2, { seed: 1 })).rejects.toThrow(/relation 2/);
    disposeModel(model);
  });
});

describe('traceFact on a trained small model', () => {
  it('agrees with the forward pass, splits the right logit exactly, and leaves no tensor behind', async () => {
    const { facts, model } = smallModel({ n: 16, r: 2, d: 16, m: 64 }, 2);
    const trainer = new Trainer(model, facts, { optimizer: 'adam', lr: 0.01 });
    const result = await train(trainer, { maxSteps: 600, stopAt100: true });
    trainer.dispose();
    expect(result.stepsTo100).not.toBeNull();
    await leakChecked(async () => {
      for (let rel = 0; rel < facts.r; rel++) {
        for (const s of [0, 5, 11]) {
          const trace = await traceFact(model, facts, s, rel, { seed: 2, top: 3 });
          expectConsistent(trace);
          expect(trace.top).toHaveLength(3);
          // Every fact is right after training to 100%: the top logit is the answer.
          expect(trace.top[0].attribute).toBe(facts.permutations[rel][s]);
          const logits = tf.tidy(() => forwardLogits(model, tf.tensor1d([s], 'int32'), tf.tensor2d([[rel]], [1, 1], 'int32')));
          const values = await logits.data();
          logits.dispose();
          expect(trace.targetLogit).toBeCloseTo(values[trace.target], 4);
          expect(trace.top[0].probability).toBeGreaterThan(0);
          expect(trace.top.reduce((a, t) => a + t.probability, 0)).toBeLessThanOrEqual(1 + 1e-6);
          expect(trace.probes).toHaveLength(facts.r);
        }
      }
    });
    disposeModel(model);
  }, 60_000);
});
