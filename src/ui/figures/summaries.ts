/**
 * Text alternatives of the figures: one plain-language sentence or three that sum up what a figure
 * currently shows. Pure functions of the figure's data (no DOM), so they are unit-tested in Node and
 * used both as the screen-reader description and in tests.
 */
import type { GatingReport, KnockoutReport, ProbeReport, ProjectionSample, SuperpositionReport } from '../../core/measure/measure';
import type { ZeroShotSummary } from '../../experiments/transfer/job';
import { countWord, fmtChance, fmtInt, fmtLoss, fmtNum, fmtSig, joinAnd } from '../format';

/** "0.97, 0.95 and 1.00 for the three relations" / "0.97 for the one relation". */
function perRelation(values: ArrayLike<number>, relations: number): string {
  const parts: string[] = [];
  for (let r = 0; r < relations; r++) parts.push(fmtNum(values[r]));
  return `${joinAnd(parts)} for the ${countWord(relations)} relation${relations === 1 ? '' : 's'}`;
}

function mean(values: ArrayLike<number>, count = values.length): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i < count; i++) {
    if (Number.isFinite(values[i])) {
      s += values[i];
      k++;
    }
  }
  return k > 0 ? s / k : NaN;
}

// ---------------------------------------------------------------------------------------------

export interface TrainingSummaryInput {
  steps: ArrayLike<number>;
  loss: ArrayLike<number>;
  /** Per step, per relation. */
  accuracy: ArrayLike<ArrayLike<number>>;
  relations: number;
}

/** e.g. "Step 340: loss 0.0123 (5.55 at step 0); accuracy 0.97, 0.95, 1.00 and 0.98 for the four relations (mean 0.98)." */
export function summarizeTraining({ steps, loss, accuracy, relations }: TrainingSummaryInput): string {
  const n = steps.length;
  if (n === 0) return 'No training steps yet: the loss and accuracy curves are empty.';
  const i = n - 1;
  const acc = accuracy[i] ?? [];
  let text = `Step ${steps[i]}: loss ${fmtLoss(loss[i])}`;
  if (n > 1) text += ` (${fmtLoss(loss[0])} at step ${steps[0]})`;
  text += `; accuracy ${perRelation(acc, relations)}`;
  if (relations > 1) text += ` (mean ${fmtNum(mean(acc, relations))})`;
  text += '.';
  let allRight = -1;
  for (let t = 0; t < n; t++) {
    const a = accuracy[t];
    if (!a) continue;
    let ok = relations > 0;
    for (let r = 0; r < relations; r++) if (!(a[r] >= 1 - 1e-6)) ok = false;
    if (ok) {
      allRight = t;
      break;
    }
  }
  if (allRight >= 0) text += ` Every fact was first answered correctly at step ${steps[allRight]}.`;
  return text;
}

// ---------------------------------------------------------------------------------------------

export interface ProjectionSummaryInput {
  projection: ProjectionSample;
  probe: ProbeReport;
  superposition: SuperpositionReport;
  relations: number;
  step: number;
}

/** How many sampled rows put their highest score on the right attribute, and the mean scores. */
export function projectionRowStats(p: ProjectionSample): { rows: number; topRight: number; meanRight: number; meanOther: number } {
  const n = p.n;
  const k = Math.min(p.targets.length, n > 0 ? Math.floor(p.scores.length / n) : 0);
  let topRight = 0;
  let right = 0;
  let other = 0;
  let otherCount = 0;
  for (let i = 0; i < k; i++) {
    const t = p.targets[i];
    let best = -Infinity;
    let arg = -1;
    for (let a = 0; a < n; a++) {
      const v = p.scores[i * n + a];
      if (v > best) {
        best = v;
        arg = a;
      }
      if (a !== t && Number.isFinite(v)) {
        other += v;
        otherCount++;
      }
    }
    if (arg === t) topRight++;
    right += p.scores[i * n + t];
  }
  return { rows: k, topRight, meanRight: k > 0 ? right / k : NaN, meanOther: otherCount > 0 ? other / otherCount : NaN };
}

/**
 * e.g. "Step 340, relation 1: 30 of 32 sampled subjects score highest on their own attribute among all
 * 128 (mean cosine 0.82 with it, 0.01 with the others). Held-out probe accuracy 0.97, … for the four
 * relations (chance 0.008). Superposition R² 0.91 on held-out subjects (0.95 on the fitted ones)."
 */
