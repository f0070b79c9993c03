import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../core/testKit';
import { makeRng } from '../../core/model/prng';
import { assocParameters, assocPlateau, assocVocab, type AssocCurvePoint, type AssocTaskSettings } from './assoc';
import { metricsTensor, readMetrics } from './losses';
import { capacityModel, fitThroughOrigin } from './sweeps';
import { batchStream, makeAssocTask, sampleBatch, structuredAnswer } from './task';
import { tokenCounts } from './models';

useBackend();

const NOTEBOOK: AssocTaskSettings = { s: 16, r: 4, answers: 8, noise: 20, seqLen: 32, structured: true, seed: 3 };

describe('the task', () => {
  it('lays tokens out as the authors do: subjects, relations, noise, EOS (V = S + R + N + 1)', () => {
    const task = makeAssocTask(NOTEBOOK);
    expect(task.vocab).toBe(41);
    expect(assocVocab(NOTEBOOK)).toBe(41);
    expect(task.eos).toBe(40);
    expect(task.outputs).toBe(32);
    const { s: S, r: R, seqLen: T } = NOTEBOOK;
    const b = sampleBatch(task, 2000, makeRng(1));
    const subjectAt = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const row = Array.from(b.tokens.subarray(i * T, (i + 1) * T));
      expect(row[T - 1]).toBe(task.eos);
      const subjects = row.map((x, t) => [x, t]).filter(([x]) => x < S);
      const relations = row.map((x, t) => [x, t]).filter(([x]) => x >= S && x < S + R);
      const noise = row.filter((x) => x >= S + R && x < task.eos);
      expect(subjects).toHaveLength(1);
      expect(relations).toHaveLength(1);
      expect(noise).toHaveLength(T - 3);
      expect(row.filter((x) => x === task.eos)).toHaveLength(1);
      expect(subjects[0][1]).not.toBe(relations[0][1]);
      expect(subjects[0][0]).toBe(b.subjects[i]);
      expect(relations[0][0]).toBe(S + b.relations[i]);
      expect(b.answers[i]).toBe(task.table[b.subjects[i] * R + b.relations[i]]);
      subjectAt.add(subjects[0][1]);
    }
    // Every position but the last can hold the subject.
    expect([...subjectAt].sort((x, y) => x - y)).toEqual(Array.from({ length: T - 1 }, (_, t) => t));
  });

  it('the structured table is ⌊s·D/S⌋ + r·D (two subjects per answer at S = 16, D = 8)', () => {
    const task = makeAssocTask(NOTEBOOK);
    for (let s = 0; s < 16; s++) for (let r = 0; r < 4; r++) expect(task.table[s * 4 + r]).toBe(Math.floor(s / 2) + 8 * r);
    expect(structuredAnswer(15, 3, 16, 8)).toBe(31);
  });

  it('a random table gives each (s, r) an answer of relation r, fixed by the seed', () => {
    const settings = { ...NOTEBOOK, structured: false };
    const a = makeAssocTask(settings).table;
    for (let s = 0; s < 16; s++) for (let r = 0; r < 4; r++) expect(Math.floor(a[s * 4 + r] / 8)).toBe(r);
    expect(makeAssocTask(settings).table).toEqual(a);
    expect(makeAssocTask({ ...settings, seed: 4 }).table).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(8);
  });

  it('batches are deterministic for a seed and fresh every step', () => {
    const one = batchStream(makeAssocTask(NOTEBOOK));
    const two = batchStream(makeAssocTask(NOTEBOOK));
    const first = one(64);
    expect(two(64)).toEqual(first);
    expect(one(64).tokens).not.toEqual(first.tokens);
    expect(batchStream(makeAssocTask({ ...NOTEBOOK, seed: 9 }))(64).tokens).not.toEqual(first.tokens);
  });

  it('token counts are the one-hot embeddings summed over positions', () => {
    const task = makeAssocTask(NOTEBOOK);
    const b = sampleBatch(task, 8, makeRng(2));
    const counts = tokenCounts(b, task.vocab, 32);
    for (let i = 0; i < 8; i++) {
      expect(counts.subarray(i * 41, (i + 1) * 41).reduce((x, y) => x + y, 0)).toBe(32);
      expect(counts[i * 41 + task.eos]).toBe(1);
      expect(counts[i * 41 + b.subjects[i]]).toBe(1);
    }
  });
});

