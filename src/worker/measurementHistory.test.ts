import { describe, expect, it } from 'vitest';
import { MAX_BYTES, MAX_SNAPSHOTS, MeasurementHistory, measurementBytes } from './measurementHistory';
import type { Measurements } from './protocol';

/** A measurement at `step` with K × n projection scores and m × r gating, every value tagged by the step. */
function fake(step: number, n = 8, m = 4, r = 2, k = 4): Measurements {
  return {
    step,
    probe: { heldOutAccuracy: [step / 1000], trainAccuracy: [1], lambda: [0.1] },
    superposition: { heldOutR2: 0.5, trainR2: 0.6, baselineHeldOutR2: 0.3, featuresPerSubject: 0.2, interpolates: false, controlHeldOutR2: 0 },
    projection: { relation: 0, n, subjects: new Int32Array(k).fill(step), targets: new Int32Array(k), scores: new Float32Array(k * n).fill(step) },
    gating: {
      units: m,
      relations: r,
      active: new Float32Array(m * r).fill(step),
      preferred: new Int32Array(m),
      selectivity: new Float32Array(m),
      order: new Int32Array(m),
      meanSelectivity: step,
    },
  };
}

describe('MeasurementHistory', () => {
  it('keeps every measurement until full, then thins evenly and never exceeds the cap', () => {
    const h = new MeasurementHistory();
    for (let s = 0; s < MAX_SNAPSHOTS; s++) h.record(fake(s * 3));
    expect(h.size).toBe(MAX_SNAPSHOTS);
    expect(h.steps().slice(0, 3)).toEqual([0, 3, 6]);
    for (let s = MAX_SNAPSHOTS; s < 20_000; s++) {
      h.record(fake(s * 3));
      expect(h.size).toBeLessThanOrEqual(MAX_SNAPSHOTS);
    }
    const steps = h.steps();
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBeGreaterThan(59_000 - 3 * 1024);
    // Still spread over the whole run: at least half the cap.
    expect(steps.length).toBeGreaterThanOrEqual(MAX_SNAPSHOTS / 2);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
  });

  it('holds copies: the original arrays may be transferred (emptied) after recording', () => {
    const h = new MeasurementHistory();
    const m = fake(10);
    h.record(m);
    m.projection.scores.fill(-1);
    m.gating.active.fill(-1);
    const back = h.at(10)!;
    expect(back.step).toBe(10);
    expect(back.projection.scores[0]).toBe(10);
    expect(back.gating.active[0]).toBe(10);
    expect(back.probe.heldOutAccuracy).toEqual([0.01]);
    expect(h.at(11)).toBeNull();
  });

  it('stays under its byte cap with large snapshots', () => {
    const big = measurementBytes(fake(0, 4096, 256, 2, 32));
    const h = new MeasurementHistory();
    for (let s = 0; s < 400; s++) h.record(fake(s, 4096, 256, 2, 32));
    expect(h.byteSize).toBeLessThanOrEqual(MAX_BYTES);
    expect(h.size).toBeLessThanOrEqual(Math.floor(MAX_BYTES / big));
    expect(h.size).toBeGreaterThan(10);
  });

  it('replaces a step measured twice, and forgets steps redone after a resume', () => {
    const h = new MeasurementHistory();
    for (const s of [0, 5, 10, 15]) h.record(fake(s));
    h.record({ ...fake(15), probe: { heldOutAccuracy: [0.9], trainAccuracy: [1], lambda: [0.1] } });
    expect(h.steps()).toEqual([0, 5, 10, 15]);
    expect(h.at(15)!.probe.heldOutAccuracy).toEqual([0.9]);
    h.record(fake(7));
    expect(h.steps()).toEqual([0, 5, 7]);
    h.clear();
    expect(h.steps()).toEqual([]);
    expect(h.byteSize).toBe(0);
  });
});
