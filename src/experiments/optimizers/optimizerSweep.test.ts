import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { buildConstruction } from '../../core/model/construct';
import { makeFacts } from '../../core/model/facts';
import { disposeModel, modelFromArrays } from '../../core/model/model';
import { compareOptimizers, measureGeometry, optimizerSweep, type OptimizerComparisonSettings } from './optimizerSweep';
import { optimizerTable, spread, type OptimizerSweepRecord } from './optimizerTable';

beforeAll(async () => {
  await startBackend('wasm');
});

const SMALL: OptimizerComparisonSettings = { n: 32, r: 2, d: 16, m: 32, steps: 40, seed: 1, optimizers: ['adam', 'sgd', 'gd', 'sign'], probeEvery: 20 };

describe('measureGeometry (docs/science.md §4 on one model)', () => {
  it('the construction: probes 1, R² 1, knock-out diagonal at chance and off-diagonal 1, transfer 1', async () => {
    const facts = makeFacts(64, 2, 3);
    const built = buildConstruction(facts);
    const model = modelFromArrays(built.config, built.weights);
    const before = tf.memory().numTensors;
    const g = await measureGeometry(model, facts, 3);
    expect(tf.memory().numTensors).toBe(before);
    disposeModel(model);
    expect(g.chance).toBe(1 / 64);
    expect(g.probeHeldOut).toEqual([1, 1]);
    expect(g.probeMin).toBe(1);
    expect(g.superpositionR2).toBeGreaterThan(0.999);
    expect(g.knockoutOffDiagonal).toBe(1);
    expect(g.knockoutDiagonal).toBeLessThanOrEqual(2 / 64);
    expect(g.zeroShot).toEqual([1, 1]);
    expect(g.transferValidationMean).toBe(1);
    expect(g.selectiveUnits).toBeGreaterThan(0);
  });
});

describe('compareOptimizers', () => {
  it('trains every optimiser from the same weights for the whole budget, probes on schedule, measures each, leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const fractions: number[] = [];
    const result = await compareOptimizers(SMALL, { onProgress: (p) => void fractions.push(p.fraction) });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.cancelled).toBe(false);
    expect(result.runs.map((r) => r.optimizer)).toEqual(SMALL.optimizers);
    // Progress never goes back and ends at 1.
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions[fractions.length - 1]).toBeCloseTo(1, 9);
    const atStart = result.runs.map((r) => r.probes[0]);
    for (const p of atStart) expect(p).toEqual(atStart[0]); // same initial weights
    for (const run of result.runs) {
      expect(run.settings.optimizer).toBe(run.optimizer);
      if (run.divergedAt !== null) {
        expect(run.geometry).toBeNull();
        continue;
      }
      expect(run.steps).toBe(40); // no early stop
      expect(run.probes.map((p) => p.step)).toEqual([0, 20, 40]);
      expect(run.curve[0].step).toBe(0);
      expect(run.curve[run.curve.length - 1].step).toBe(39);
      expect(run.last?.step).toBe(39);
      if (run.stepsTo100 !== null) expect(run.curve.some((c) => c.step >= run.stepsTo100! && c.accuracyByRelation.every((a) => a === 1))).toBe(true);
      const g = run.geometry!;
      expect(g.probeHeldOut).toHaveLength(2);
      expect(g.probeMin).toBe(Math.min(...g.probeHeldOut));
      expect(g.probeHeldOut).toEqual(run.probes[run.probes.length - 1].heldOut);
      for (const x of [g.knockoutDiagonal, g.knockoutOffDiagonal, g.zeroShotMean, g.transferValidationMean]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
    // The two runs that are the same optimiser twice agree exactly (deterministic from the seed).
    const again = await compareOptimizers({ ...SMALL, optimizers: ['gd'] });
    expect(again.runs[0].curve).toEqual(result.runs[2].curve);
    expect(again.runs[0].geometry).toEqual(result.runs[2].geometry);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when asked, keeping the curves so far, with no measurements and no leak', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const result = await compareOptimizers({ ...SMALL, steps: 400 }, { onProgress: () => void calls++, shouldStop: () => calls >= 6 });
    expect(result.cancelled).toBe(true);
    for (const run of result.runs) {
      expect(run.steps).toBeGreaterThan(0);
      expect(run.steps).toBeLessThan(400);
      expect(run.geometry).toBeNull();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad settings', async () => {
    await expect(compareOptimizers({ ...SMALL, optimizers: [] })).rejects.toThrow(/at least one/);
    await expect(compareOptimizers({ ...SMALL, optimizers: ['adam', 'adam'] })).rejects.toThrow(/twice/);
    await expect(compareOptimizers({ ...SMALL, steps: 0 })).rejects.toThrow(/steps/);
  });
});

