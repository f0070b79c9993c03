/**
 * The figures' text alternatives and data reshaping, on small hand-made data (Node, no DOM).
 */
import { describe, expect, it } from 'vitest';
import type { GatingReport, KnockoutReport, ProjectionSample } from '../../core/measure/measure';
import { downsampleIndices, gatingView, projectionView, unitGroups, unitsPerRelation } from './views';
import type { ZeroShotSummary } from '../../experiments/transfer/job';
import { projectionRowStats, interpolationNote, ridgeNote, summarizeGating, summarizeKnockout, summarizeProjection, summarizeTraining, summarizeTransferValidation, transferVerdict } from './summaries';
import { countWord, fmtLoss, fmtNum } from '../format';

/** 3 subjects × 4 attributes; targets 2, 0, 3. Row 2 puts its highest score on the wrong attribute (1). */
function projection(): ProjectionSample {
  // prettier-ignore
  const scores = Float32Array.from([
    0.1, -0.2, 0.9, 0.0,
    0.8, 0.1, -0.1, 0.2,
    0.0, 0.7, 0.1, 0.5,
  ]);
  return { relation: 1, subjects: Int32Array.from([5, 9, 2]), targets: Int32Array.from([2, 0, 3]), scores, n: 4 };
}

/** 5 units, 2 relations: units 0 and 3 prefer relation 0, units 1 and 4 relation 1, unit 2 never fires. */
function gating(): GatingReport {
  // prettier-ignore
  const active = Float32Array.from([
    0.9, 0.1,
    0.0, 0.8,
    0.0, 0.0,
    0.6, 0.0,
    0.2, 0.4,
  ]);
  return {
    units: 5,
    relations: 2,
    active,
    preferred: Int32Array.from([0, 1, -1, 0, 1]),
    selectivity: Float32Array.from([0.8889, 1, 0, 1, 0.5]),
    order: Int32Array.from([3, 0, 1, 4, 2]),
    meanSelectivity: 0.8472,
  };
}

describe('formatting helpers', () => {
  it('formats numbers for reading aloud', () => {
    expect(fmtNum(0.96875)).toBe('0.97');
    expect(fmtNum(-0.001)).toBe('0.00');
    expect(fmtNum(NaN)).toBe('n/a');
    expect(fmtLoss(5.5452)).toBe('5.55');
    expect(fmtLoss(0.012345)).toBe('0.0123');
    expect(fmtLoss(0.0000123)).toBe('1.23e-5');
    expect(countWord(4)).toBe('four');
    expect(countWord(40)).toBe('40');
  });
});

describe('summarizeTraining', () => {
  it('says when there is nothing yet', () => {
    expect(summarizeTraining({ steps: [], loss: [], accuracy: [], relations: 4 })).toMatch(/No training steps yet/);
  });

  it('reports the latest loss and accuracy per relation, and when every fact was first right', () => {
    const text = summarizeTraining({
      steps: [0, 10, 20, 30],
      loss: [5.5452, 1.2, 0.05, 0.0123],
      accuracy: [
        [0, 0.01],
        [0.5, 0.25],
        [1, 1],
        [1, 0.96875],
      ],
      relations: 2,
    });
    expect(text).toBe(
      'Step 30: loss 0.0123 (5.55 at step 0); accuracy 1.00 and 0.97 for the two relations (mean 0.98). ' +
        'Every fact was first answered correctly at step 20.',
    );
  });

  it('handles a single relation', () => {
    const text = summarizeTraining({ steps: [7], loss: [2], accuracy: [[0.25]], relations: 1 });
    expect(text).toBe('Step 7: loss 2; accuracy 0.25 for the one relation.');
  });
});

