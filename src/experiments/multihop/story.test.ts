import { describe, expect, it } from 'vitest';
import type { MultihopPoint } from './multihopPoint';
import multihopJson from './multihop-default.json';
import { parseMultihopFile } from './data';
import { directFinalTrainingAccuracy, multihopSentences, multihopStory, summarizeMultihop } from './story';
import { expectShippedFile } from '../testKit';

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

describe('precomputed multi-hop files', () => {
  it('reads the shipped multi-hop file', () => expectShippedFile(parseMultihopFile(multihopJson), multihopJson));

  it('refuses other formats and malformed points, with a reason', () => {
    expect(parseMultihopFile({ ...multihopJson, format: 'factual-recall-capacity' })).toMatchObject({ ok: false });
    expect(parseMultihopFile({ ...multihopJson, points: [{ d: 4 }] })).toMatchObject({ ok: false, message: /point/ });
  });

  it('reads a one-d multi-hop report', () => {
    const one = { format: 'factual-recall-multihop', version: 1, backend: 'wasm', config: { n: 16, r: 2, m: 64, steps: 300, seed: 0, d: 8 }, ...mh(8, 1, 1, 0.5), d: undefined };
    const hop = parseMultihopFile(one);
    expect(hop.ok && hop.data.points.map((p) => p.d)).toEqual([8]);
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