export function summarizeProjection({ projection, probe, superposition, relations, step }: ProjectionSummaryInput): string {
  const s = projectionRowStats(projection);
  const n = projection.n;
  const parts: string[] = [];
  if (s.rows === 0) parts.push(`Step ${step}, relation ${projection.relation}: no subjects sampled yet.`);
  else
    parts.push(
      `Step ${step}, relation ${projection.relation}: ${s.topRight} of ${s.rows} sampled subjects score highest on their own attribute among all ${fmtInt(n)}` +
        ` (mean cosine ${fmtNum(s.meanRight)} with it, ${fmtNum(s.meanOther)} with the others).`,
    );
  parts.push(
    `Held-out probe accuracy ${perRelation(probe.heldOutAccuracy, relations)} (chance ${n > 0 ? fmtChance(1 / n) : 'n/a'}).`,
  );
  parts.push(ridgeNote(probe));
  parts.push(
    `Superposition R² ${fmtNum(superposition.heldOutR2)} on held-out subjects (${fmtNum(superposition.trainR2)} on the fitted ones); ` +
      `the shared-map baseline, a reference, scores ${fmtNum(superposition.baselineHeldOutR2)}.`,
  );
  const warning = interpolationNote(superposition);
  if (warning) parts.push(warning);
  return parts.join(' ');
}

/** e.g. "Probe ridges chosen by generalized cross-validation on the fitted subjects: 0.01 and 0.0056 × mean diag(EᵀE)." */
export function ridgeNote(probe: ProbeReport): string {
  const values = probe.lambda.map((x) => fmtSig(x, 2));
  if (values.length === 0) return 'Probe ridges chosen by generalized cross-validation on the fitted subjects.';
  const same = values.every((v) => v === values[0]);
  return `Probe ridge${values.length > 1 ? 's' : ''} chosen by generalized cross-validation on the fitted subjects: ${same && values.length > 1 ? `${values[0]} for every relation` : joinAnd(values)} × mean diag(EᵀE).`;
}

/**
 * The superposition fit's interpolation warning (docs/science.md §4), or null when the fit has few enough
 * features per fitted subject to be read.
 */
export function interpolationNote(superposition: SuperpositionReport): string | null {
  if (!superposition.interpolates) return null;
  const control = Number.isFinite(superposition.controlHeldOutR2) ? ` (a fit to unrelated bijections scores ${fmtNum(superposition.controlHeldOutR2)})` : '';
  return (
    `The fit has ${fmtNum(superposition.featuresPerSubject)} features (R·d) per fitted subject, enough to come close to interpolating them: ` +
    `a high held-out R² still counts, a low one may be the fit’s variance rather than missing structure${control}.`
  );
}

// ---------------------------------------------------------------------------------------------

export interface GatingSummaryInput {
  gating: GatingReport;
  knockout?: KnockoutReport;
  step: number;
}

/**
 * e.g. "Step 340: 256 hidden units over four relations; units preferring each relation: 60, 64, 62 and
 * 66; never active: 4. Mean selectivity 0.83 (1 = a unit fires for one relation only). Knockout: …"
 */
export function summarizeGating({ gating, knockout, step }: GatingSummaryInput): string {
  const R = gating.relations;
  const m = gating.units;
  const counts = new Array<number>(R + 1).fill(0);
  for (let j = 0; j < m; j++) {
    const pr = gating.preferred[j];
    counts[pr >= 0 && pr < R ? pr : R]++;
  }
  const parts: string[] = [];
  const prefer = joinAnd(counts.slice(0, R).map(fmtInt));
  parts.push(
    `Step ${step}: ${fmtInt(m)} hidden unit${m === 1 ? '' : 's'} over ${countWord(R)} relation${R === 1 ? '' : 's'}; ` +
      `units preferring ${R === 1 ? 'the relation' : 'each relation'}: ${prefer}; never active: ${fmtInt(counts[R])}.`,
  );
  parts.push(`Mean selectivity ${fmtNum(gating.meanSelectivity)} (1 = a unit fires for one relation only, 0 = equally for all).`);
  if (knockout && knockout.accuracy.length > 0) parts.push(summarizeKnockout(knockout));
  return parts.join(' ');
}

/**
 * e.g. "Knockout, zeroing only units with selectivity ≥ 0.50 (our threshold): 124 selective units (58
 * and 66 by relation); 132 shared units and no dead ones are never zeroed. With a relation's selective
 * units zeroed (baseline accuracy 1.00) that relation drops to 0.44 on average and the other relations
 * stay at 1.00. Per zeroed group: relation 0 (58 units): 0.50 on itself, 1.00 on the others; …"
 */