describe('summarizeProjection', () => {
  it('counts the rows whose right attribute scores highest and quotes probe accuracy and R²', () => {
    const p = projection();
    expect(projectionRowStats(p)).toMatchObject({ rows: 3, topRight: 2 });
    const text = summarizeProjection({
      projection: p,
      probe: { heldOutAccuracy: [0.97, 0.95, 1, 0.98], trainAccuracy: [1, 1, 1, 1], lambda: [1e-3, 1e-3, 1e-3, 1e-3] },
      superposition: { heldOutR2: 0.912, trainR2: 0.95, baselineHeldOutR2: 0.8, featuresPerSubject: 0.31, interpolates: false, controlHeldOutR2: -0.01 },
      relations: 4,
      step: 340,
    });
    expect(text).toContain('Step 340, relation 1: 2 of 3 sampled subjects score highest on their own attribute among all 4');
    expect(text).toContain('mean cosine 0.73 with it');
    expect(text).toContain('Held-out probe accuracy 0.97, 0.95, 1.00 and 0.98 for the four relations (chance 0.25)');
    expect(text).toContain('Probe ridges chosen by generalized cross-validation on the fitted subjects: 0.001 for every relation × mean diag(EᵀE).');
    expect(text).toContain('Superposition R² 0.91 on held-out subjects (0.95 on the fitted ones); the shared-map baseline, a reference, scores 0.80.');
    expect(text).not.toContain('interpolat');
  });

  it('warns when the superposition fit has nearly as many features as fitted subjects, quoting the control', () => {
    const sup = { heldOutR2: 0.93, trainR2: 0.98, baselineHeldOutR2: 0.79, featuresPerSubject: 1.2488, interpolates: true, controlHeldOutR2: -0.0652 };
    expect(interpolationNote(sup)).toBe(
      'The fit has 1.25 features (R·d) per fitted subject, enough to come close to interpolating them: a high held-out R² still counts, ' +
        'a low one may be the fit’s variance rather than missing structure (a fit to unrelated bijections scores -0.07).',
    );
    expect(interpolationNote({ ...sup, controlHeldOutR2: NaN })).toMatch(/missing structure\.$/);
    expect(interpolationNote({ ...sup, interpolates: false })).toBeNull();
    expect(ridgeNote({ heldOutAccuracy: [1, 1], trainAccuracy: [1, 1], lambda: [0.01, 0.005623] })).toBe(
      'Probe ridges chosen by generalized cross-validation on the fitted subjects: 0.01 and 0.0056 × mean diag(EᵀE).',
    );
    const text = summarizeProjection({ projection: projection(), probe: { heldOutAccuracy: [1], trainAccuracy: [1], lambda: [0.01] }, superposition: sup, relations: 1, step: 3 });
    expect(text).toContain('Probe ridge chosen by generalized cross-validation on the fitted subjects: 0.01 × mean diag(EᵀE).');
    expect(text).toContain('The fit has 1.25 features (R·d) per fitted subject');
  });

  it('writes small chance levels readably', () => {
    const p: ProjectionSample = { relation: 0, subjects: new Int32Array(0), targets: new Int32Array(0), scores: new Float32Array(0), n: 16384 };
    const text = summarizeProjection({
      projection: p,
      probe: { heldOutAccuracy: [0.5], trainAccuracy: [0.6], lambda: [1] },
      superposition: { heldOutR2: NaN, trainR2: 0.2, baselineHeldOutR2: NaN, featuresPerSubject: 2, interpolates: true, controlHeldOutR2: NaN },
      relations: 1,
      step: 0,
    });
    expect(text).toContain('no subjects sampled yet');
    expect(text).toContain('chance 0.00006');
    expect(text).toContain('R² n/a');
  });
});

describe('summarizeGating', () => {
  it('counts units per preferred relation and quotes mean selectivity', () => {
    const text = summarizeGating({ gating: gating(), step: 12 });
    expect(text).toBe(
      'Step 12: 5 hidden units over two relations; units preferring each relation: 2 and 2; never active: 1. ' +
        'Mean selectivity 0.85 (1 = a unit fires for one relation only, 0 = equally for all).',
    );
  });

  it('sums up a knockout matrix', () => {
    const knockout: KnockoutReport = {
      accuracy: [
        [0.1, 0.9],
        [1, 0.2],
      ],
      unitsRemoved: [2, 2],
      baseline: [1, 1],
      threshold: 0.5, sharedUnits: 0, deadUnits: 1, // zeroed at selectivity ≥ 0.5; no shared unit, one dead one
      diagonalMean: 0.15,
      offDiagonalMean: 0.95,
    };
    const text = summarizeGating({ gating: gating(), knockout, step: 12 });
    expect(text).toContain(
      'Knockout, zeroing only units with selectivity ≥ 0.50 (our threshold): 4 selective units (2 and 2 by relation); no shared units and one dead one are never zeroed.',
    );
    expect(text).toContain('With a relation’s selective units zeroed (baseline accuracy 1.00) that relation drops to 0.15 on average and the other relations stay at 0.95.');
    expect(text).toContain('relation 0 (2 units): 0.10 on itself, 0.90 on the others; relation 1 (2 units): 0.20 on itself, 1.00 on the others');
    const shared = summarizeKnockout({ ...knockout, unitsRemoved: [1, 0], sharedUnits: 3, deadUnits: 0 });
    expect(shared).toContain('1 selective unit (1 and 0 by relation); 3 shared units and no dead ones are never zeroed.');
  });
});