describe('optimizerSweep and its table', () => {
  it('one record per (N, R, seed, optimiser); the table aggregates over seeds', async () => {
    const result = await optimizerSweep({ ns: [32], rs: [2], seeds: [1, 2], optimizers: ['adam', 'gd'], d: 16, m: 32, steps: 30, probeEvery: 30 });
    expect(result.records.map((r) => `${r.seed}:${r.optimizer}`)).toEqual(['1:adam', '1:gd', '2:adam', '2:gd']);
    const table = optimizerTable(result.records);
    expect(table.map((t) => t.optimizer)).toEqual(['adam', 'gd']);
    const adam = result.records.filter((r) => r.optimizer === 'adam').map((r) => r.geometry!.probeMin);
    expect(table[0].metrics.probeMin.mean).toBeCloseTo((adam[0] + adam[1]) / 2, 12);
    expect(table[0].seeds).toEqual([1, 2]);
  });

  it('table rows: order, spreads, diverged and unreached runs', () => {
    const rec = (n: number, r: number, seed: number, optimizer: OptimizerSweepRecord['optimizer'], probeMin: number | null, stepsTo100: number | null): OptimizerSweepRecord => ({
      n,
      r,
      d: 32,
      m: 256,
      seed,
      optimizer,
      settings: { optimizer, lr: 0.1, momentum: 0, embedLrMult: 1, weightDecay: 0 },
      steps: 100,
      stepsTo100,
      divergedAt: probeMin === null ? 50 : null,
      loss: 0,
      accuracyByRelation: [1],
      probes: [],
      geometry:
        probeMin === null
          ? null
          : ({ probeMin, probeMean: probeMin, superpositionR2: 0.5, baselineR2: 0.4, knockoutDiagonal: 0.1, knockoutOffDiagonal: 0.9, zeroShotMean: 0.3, transferValidationMean: 1, interpolates: r === 8 } as OptimizerSweepRecord['geometry']),
      seconds: 1,
    });
    const rows = optimizerTable([rec(256, 4, 1, 'sign', 0.2, null), rec(256, 2, 1, 'sgd', 0.9, 60), rec(256, 2, 2, 'sgd', null, 40), rec(256, 2, 1, 'adam', 0.6, 50), rec(128, 8, 1, 'gd', 0.1, null)]);
    expect(rows.map((x) => `${x.n}/${x.r}/${x.optimizer}`)).toEqual(['128/8/gd', '256/2/adam', '256/2/sgd', '256/4/sign']);
    const sgd = rows[2];
    expect(sgd.diverged).toBe(1);
    expect(sgd.reached).toBe(2);
    expect(sgd.stepsTo100).toEqual({ mean: 50, min: 40, max: 60, count: 2 });
    expect(sgd.metrics.probeMin).toEqual({ mean: 0.9, min: 0.9, max: 0.9, count: 1 });
    expect(rows[0].interpolating).toBe(1);
    expect(rows[3].stepsTo100.count).toBe(0);
    expect(spread([NaN])).toEqual({ mean: NaN, min: NaN, max: NaN, count: 0 });
  });
});
