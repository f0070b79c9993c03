import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { leakChecked, useBackend } from '../../core/testKit';
import { ASSOC_DEFAULTS, assocPlateau, type AssocCurvePoint } from './assoc';
import { trainAssoc } from './train';

useBackend();

/** Four subjects, two relations, four answers each, in sequences of eight tokens. */
const tinyTask = (structured: boolean, seed: number) => ({ s: 4, r: 2, answers: 4, noise: 4, seqLen: 8, structured, seed });

describe('trainAssoc', () => {
  it('the full model learns a tiny random table to 100%, leaving no tensor behind', async () => {
    const counts: number[] = [];
    const result = await leakChecked(() =>
      trainAssoc({
        task: tinyTask(false, 2),
        model: { kind: 'full', d: 16, heads: 2, headDim: 4, width: 16 },
        ...{ steps: 400, lr: 0.02, batch: 64, stopAtAccuracy: 1 },
        onProgress: () => {
          counts.push(tf.memory().numTensors);
        },
      }),
    );
    expect(result.accuracy).toBe(1);
    expect(result.stepsTo99).not.toBeNull();
    expect(result.steps).toBeLessThan(400);
    expect(result.parameters).toBe(4 * 2 * 4 * 16 + 2 * 16 * 16);
    // The tensor count is flat while it trains.
    expect(new Set(counts).size).toBe(1);
  }, 60_000);

  it('onProgress gets the new points; shouldStop cancels', async () => {
    const seen: AssocCurvePoint[] = [];
    let calls = 0;
    const result = await trainAssoc({
      task: tinyTask(true, 1),
      model: { kind: 'linear' },
      ...{ steps: 1000, lr: 0.1, batch: 32, every: 5 },
      onProgress: (points) => {
        seen.push(...points);
      },
      shouldStop: () => ++calls > 60,
    });
    expect(result.cancelled).toBe(true);
    expect(result.steps).toBe(60);
    expect(seen.map((p) => p.step)).toEqual(result.curve.map((p) => p.step));
    expect(result.curve.map((p) => p.step).slice(0, 3)).toEqual([0, 5, 10]);
  }, 30_000);

  it("the notebook's linear model goes through its three stages (lr 0.5, batch 256: the notebook's run five times faster)", async () => {
    const result = await leakChecked(() =>
      // The notebook's settings (ASSOC_DEFAULTS.linear) with a larger step and a smaller batch.
      trainAssoc({ ...ASSOC_DEFAULTS.linear, steps: 1000, lr: 0.5, batch: 256 }),
    );
    const { curve } = result;
    // Stage 1: the logits are tied, the loss sits at log(D·R).
    for (const p of curve.slice(0, 150)) expect(Math.abs(p.loss - Math.log(32))).toBeLessThan(0.02);
    // Stage 2: the right relation, not the subject's answer: loss and subject-only loss at log D.
    const plateau = assocPlateau(curve, 8)!;
    expect(plateau.steps).toBeGreaterThanOrEqual(200);
    const onPlateau = curve.filter((p) => p.step >= plateau.from && p.step <= plateau.to);
    for (const p of onPlateau) expect(Math.abs(p.subjectLoss - Math.log(8))).toBeLessThan(0.12);
    // Stage 3: the facts.
    expect(result.stepsTo99).not.toBeNull();
    expect(result.stepsTo99!).toBeGreaterThan(plateau.to - 100);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.99);
  }, 60_000);
});
