import { describe, expect, it } from 'vitest';
import type { CapacityPoint } from '../../experiments/capacity/capacity';
import type { MultihopPoint } from '../../worker/experimentProtocol';
import capacityJson from '../../experiments/capacity/capacity-learned.json';
import capacityFrozenJson from '../../experiments/capacity/capacity-frozen.json';
import multihopJson from '../../experiments/multihop/multihop-default.json';
import {
  capacityComparison,
  capacityFits,
  capacityStory,
  describeNs,
  directFinalTrainingAccuracy,
  multihopSentences,
  multihopStory,
  mergeCapacityFiles,
  parseCapacityFile,
  parseMultihopFile,
  progressText,
  seriesSentence,
  summarizeCapacity,
  summarizeMultihop,
} from './experimentData';

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

function mh(d: number, single: number, cot: number, direct: number, peak = direct, over: Partial<MultihopPoint> = {}): MultihopPoint {
  const training = (acc: number) => ({ steps: 100, stepsTo100: acc === 1 ? 90 : null, peakAccuracy: acc, peakStep: 50, seconds: 1, loss: 0.1 });
  return {
    d,
    chance: 1 / 16,
    chainQueries: 64,
    singleHopAccuracy: single,
    cotAccuracy: cot,
    cotHopAccuracy: [single, cot],
    directAccuracy: direct,
    directSingleHopAccuracy: direct,
    directAccuracyByChain: [direct, direct, direct, direct],
    singleHopTraining: training(single),
    directTraining: training(peak),
    ...over,
  };
}

describe('precomputed files', () => {
  it('reads the shipped capacity and multi-hop files', () => {
    const cap = parseCapacityFile(capacityJson);
    expect(cap.ok).toBe(true);
    if (cap.ok) expect(cap.data.points.length).toBe((capacityJson as { points: unknown[] }).points.length);
    const hop = parseMultihopFile(multihopJson);
    expect(hop.ok).toBe(true);
    if (hop.ok) expect(hop.data.points.length).toBe((multihopJson as { points: unknown[] }).points.length);
  });

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
    expect(parseMultihopFile({ ...multihopJson, format: 'factual-recall-capacity' })).toMatchObject({ ok: false });
    expect(parseMultihopFile({ ...multihopJson, points: [{ d: 4 }] })).toMatchObject({ ok: false, message: /point/ });
  });

  it('reads a capacity point that was not reached (dMin null) and a one-d multi-hop report', () => {
    const cap = parseCapacityFile({ ...capacityJson, complete: true, points: [{ arm: 'frozen', n: 512, log2n: 9, dMin: null }] });
    expect(cap.ok && cap.data.points[0].dMin).toBeNull();
    expect(cap.ok && cap.data.complete).toBe(true);
    // A sweep the CLI was still writing, or one that was cancelled, says so.
    expect(parseCapacityFile({ ...capacityJson, complete: false })).toMatchObject({ ok: true, data: { complete: false } });
    expect(parseCapacityFile({ ...capacityJson, cancelled: true })).toMatchObject({ ok: true, data: { complete: false } });
    const one = { format: 'factual-recall-multihop', version: 1, backend: 'wasm', config: { n: 16, r: 2, m: 64, steps: 300, seed: 0, d: 8 }, ...mh(8, 1, 1, 0.5), d: undefined };
    const hop = parseMultihopFile(one);
    expect(hop.ok && hop.data.points.map((p) => p.d)).toEqual([8]);
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

describe('multi-hop story', () => {
  it('finds where single hop, chain of thought and direct reach 100%, and the largest late drop', () => {
    const points = [mh(2, 0.6, 0.35, 0.1), mh(4, 1, 1, 0.4, 0.5), mh(8, 1, 1, 0.7, 0.95), mh(16, 1, 1, 1, 1)];
    const story = multihopStory(points, 16, 2);
    expect(story.singleFrom).toBe(4);
    expect(story.singlePerfect).toEqual([4, 8, 16]);
    expect(story.cotImperfectWhereSingle).toEqual([]);
    expect(story.directFrom).toBe(16);
    expect(story.largestDrop!.d).toBe(8);
    expect(story.largestDrop!.peak).toBe(0.95);
    expect(story.largestDrop!.final).toBeCloseTo(0.7, 10);
    const text = multihopSentences(story, 100).join(' ');
    expect(text).toMatch(/Single hop got every fact right from d = 4 on/);
    expect(text).toMatch(/Wherever single hop was 100% \(three of four values of d\), chain of thought answered every 2-hop query too/);
    expect(text).toMatch(/at d = 2, single hop 0\.60, chain of thought 0\.35/);
    expect(text).toMatch(/first answered every 2-hop query in one pass at d = 16; single hop was already at 100% from d = 4\./);
    expect(text).toMatch(/Its training is erratic: at d = 8 it peaked at 0\.95 \(step 50\) and ended at 0\.70 after 100 steps/);
    const mild = multihopSentences(multihopStory([mh(8, 1, 1, 0.9, 0.93)], 16, 2), 100).join(' ');
    expect(mild).toMatch(/does not rise steadily: at d = 8 it peaked at 0\.93/);
  });

  it('says so when the direct model never gets there, or trains smoothly', () => {
    const story = multihopStory([mh(4, 1, 1, 0.3), mh(8, 1, 1, 0.6)], 16, 2);
    const text = multihopSentences(story, 2000).join(' ');
    expect(text).toMatch(/never answered every 2-hop query in one pass within 2,000 steps: at best 0\.60 \(d = 8\)/);
    expect(text).toMatch(/ended within 0\.02 of its peak at every d/);
    expect(multihopSentences(multihopStory([], 16, 2), 100)).toEqual([]);
  });

  it('final training accuracy weighs chains and single hops by count', () => {
    expect(directFinalTrainingAccuracy(mh(4, 1, 1, 0.5, 0.5, { directSingleHopAccuracy: 1, chainQueries: 96 }), 16, 2)).toBeCloseTo((0.5 * 96 + 32) / 128, 10);
  });

  it('summarises both sets for the figure', () => {
    const text = summarizeMultihop([{ label: 'precomputed', points: [mh(8, 1, 1, 0.5)] }]);
    expect(text).toBe('Accuracy on 2-hop queries against d. precomputed: d = 8: single hop 1.00, chain of thought 1.00, direct 0.50.');
    expect(summarizeMultihop([])).toBe('No multi-hop points yet.');
  });
});

describe('progress line', () => {
  it('says what the worker is doing', () => {
    expect(progressText({ kind: 'capacity', fraction: 0.2, cellsDone: 1, cells: 4, current: { arm: 'frozen', n: 32, d: 5, step: 120, steps: 300 }, trials: 3, points: [] })).toBe(
      'frozen embeddings, N = 32, d = 5: step 120 of 300 · 1 of 4 points · 3 trials done',
    );
    expect(progressText({ kind: 'multihop', fraction: 0.5, index: 1, count: 3, d: 8, model: 'direct', step: 40, steps: 600, accuracy: 0.5, loss: 1, points: [] })).toBe(
      'd = 8 (2 of 3), direct 2-hop model: step 40 of 600 · training accuracy 0.50',
    );
    expect(progressText({ kind: 'transfer', fraction: 0.3, phase: 'embeddingsOnly', step: 10, steps: 1000, accuracy: NaN, loss: NaN, partial: {} })).toBe(
      'retraining the subject embeddings only: step 10 of 1,000',
    );
  });
});