describe('transfer: the maps validated on held-out subjects, then the verdict', () => {
  const zero = (over: Partial<ZeroShotSummary> = {}): ZeroShotSummary => ({
    accuracyByRelation: [0.4, 0.5],
    unchangedAccuracyByRelation: [0, 0.01],
    reconstructedAccuracyByRelation: [1, 0.96],
    fittedReconstructedAccuracyByRelation: [1, 1],
    heldOutSubjects: 51,
    fittedSubjects: 205,
    fitHeldOutR2: 0.89,
    fitTrainR2: 0.94,
    featuresPerSubject: 0.31,
    interpolates: false,
    newFactsSeed: 9,
    ...over,
  });

  it('states the validation with the counts of fitted and held-out subjects', () => {
    expect(summarizeTransferValidation(zero())).toBe(
      'Validation first: the maps were fitted on 205 subjects. Rebuilt from them, the embeddings of the 51 held-out subjects answer 0.98 of their old facts ' +
        '(1.00 and 0.96 for the two relations); on the fitted subjects 1.00, which tests nothing. R² of the fit 0.89 on the held-out subjects (0.94 on the fitted ones).',
    );
    expect(summarizeTransferValidation(zero({ interpolates: true, featuresPerSubject: 1.25 }))).toContain(
      'The fit has 1.25 features (R·d) per fitted subject, enough to interpolate them: only the held-out numbers count.',
    );
  });

  it('the verdict follows the validation first, then the zero-shot accuracy against chance', () => {
    const chance = 1 / 256;
    expect(transferVerdict(zero(), chance)).toMatch(/^The maps pass their validation \(0\.98\), and new facts come out far above chance \(115×\)/);
    expect(transferVerdict(zero({ reconstructedAccuracyByRelation: [0.6, 0.5] }), chance)).toMatch(/^The maps fail their validation \(0\.55 on the held-out subjects’ old facts, below 0\.90\)/);
    expect(transferVerdict(zero({ accuracyByRelation: [1, 1] }), chance)).toMatch(/every new fact is right with no training/);
    expect(transferVerdict(zero({ accuracyByRelation: [0.01, 0.02] }), chance)).toMatch(/new facts come out at about chance/);
    expect(transferVerdict(zero({ reconstructedAccuracyByRelation: [NaN, NaN] }), chance)).toMatch(/fail their validation \(n\/a/);
  });
});

describe('figure data reshaping', () => {
  it('downsamples long series to at most max points, keeping both ends', () => {
    expect(downsampleIndices(0, 10)).toEqual([]);
    expect(downsampleIndices(4, 10)).toEqual([0, 1, 2, 3]);
    const idx = downsampleIndices(10_000, 600);
    expect(idx.length).toBeLessThanOrEqual(600);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(9_999);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it('reorders projection columns so the right attributes lie on the diagonal', () => {
    const v = projectionView(projection(), false, 100);
    expect([v.rows, v.cols, v.binSize]).toEqual([3, 3, 1]);
    expect(Array.from(v.colAttribute)).toEqual([2, 0, 3]);
    expect([v.values[0], v.values[4], v.values[8]].map((x) => Number(x.toFixed(2)))).toEqual([0.9, 0.8, 0.5]);
  });

  it('bins all attributes to fit the width, keeping the most extreme value', () => {
    const v = projectionView(projection(), true, 2);
    expect([v.rows, v.cols, v.binSize]).toEqual([3, 2, 2]);
    expect(Array.from(v.values).map((x) => Number(x.toFixed(2)))).toEqual([-0.2, 0.9, 0.8, 0.2, 0.7, 0.5]);
    expect(Array.from(v.targetCol)).toEqual([1, 0, 1]);
  });

  it('orders and groups gating units, and bins rows when there are more units than pixels', () => {
    const g = gating();
    expect(unitGroups(g)).toEqual([
      { relation: 0, start: 0, end: 2 },
      { relation: 1, start: 2, end: 4 },
      { relation: -1, start: 4, end: 5 },
    ]);
    expect(unitsPerRelation(g)).toEqual([2, 2, 1]);
    const full = gatingView(g, 100);
    expect([full.rows, full.binSize]).toEqual([5, 1]);
    expect(Array.from(full.active.slice(0, 2)).map((x) => Number(x.toFixed(2)))).toEqual([0.6, 0]);
    const binned = gatingView(g, 3);
    expect([binned.rows, binned.binSize]).toEqual([3, 2]);
    expect(Array.from(binned.active.slice(0, 2)).map((x) => Number(x.toFixed(2)))).toEqual([0.75, 0.05]);
    expect(Array.from(binned.preferred)).toEqual([0, 1, -1]);
  });
});
