/**
 * The associative-memory chapter's story (docs/science.md §7, paper A): the three stages of sequential
 * learning found in a loss curve, the heads × width map's and the capacity sweep's findings, each as
 * numbers and as sentences computed from them (never written by hand). Pure: no DOM, no React, no tfjs.
 */
import type { AssocCapacityPoint, AssocCurvePoint, AssocFit, AssocSweepCell } from './assoc';
import { fmtInt, fmtLoss, fmtNum } from '../../ui/format';

/** How close (nats) the loss must be to log(D·R) or log D to count as sitting there. */
export const STAGE_TOLERANCE = 0.1;
/** The relation-only loss below which the model names an answer of the right relation. */
export const RELATION_KNOWN = 0.1;
/** The accuracy that counts as recall. */
export const RECALL_ACCURACY = 0.99;
/** A. et al.'s reference line: facts = 0.15 × parameters. */
export const REFERENCE_SLOPE = 0.15;

export type StageName = 'nothing' | 'plateau' | 'recall';
export const STAGE_LABEL: Record<StageName, string> = { nothing: 'knows nothing', plateau: 'hallucination plateau', recall: 'recall' };

/** A stage's first and last step in the curve; `open` while it lasts to the curve's last point. */
export interface StageRange {
  from: number;
  to: number;
  open: boolean;
}

export interface Stages {
  /** log(D·R) and log D, in nats. */
  logDR: number;
  logD: number;
  nothing: StageRange | null;
  plateau: StageRange | null;
  /** From the first step after the plateau (or after stage 1) with the loss below log D − tolerance, to the first step at 99%. */
  recall: StageRange | null;
  /** First step with accuracy ≥ 0.99 (null: not yet). */
  step99: number | null;
  /** The relation-only and subject-only losses on the plateau (means over its points). */
  plateauRelationLoss: number | null;
  plateauSubjectLoss: number | null;
  /** The loss came within the tolerance of log D at some point, with or without the relation known. */
  touchedLogD: boolean;
  first: AssocCurvePoint | null;
  last: AssocCurvePoint | null;
}

/** The longest run of consecutive points that pass `test`, as indices [i, j], or null. */
function longestRun(curve: AssocCurvePoint[], test: (p: AssocCurvePoint) => boolean, start = 0): [number, number] | null {
  let best: [number, number] | null = null;
  let i = -1;
  for (let k = start; k <= curve.length; k++) {
    const ok = k < curve.length && test(curve[k]);
    if (ok && i < 0) i = k;
    if (!ok && i >= 0) {
      if (!best || k - 1 - i > best[1] - best[0]) best = [i, k - 1];
      i = -1;
    }
  }
  return best;
}

