import { describe, expect, it } from 'vitest';
import { fixtureProblem, gatingFromJson, gatingToJson, knockoutFromJson, projectionFromJson, projectionToJson, roundDeep, roundSig, strideIndices } from './fixtureFormat';
import type { KnockoutReport } from '../../core/measure/measure';

describe('the gallery fixtures', () => {
  it('round-trip a projection sample and a gating report through JSON, rounded', () => {
    const p = { relation: 1, subjects: Int32Array.of(3, 0), targets: Int32Array.of(2, 1), scores: Float32Array.of(0.12345, -1, 0.5, 0), n: 2 };
    const back = projectionFromJson(JSON.parse(JSON.stringify(projectionToJson(p))));
    expect(back.scores).toBeInstanceOf(Float32Array);
    expect(Array.from(back.scores)).toEqual([Math.fround(0.123), -1, 0.5, 0]);
    expect(Array.from(back.subjects)).toEqual([3, 0]);
    const g = { units: 2, relations: 1, active: Float32Array.of(0.33333, 0), preferred: Int32Array.of(0, -1), selectivity: Float32Array.of(1, 0), order: Int32Array.of(0, 1), meanSelectivity: 1 };
    const gBack = gatingFromJson(JSON.parse(JSON.stringify(gatingToJson(g))));
    expect(Array.from(gBack.active)).toEqual([Math.fround(0.3333), 0]);
    expect(Array.from(gBack.preferred)).toEqual([0, -1]);
  });

  it('keep NaN means of a one-relation knock-out as NaN (JSON writes null)', () => {
    const k = JSON.parse(JSON.stringify({ accuracy: [[0]], unitsRemoved: [1], baseline: [1], threshold: 0.5, sharedUnits: 0, deadUnits: 0, diagonalMean: 0, offDiagonalMean: NaN })) as KnockoutReport;
    expect(knockoutFromJson(k).offDiagonalMean).toBeNaN();
  });

  it('downsample evenly with both ends kept, and round numbers deep', () => {
    expect(strideIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const kept = strideIndices(1000, 300);
    expect(kept).toHaveLength(300);
    expect(kept[0]).toBe(0);
    expect(kept[299]).toBe(999);
    expect(roundDeep({ a: [1.23456, { b: -0.00001 }], c: 'x', d: true }, 3)).toEqual({ a: [1.235, { b: -0 }], c: 'x', d: true });
    expect(roundSig(0.000123456, 3)).toBe(0.000123);
  });

  it('name a file of another format or version', () => {
    expect(fixtureProblem('x.json', { format: 'factual-recall-gallery-fixture', version: 1 })).toBeNull();
    expect(fixtureProblem('x.json', { format: 'factual-recall-gallery-fixture', version: 2 })).toMatch(/x\.json .*npm run cli -- fixtures/);
  });
});
