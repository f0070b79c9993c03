import { describe, expect, it } from 'vitest';
import { ASSOC_DEFAULTS } from './assoc';
import { assocProgressText, checkAssocJob, sweepFraction, type AssocJob, type AssocTrainJob } from './job';

const train = (over: Partial<AssocTrainJob> = {}): AssocJob => ({ kind: 'train', ...ASSOC_DEFAULTS.linear, steps: 5000, every: 10, ...over }) as AssocTrainJob;
const sweep = (over: Record<string, unknown> = {}): AssocJob => ({
  kind: 'sweep',
  settings: { task: { ...ASSOC_DEFAULTS.full.task, s: 8, r: 8 }, d: 16, headDim: 4, heads: [1, 4], widths: [4, 16], steps: 300, lr: 0.01, batch: 256, ...over },
});

describe('assoc jobs', () => {
  it('accepts the notebook’s run and a small sweep, and names what is out of range', () => {
    expect(checkAssocJob(train())).toBeNull();
    expect(checkAssocJob(sweep())).toBeNull();
    for (const bad of [null, {}, { steps: -1 }, { kind: 'other' }]) expect(checkAssocJob(bad as unknown as AssocJob)).toMatch(/^assoc: /);
    expect(checkAssocJob(train({ steps: 100_000 }))).toMatch(/step budget/);
    expect(checkAssocJob(train({ every: 0 }))).toMatch(/curve point/);
    expect(checkAssocJob(train({ lr: 0 }))).toMatch(/learning rate/);
    expect(checkAssocJob(train({ task: { ...ASSOC_DEFAULTS.linear.task, s: 1000 } }))).toMatch(/S \(subjects\)/);
    expect(checkAssocJob(train({ model: { kind: 'full', d: 32, heads: 99, headDim: 8, width: 8 } }))).toMatch(/heads/);
    expect(checkAssocJob(sweep({ heads: [1, 2, 3, 4, 5], widths: [1, 2, 3, 4] }))).toMatch(/at most 16 models/);
    expect(checkAssocJob(sweep({ widths: [] }))).toMatch(/at least one/);
    expect(checkAssocJob(sweep({ widths: [1000] }))).toMatch(/MLP widths/);
  });

  it('sweep progress is monotone and reaches 1', () => {
    const seq = [sweepFraction(0, 4, 0, 100), sweepFraction(0, 4, 50, 100), sweepFraction(1, 4, 0, 100), sweepFraction(3, 4, 100, 100), sweepFraction(4, 4, 0, 0)];
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[0]).toBe(0);
    expect(seq[seq.length - 1]).toBe(1);
    expect(sweepFraction(0, 0, 0, 0)).toBe(0);
  });

  it('says what the worker is doing', () => {
    expect(assocProgressText({ kind: 'train', fraction: 0.2, step: 1200, steps: 5000, curve: [{ step: 1200, loss: 2.09, relationLoss: 0.04, subjectLoss: 2.08, accuracy: 0.13 }] })).toBe(
      'step 1,200 of 5,000 · loss 2.09, relation-only 0.04, subject-only 2.08, accuracy 0.13',
    );
    expect(assocProgressText({ kind: 'sweep', fraction: 0.3, cells: [], cellsTotal: 4, current: { heads: 1, width: 16, step: 50, steps: 300, accuracy: 0.5 } })).toBe(
      '1 head, MLP width 16: step 50 of 300, accuracy 0.50 · 0 of 4 models done',
    );
  });
});
