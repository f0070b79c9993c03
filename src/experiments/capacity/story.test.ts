import { describe, expect, it } from 'vitest';
import type { CapacityPoint } from './capacity';
import capacityJson from './capacity-learned.json';
import capacityFrozenJson from './capacity-frozen.json';
import { mergeCapacityFiles, parseCapacityFile } from './data';
import { capacityComparison, capacityFits, capacityStory, describeNs, seriesSentence, summarizeCapacity } from './story';
import { expectShippedFile } from '../testKit';

const pt = (arm: CapacityPoint['arm'], n: number, dMin: number | null, accuracy?: number): CapacityPoint => ({ arm, n, log2n: Math.log2(n), dMin, ...(accuracy !== undefined ? { accuracy } : {}) });

const SWEEP: CapacityPoint[] = [
  pt('construction', 64, 34, 1),
  pt('construction', 128, 39, 1),
  pt('construction', 256, 44, 1),
  pt('learned', 64, 8),
  pt('learned', 128, 10),
  pt('learned', 256, 12),
  pt('frozen', 64, 20),
  pt('frozen', 128, 60),
  pt('frozen', 256, null),
];

describe('precomputed capacity files', () => {
  it('reads the shipped capacity file', () => expectShippedFile(parseCapacityFile(capacityJson), capacityJson));

  it('merges the per-arm files of one grid: each construction point once, every arm present', () => {
    const merged = mergeCapacityFiles([parseCapacityFile(capacityJson), parseCapacityFile(capacityFrozenJson)]);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    const keys = merged.data.points.map((p) => `${p.arm}:${p.n}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(merged.data.settings.arms).toEqual(['learned', 'frozen']);
    const a = { ...capacityJson, points: [pt('construction', 64, 34, 1), pt('learned', 64, 5)] };
    const b = { ...capacityJson, settings: { ...capacityJson.settings, arms: ['frozen'] }, points: [pt('construction', 64, 34, 1), pt('frozen', 64, 9)] };
    const both = mergeCapacityFiles([parseCapacityFile(a), parseCapacityFile(b)]);
    expect(both.ok && both.data.points.map((p) => `${p.arm}:${p.dMin}`)).toEqual(['construction:34', 'learned:5', 'frozen:9']);
    expect(mergeCapacityFiles([parseCapacityFile(a), parseCapacityFile({ ...b, settings: { ...b.settings, steps: 7 } })])).toMatchObject({ ok: false, message: /differ/ });
    expect(mergeCapacityFiles([parseCapacityFile(a), parseCapacityFile(null)])).toMatchObject({ ok: false });
  });

  it('refuses other formats and malformed points, with a reason', () => {
    expect(parseCapacityFile(null)).toMatchObject({ ok: false, message: /format/ });
    expect(parseCapacityFile({ ...capacityJson, version: 2 })).toMatchObject({ ok: false, message: /version/ });
    expect(parseCapacityFile({ ...capacityJson, points: [{ arm: 'x', n: 4, dMin: 2 }] })).toMatchObject({ ok: false, message: /point/ });
  });

  it('reads a point that was not reached (dMin null)', () => {
    const cap = parseCapacityFile({ ...capacityJson, complete: true, points: [{ arm: 'frozen', n: 512, log2n: 9, dMin: null }] });
    expect(cap.ok && cap.data.points[0].dMin).toBeNull();
    expect(cap.ok && cap.data.complete).toBe(true);
    // A sweep the CLI was still writing, or one that was cancelled, says so.
    expect(parseCapacityFile({ ...capacityJson, complete: false })).toMatchObject({ ok: true, data: { complete: false } });
    expect(parseCapacityFile({ ...capacityJson, cancelled: true })).toMatchObject({ ok: true, data: { complete: false } });
  });
});

describe('capacity story', () => {
  it('fits only the points that reached 100%', () => {
    const fits = capacityFits(SWEEP);
    expect(fits.learned!.slope).toBeCloseTo(2, 10);
    expect(fits.construction!.slope).toBeCloseTo(5, 10);
    expect(fits.frozen!.points).toBe(2);
    expect(fits.frozen!.slope).toBeCloseTo(40, 10);
  });

  it('says what the data show, and only that', () => {
    const story = capacityStory(SWEEP);
    expect(story.series.frozen.unreached).toEqual([256]);
    expect(story.slopeRatio).toBeCloseTo(20, 10);
    const learned = seriesSentence(story.series.learned, 128);
    expect(learned).toBe('learned embeddings: d_min = 8 at N = 64, 12 at N = 256; fitted slope 2.0 per doubling of N (R² 1.00, 3 points).');
    expect(seriesSentence(story.series.construction, 128)).toMatch(/^the construction’s d\*: d\* = 34 at N = 64, 44 at N = 256; fitted slope 5\.0/);
    expect(seriesSentence(story.series.frozen, 128)).toMatch(/not reached up to d = 128 at N = 256 \(arrows, left out of the fit\)/);
    const comparison = capacityComparison(story).join(' ');
    expect(comparison).toMatch(/climbs 20\.0× as fast/);
    expect(comparison).toMatch(/At N = 256, learned embeddings got every fact right while the frozen control did not/);
    expect(comparison).toMatch(/fewer dimensions than the construction/);
    // The opposite data give the opposite sentence.
    const flipped = SWEEP.map((p) => (p.arm === 'frozen' ? { ...p, dMin: p.dMin === null ? null : 8 + (p.log2n - 6) * 0.5 } : p));
    expect(capacityComparison(capacityStory(flipped)).join(' ')).toMatch(/more slowly than with learned embeddings/);
    // One point: no slope claimed.
    const one = capacityStory([pt('learned', 64, 8)]);
    expect(one.series.learned.fit).toBeNull();
    expect(seriesSentence(one.series.learned, 64)).toBe('learned embeddings: d_min = 8 at N = 64.');
    expect(capacityComparison(one)).toEqual([]);
    expect(capacityComparison(capacityStory([pt('construction', 64, 34, 0.5)])).join(' ')).toMatch(/not exact at N = 64/);
  });

  it('summarises precomputed and live points for the figure', () => {
    const text = summarizeCapacity({ points: SWEEP, dMax: 128 }, { points: [pt('learned', 16, 3)], dMax: 64 });
    expect(text).toMatch(/^Precomputed: learned embeddings: d_min = 8/);
    expect(text).toMatch(/Live: learned embeddings: d_min = 3 at N = 16\./);
    expect(summarizeCapacity(null, null)).toBe('No capacity points yet.');
    expect(describeNs([64, 128, 256, 512])).toBe('N = 64 … 512');
    expect(describeNs([64, 1024])).toBe('N = 64 and 1,024');
  });
});