const rangeOf = (curve: AssocCurvePoint[], [i, j]: [number, number]): StageRange => ({ from: curve[i].step, to: curve[j].step, open: j === curve.length - 1 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * The three stages of a run with D answers per relation and R relations, from its curve (sorted by step):
 * 1. knows nothing: from the first point, while the loss is within 0.1 of log(D·R);
 * 2. hallucination plateau: the longest run of points with the loss within 0.1 of log D and the
 *    relation-only loss below 0.1 (the right relation's answers, not the subject's);
 * 3. recall: from the first point after those with the loss below log D − 0.1, to the first with accuracy ≥ 0.99.
 */
export function detectStages(curve: AssocCurvePoint[], answers: number, relations: number): Stages {
  const logDR = Math.log(answers * relations);
  const logD = Math.log(answers);
  const tol = STAGE_TOLERANCE;
  const last = curve.length > 0 ? curve[curve.length - 1] : null;
  const nothingEnd = curve.findIndex((p) => !(Math.abs(p.loss - logDR) <= tol));
  const nothingIdx: [number, number] | null = curve.length === 0 || nothingEnd === 0 ? null : [0, nothingEnd < 0 ? curve.length - 1 : nothingEnd - 1];
  const plateauIdx = longestRun(curve, (p) => Math.abs(p.loss - logD) <= tol && p.relationLoss < RELATION_KNOWN);
  const after = plateauIdx ? plateauIdx[1] + 1 : nothingIdx ? nothingIdx[1] + 1 : 0;
  const fallIdx = curve.findIndex((p, k) => k >= after && p.loss < logD - tol);
  const idx99 = curve.findIndex((p) => p.accuracy >= RECALL_ACCURACY);
  const step99 = idx99 >= 0 ? curve[idx99].step : null;
  let recall: StageRange | null = null;
  if (fallIdx >= 0) {
    // 99% may come a little before the loss leaves log D (the logits tilt before the loss moves).
    const end = idx99 < 0 ? curve.length - 1 : Math.max(idx99, fallIdx);
    recall = { from: curve[fallIdx].step, to: curve[end].step, open: idx99 < 0 };
  }
  const plateauPoints = plateauIdx ? curve.slice(plateauIdx[0], plateauIdx[1] + 1) : [];
  return {
    logDR,
    logD,
    nothing: nothingIdx ? rangeOf(curve, nothingIdx) : null,
    plateau: plateauIdx ? rangeOf(curve, plateauIdx) : null,
    recall,
    step99,
    plateauRelationLoss: plateauIdx ? mean(plateauPoints.map((p) => p.relationLoss)) : null,
    plateauSubjectLoss: plateauIdx ? mean(plateauPoints.map((p) => p.subjectLoss)) : null,
    touchedLogD: curve.some((p) => Math.abs(p.loss - logD) <= tol),
    first: curve[0] ?? null,
    last,
  };
}

/** "log 8 = 2.08". */
export const logText = (x: number) => `log ${fmtInt(x)} = ${fmtNum(Math.log(x))}`;

/** The sentence naming a stage's steps: "From step 1,920 to 3,900" or "From step 1,920 (still, at step 2,500)". */
function fromTo(range: StageRange, last: AssocCurvePoint | null, running: boolean): string {
  if (range.open && running) return `From step ${fmtInt(range.from)} (and still at step ${fmtInt(last?.step ?? range.to)})`;
  return `From step ${fmtInt(range.from)} to ${fmtInt(range.to)}`;
}

/** The sentence of the plateau alone (the chapter shows it under the figure); `running`: the run is not over. */
export function plateauSentence(st: Stages, answers: number, running: boolean): string {
  const logD = logText(answers);
  if (st.plateau) {
    return (
      `${fromTo(st.plateau, st.last, running)} the loss sits at ${logD} while the relation-only loss is below ${fmtNum(RELATION_KNOWN, 1)} ` +
      `(${fmtLoss(st.plateauRelationLoss!)} on average) and the subject-only loss stays near ${fmtNum(st.plateauSubjectLoss!)}: ` +
      `the model names an answer of the right relation, but not the subject’s — it hallucinates (${fmtInt(st.plateau.to - st.plateau.from)} steps).`
    );
  }
  const last = st.last;
  if (!last) return 'No step yet.';
  if (st.touchedLogD) return `The loss came within ${fmtNum(STAGE_TOLERANCE, 1)} of ${logD}, but never while the relation-only loss was below ${fmtNum(RELATION_KNOWN, 1)}: no hallucination plateau in this run.`;
  if (last.loss > Math.log(answers)) return `No plateau ${running ? 'yet' : 'in this run'}: the loss has not come down to ${logD} (it is ${fmtLoss(last.loss)} at step ${fmtInt(last.step)}).`;
  return `No plateau: the loss passed ${logD} between two recorded points without stopping there.`;
}

/** One sentence per stage, in order; where a stage was not seen, what was seen instead. */
export function stageSentences(st: Stages, answers: number, relations: number, running: boolean): string[] {
  const out: string[] = [];
  const last = st.last;
  if (!last) return ['No step yet.'];
  const logDR = logText(answers * relations);
  if (st.nothing) {
    out.push(`${fromTo(st.nothing, last, running)} the loss sits at ${logDR}: every one of the ${fmtInt(answers * relations)} answers is about equally likely — the model knows nothing yet.`);
  } else {
    out.push(`The loss did not start at ${logDR} (it was ${fmtLoss(st.first?.loss ?? NaN)} at step ${fmtInt(st.first?.step ?? 0)}): no “knows nothing” stage.`);
  }
  out.push(plateauSentence(st, answers, running));
  if (st.recall) {
    const start = `From step ${fmtInt(st.recall.from)} the loss falls below ${logText(answers)}`;
    out.push(
      st.step99 !== null
        ? `${start}; accuracy ${st.step99 <= st.recall.from ? 'reached' : 'reaches'} ${fmtNum(RECALL_ACCURACY * 100, 0)}% at step ${fmtInt(st.step99)}: the model recalls the facts.`
        : `${start}; accuracy is ${fmtNum(last.accuracy)} at step ${fmtInt(last.step)}, not yet ${fmtNum(RECALL_ACCURACY * 100, 0)}%.`,
    );
  } else {
    out.push(`No recall ${running ? 'yet' : 'in this run'}: the loss is ${fmtLoss(last.loss)} and accuracy ${fmtNum(last.accuracy)} at step ${fmtInt(last.step)}.`);
  }
  return out;
}

/** The loss figure's text summary. */
export function summarizeAssocCurve(curve: AssocCurvePoint[], answers: number, relations: number, running: boolean): string {
  if (curve.length === 0) return 'No training steps yet.';
  const st = detectStages(curve, answers, relations);
  return `Loss, relation-only loss and subject-only loss over ${fmtInt(curve[curve.length - 1].step)} steps, with dashed lines at ${logText(answers * relations)} and ${logText(answers)}. ${stageSentences(st, answers, relations, running).join(' ')}`;
}

// ---------------------------------------------------------------------------------------------
// The heads × width map.

export type SweepCell = AssocSweepCell;

/** Whether a cell stores every fact (accuracy ≥ 0.99). */
export const reached = (c: SweepCell) => c.accuracy >= RECALL_ACCURACY;

/** For each number of heads, the narrowest MLP that reaches 99% (the frontier), by heads. */
export function sweepFrontier(cells: SweepCell[]): SweepCell[] {
  const heads = [...new Set(cells.map((c) => c.heads))].sort((a, b) => a - b);
  const out: SweepCell[] = [];
  for (const h of heads) {
    const ok = cells.filter((c) => c.heads === h && reached(c)).sort((a, b) => a.width - b.width);
    if (ok.length > 0) out.push(ok[0]);
  }
  return out;
}

const total = (c: SweepCell) => c.attentionParams + c.mlpParams;
const cellText = (c: SweepCell) => `${fmtInt(c.heads)} head${c.heads === 1 ? '' : 's'} and MLP width ${fmtInt(c.width)}`;

/** The map's sentences: how many models reach 99%, the smallest one, and the trade-off along the frontier. */
export function sweepSentences(cells: SweepCell[], facts: number | null): string[] {
  if (cells.length === 0) return ['No model measured yet.'];
  const ok = cells.filter(reached);
  const out = [`${fmtInt(ok.length)} of ${fmtInt(cells.length)} models reach ${fmtNum(RECALL_ACCURACY * 100, 0)}% accuracy${facts ? ` on the ${fmtInt(facts)} facts` : ''}.`];
  if (ok.length === 0) {
    const best = [...cells].sort((a, b) => b.accuracy - a.accuracy)[0];
    out.push(`The best, ${cellText(best)}, reaches ${fmtNum(best.accuracy)}.`);
    return out;
  }
  const smallest = [...ok].sort((a, b) => total(a) - total(b))[0];
  out.push(
    `The smallest that does has ${cellText(smallest)}: ${fmtInt(smallest.attentionParams)} attention and ${fmtInt(smallest.mlpParams)} MLP parameters, ${fmtInt(total(smallest))} in all` +
      (facts ? ` (${fmtNum(facts / total(smallest))} facts per parameter).` : '.'),
  );
  const frontier = sweepFrontier(cells);
  if (frontier.length >= 2) {
    const lo = Math.min(...frontier.map(total));
    const hi = Math.max(...frontier.map(total));
    const few = frontier[0];
    const many = frontier[frontier.length - 1];
    const trade = few.width > many.width ? ' More heads let a narrower MLP do: attention and MLP parameters both store facts.' : '';
    out.push(`With ${fmtInt(few.heads)} head${few.heads === 1 ? '' : 's'} the MLP needs width ${fmtInt(few.width)}; with ${fmtInt(many.heads)}, width ${fmtInt(many.width)}. Along that frontier the models have ${fmtInt(lo)} to ${fmtInt(hi)} parameters.${trade}`);
  }
  return out;
}

export function summarizeSweep(cells: SweepCell[], facts: number | null): string {
  const heads = [...new Set(cells.map((c) => c.heads))];
  const widths = [...new Set(cells.map((c) => c.width))];
  return `Heat map of accuracy for ${fmtInt(heads.length)} head counts × ${fmtInt(widths.length)} MLP widths, attention parameters d·dh·H across, MLP parameters d·m up. ${sweepSentences(cells, facts).join(' ')}`;
}

// ---------------------------------------------------------------------------------------------
// Facts against parameters.

export type CapacityPoint = Pick<AssocCapacityPoint, 'parameters' | 'facts'>;

/** How the fit is said: facts = slope × parameters through the origin (assoc.ts). */
export const FIT_WORDS = 'facts per parameter (least squares through the origin)';

/** Facts per parameter of each point: the median, lowest and highest. */
export function factsPerParameter(points: CapacityPoint[]): { median: number; lo: number; hi: number } | null {
  const ratios = points.filter((p) => p.parameters > 0 && p.facts > 0).map((p) => p.facts / p.parameters).sort((a, b) => a - b);
  if (ratios.length === 0) return null;
  const mid = ratios.length >> 1;
  return { median: ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2, lo: ratios[0], hi: ratios[ratios.length - 1] };
}

/** The capacity sentences: range of models, facts per parameter against A's 0.15, the fitted slope. */
export function capacitySentences(points: CapacityPoint[], fit: AssocFit | null): string[] {
  const ok = points.filter((p) => p.facts > 0);
  if (ok.length === 0) return ['No model stored its facts yet.'];
  const ps = ok.map((p) => p.parameters);
  const fs = ok.map((p) => p.facts);
  const out = [
    `${fmtInt(ok.length)} models from ${fmtInt(Math.min(...ps))} to ${fmtInt(Math.max(...ps))} parameters store from ${fmtInt(Math.min(...fs))} to ${fmtInt(Math.max(...fs))} facts at ≥ ${fmtNum(RECALL_ACCURACY * 100, 0)}% accuracy.`,
  ];
  const fpp = factsPerParameter(ok);
  if (fpp) {
    const cmp = fpp.median >= REFERENCE_SLOPE * 1.25 ? 'more than' : fpp.median <= REFERENCE_SLOPE / 1.25 ? 'fewer than' : 'about';
    out.push(`Facts per parameter: median ${fmtNum(fpp.median)} (from ${fmtNum(fpp.lo)} to ${fmtNum(fpp.hi)}), ${cmp} A’s reference ${fmtNum(REFERENCE_SLOPE)}.`);
  }
  if (fit) out.push(`Our fitted slope: ${fmtNum(fit.slope)} ${FIT_WORDS} (R² ${fmtNum(fit.r2)}), beside A’s ${fmtNum(REFERENCE_SLOPE)} facts per parameter.`);
  return out;
}

export function summarizeCapacityPoints(points: CapacityPoint[], fit: AssocFit | null): string {
  return `Log–log plot of facts stored against parameters, with A’s reference line facts = ${fmtNum(REFERENCE_SLOPE)} × parameters${fit ? ' and our fitted line' : ''}. ${capacitySentences(points, fit).join(' ')}`;
}