export function summarizeKnockout(knockout: KnockoutReport): string {
  const R = knockout.accuracy.length;
  const selective = knockout.unitsRemoved.reduce((a, b) => a + b, 0);
  const rows: string[] = [];
  for (let k = 0; k < R; k++) {
    const row = knockout.accuracy[k];
    rows.push(`relation ${k} (${fmtInt(knockout.unitsRemoved[k] ?? 0)} units): ${fmtNum(row[k])} on itself, ${fmtNum(mean(row.filter((_, r) => r !== k)))} on the others`);
  }
  const byRelation = R > 1 ? ` (${joinAnd(knockout.unitsRemoved.map(fmtInt))} by relation)` : '';
  const parts = [
    `Knockout, zeroing only units with selectivity ≥ ${fmtNum(knockout.threshold)} (our threshold): ${fmtInt(selective)} selective unit${selective === 1 ? '' : 's'}${byRelation}; ` +
      `${countOf(knockout.sharedUnits, 'shared unit')} and ${countOf(knockout.deadUnits, 'dead one', 'no dead ones')} are never zeroed.`,
    R > 1
      ? `With a relation’s selective units zeroed (baseline accuracy ${fmtNum(mean(knockout.baseline))}) that relation drops to ${fmtNum(knockout.diagonalMean)} on average` +
        ` and the other relations stay at ${fmtNum(knockout.offDiagonalMean)}.`
      : `With its selective units zeroed (baseline accuracy ${fmtNum(mean(knockout.baseline))}) the relation drops to ${fmtNum(knockout.diagonalMean)}.`,
    `Per zeroed group: ${rows.join('; ')}.`,
  ];
  return parts.join(' ');
}

/** "132 shared units", "one shared unit", "no shared units". */
function countOf(n: number, singular: string, none?: string): string {
  if (n === 0) return none ?? `no ${singular}s`;
  return `${n === 1 ? 'one' : fmtInt(n)} ${singular}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------

/** The validation bar of the superposition maps in the transfer chapter (our choice): mean accuracy on held-out subjects' old facts. */
export const TRANSFER_VALIDATION_BAR = 0.9;

/**
 * The maps' validation (docs/science.md §4), e.g. "Validation first: the maps were fitted on 205 subjects.
 * Rebuilt from them, the embeddings of the 51 held-out subjects answer 0.98 of their old facts (1.00
 * and 0.96 for the two relations); on the fitted subjects 1.00, which tests nothing. R² of the fit
 * 0.89 on the held-out subjects (0.94 on the fitted ones)."
 */
export function summarizeTransferValidation(zero: ZeroShotSummary): string {
  const R = zero.reconstructedAccuracyByRelation.length;
  const parts = [
    `Validation first: the maps were fitted on ${fmtInt(zero.fittedSubjects)} subjects.`,
    `Rebuilt from them, the embeddings of the ${fmtInt(zero.heldOutSubjects)} held-out subjects answer ${fmtNum(mean(zero.reconstructedAccuracyByRelation))} of their old facts` +
      (R > 1 ? ` (${perRelation(zero.reconstructedAccuracyByRelation, R)})` : '') +
      `; on the fitted subjects ${fmtNum(mean(zero.fittedReconstructedAccuracyByRelation))}, which tests nothing.`,
    `R² of the fit ${fmtNum(zero.fitHeldOutR2)} on the held-out subjects (${fmtNum(zero.fitTrainR2)} on the fitted ones).`,
  ];
  if (zero.interpolates) {
    parts.push(
      `The fit has ${fmtNum(zero.featuresPerSubject)} features (R·d) per fitted subject, enough to interpolate them: only the held-out numbers count.`,
    );
  }
  return parts.join(' ');
}

/** What the zero-shot numbers say, given the maps' validation; every clause from the numbers passed. */
export function transferVerdict(zero: ZeroShotSummary, chance: number): string {
  const v = mean(zero.reconstructedAccuracyByRelation);
  const z = mean(zero.accuracyByRelation);
  if (!(v >= TRANSFER_VALIDATION_BAR)) {
    return (
      `The maps fail their validation (${fmtNum(v)} on the held-out subjects’ old facts, below ${fmtNum(TRANSFER_VALIDATION_BAR)}): ` +
      'these embeddings are not the superpositions the fitted maps describe, so the zero-shot number does not test whether new facts come for free.'
    );
  }
  if (zero.accuracyByRelation.length > 0 && zero.accuracyByRelation.every((a) => a === 1)) {
    return 'The maps pass their validation and every new fact is right with no training: the MLP reads any superposition of attribute vectors, as the construction’s selector does.';
  }
  if (z >= 10 * chance) {
    return (
      `The maps pass their validation (${fmtNum(v)}), and new facts come out far above chance (${fmtNum(z / chance, 0)}×) but short of 100%: ` +
      'the rest of the network answers the attribute combinations it was trained on from the fitted maps, new combinations only in part.'
    );
  }
  return `The maps pass their validation (${fmtNum(v)}), yet new facts come out at about chance: the rest of the network does not read new combinations of attribute vectors.`;
}