describe('parameters as paper A counts them', () => {
  it('full: 4·H·dh·d + 2·m·d; linear: A and V', () => {
    expect(assocParameters({ kind: 'full', d: 32, heads: 4, headDim: 8, width: 64 }, 41, 32)).toBe(4 * 4 * 8 * 32 + 2 * 64 * 32);
    expect(assocParameters({ kind: 'linear' }, 41, 32)).toBe(41 * 41 + 41 * 32);
    const m = capacityModel({ ds: [16], alpha: 1, beta: 0.5, heads: 8, answers: 8, noise: null, seqLen: 32, lrs: [0.01], steps: 1, batch: 1, minSize: 1, maxSize: 2, seed: 0 }, 16);
    expect(m).toEqual({ d: 16, heads: 8, headDim: 2, width: 8, parameters: 4 * 8 * 2 * 16 + 2 * 8 * 16 });
  });
});

describe('the losses', () => {
  const metrics = (logits: number[][], answers: number[], r: number, d: number) => {
    const t = tf.tensor2d(logits);
    const m = metricsTensor(t, Int32Array.from(answers), r, d);
    const values = readMetrics(m.dataSync());
    tf.dispose([t, m]);
    return values;
  };

  it('uniform logits: log(D·R), relation-only log R, subject-only log D', () => {
    const m = metrics([new Array(32).fill(0.5)], [13], 4, 8);
    expect(m.loss).toBeCloseTo(Math.log(32), 5);
    expect(m.relationLoss).toBeCloseTo(Math.log(4), 5);
    expect(m.subjectLoss).toBeCloseTo(Math.log(8), 5);
  });

  it('hand-made logits, R = 2, D = 2 (answers 0,1 of relation 0; 2,3 of relation 1)', () => {
    // p = (1, 2, 3, 4)/10 through the logits' logs; the answer is 2 (relation 1, remainder 0).
    const logits = [Math.log(1), Math.log(2), Math.log(3), Math.log(4)];
    const m = metrics([logits, logits], [2, 1], 2, 2);
    expect(m.loss).toBeCloseTo((-Math.log(0.3) - Math.log(0.2)) / 2, 5);
    // Relation-only: relation 1 holds 0.3 + 0.4; relation 0 holds 0.1 + 0.2.
    expect(m.relationLoss).toBeCloseTo((-Math.log(0.7) - Math.log(0.3)) / 2, 5);
    // Subject-only: a mod 2 = 0 holds 0.1 + 0.3; a mod 2 = 1 holds 0.2 + 0.4.
    expect(m.subjectLoss).toBeCloseTo((-Math.log(0.4) - Math.log(0.6)) / 2, 5);
    expect(m.accuracy).toBe(0); // the argmax is 3 for both
    expect(metrics([logits], [3], 2, 2).accuracy).toBe(1);
  });
});

describe('the plateau and the fit', () => {
  it('finds the longest run at log D with the relation right', () => {
    const point = (step: number, loss: number, relationLoss: number): AssocCurvePoint => ({ step, loss, relationLoss, subjectLoss: loss, accuracy: 0 });
    const curve = [point(0, 3.4, 1.3), point(1, 2.1, 0.05), point(2, 2.0, 0.2), point(3, 2.05, 0.01), point(4, 2.1, 0.01), point(5, 2.1, 0.01), point(6, 1.0, 0.01)];
    expect(assocPlateau(curve, 8)).toEqual({ from: 3, to: 5, steps: 3 });
    expect(assocPlateau(curve.slice(0, 1), 8)).toBeNull();
  });

  it('fits facts = slope × parameters through the origin', () => {
    const fit = fitThroughOrigin([{ parameters: 100, facts: 15 }, { parameters: 400, facts: 60 }]);
    expect(fit!.slope).toBeCloseTo(0.15, 10);
    expect(fit!.intercept).toBe(0);
    expect(fit!.r2).toBeCloseTo(1, 10);
    expect(fitThroughOrigin([{ parameters: 1, facts: 1 }])).toBeNull();
  });
});
