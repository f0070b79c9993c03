import { describe, expect, it } from 'vitest';
import type { FactTrace } from '../../core/measure/factTraceData';
import { firingByRelation, fmtPercent, summarizeFactTrace } from './factTraceSummary';

/** A trace of the construction's kind: N = 8, R = 2, k = 3, m = 12; units 6–11 are relation 1's. */
function trace(over: Partial<FactTrace> = {}): FactTrace {
  const pre = new Float32Array(12).fill(-1);
  const contribution = new Float32Array(12);
  for (const j of [6, 9, 10]) {
    pre[j] = 1;
    contribution[j] = 4;
  }
  return {
    subject: 3,
    relation: 1,
    target: 5,
    n: 8,
    heads: 1,
    heldOut: true,
    probes: [
      { relation: 0, target: 2, targetScore: 0.9, best: 2, bestScore: 0.9, targetRank: 1 },
      { relation: 1, target: 5, targetScore: 0.8, best: 5, bestScore: 0.8, targetRank: 1 },
    ],
    attention: Float32Array.of(0.5, 0.5),
    preActivation: pre,
    contribution,
    directLogit: 0,
    targetLogit: 12,
    targetProbability: 0.9993,
    targetRank: 1,
    top: [
      { attribute: 5, logit: 12, probability: 0.9993 },
      { attribute: 1, logit: 4, probability: 0.0003 },
    ],
    ...over,
  };
}

const preferred = Int32Array.from({ length: 12 }, (_, j) => (j < 6 ? 0 : 1));

describe('fact trace summary', () => {
  it('counts the firing units by their measured relation', () => {
    expect(firingByRelation(trace(), preferred)).toEqual({ active: [6, 9, 10], own: 3, others: 0, unassigned: 0 });
    expect(firingByRelation(trace(), null).unassigned).toBe(3);
    const mixed = Int32Array.from(preferred);
    mixed[9] = 0;
    mixed[10] = -1;
    expect(firingByRelation(trace(), mixed)).toMatchObject({ own: 1, others: 1, unassigned: 1 });
  });

  it('says the answer, its logit, the units and the probes in words, from the trace', () => {
    const text = summarizeFactTrace(trace(), 0, preferred);
    expect(text).toContain('Subject 3, relation 1, at step 0: the right answer is attribute 5.');
    expect(text).toContain('Its logit, 12.00, is the largest (probability 100%); next is attribute 1 at 4.00.');
    expect(text).toContain('Three of 12 MLP units fire. By the measured gating, three of them are units of relation 1.');
    expect(text).toContain('They add 12.00 to the right logit; 0.00 comes around the MLP.');
    expect(text).toContain('attends 0.50 to the subject');
    expect(text).toContain("every relation's answer");
  });

  it('names the model’s answer when the right one is not on top', () => {
    const wrong = trace({ targetRank: 2, top: [{ attribute: 1, logit: 13, probability: 0.7 }, { attribute: 5, logit: 12, probability: 0.25 }] });
    expect(summarizeFactTrace(wrong, 7, null)).toContain('The model answers attribute 1 (logit 13.00); the right one ranks 2 with 12.00.');
  });

  it('formats probabilities as percentages', () => {
    expect(fmtPercent(0.9993)).toBe('100%');
    expect(fmtPercent(0.973)).toBe('97.3%');
    expect(fmtPercent(0.0004)).toBe('0.04%');
    expect(fmtPercent(NaN)).toBe('n/a');
  });
});
