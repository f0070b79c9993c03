/**
 * The capacity chapter's story: the numbers its sentences are made of, computed from the points at
 * render time (never written by hand), the sentences themselves, and the figure's text summary.
 */
import type { CapacityArm, CapacityPoint, LineFit } from './capacity';
import { fitLine } from '../../core/measure/lineFit';
import { fmtInt, fmtNum, joinAnd } from '../../ui/format';

export type CapacitySeries = CapacityArm | 'construction';
export const CAPACITY_SERIES: readonly CapacitySeries[] = ['learned', 'frozen', 'construction'];
export const SERIES_LABEL: Record<CapacitySeries, string> = {
  learned: 'learned embeddings',
  frozen: 'frozen random embeddings (associative control)',
  construction: 'the construction’s d*',
};

/** "N = 64, 128 and 256" or "N = 64 … 1,024" for longer lists. */
export function describeNs(ns: number[]): string {
  if (ns.length === 0) return 'no N';
  if (ns.length <= 3) return `N = ${joinAnd(ns.map(fmtInt))}`;
  return `N = ${fmtInt(ns[0])} … ${fmtInt(ns[ns.length - 1])}`;
}

/** d_min against log2 N per series, over the points that reached 100% (null under two points). */
export function capacityFits(points: CapacityPoint[]): Record<CapacitySeries, LineFit | null> {
  const out = {} as Record<CapacitySeries, LineFit | null>;
  for (const series of CAPACITY_SERIES) {
    const reached = points.filter((p) => p.arm === series && p.dMin !== null).sort((a, b) => a.n - b.n);
    out[series] = fitLine(
      reached.map((p) => p.log2n),
      reached.map((p) => p.dMin!),
    );
  }
  return out;
}

export interface SeriesStory {
  series: CapacitySeries;
  /** Points of this series, by N. */
  points: CapacityPoint[];
  /** Reached points, first and last by N. */
  first: CapacityPoint | null;
  last: CapacityPoint | null;
  /** N at which 100% was not reached up to dMax. */
  unreached: number[];
  fit: LineFit | null;
}

export interface CapacityStory {
  series: Record<CapacitySeries, SeriesStory>;
  /** frozen slope ÷ learned slope, when both are fitted and the learned one is positive. */
  slopeRatio: number | null;
  /** N at which both learned d_min and the construction's d* are known, and whether d_min < d* at all of them. */
  learnedBelowConstruction: { ns: number[]; all: boolean; none: boolean };
  /** Construction points whose accuracy is below 1 (it should be exact). */
  constructionInexact: number[];
}

export function capacityStory(points: CapacityPoint[]): CapacityStory {
  const fits = capacityFits(points);
  const series = {} as Record<CapacitySeries, SeriesStory>;
  for (const s of CAPACITY_SERIES) {
    const own = points.filter((p) => p.arm === s).sort((a, b) => a.n - b.n);
    const reached = own.filter((p) => p.dMin !== null);
    series[s] = {
      series: s,
      points: own,
      first: reached[0] ?? null,
      last: reached.length > 1 ? reached[reached.length - 1] : null,
      unreached: own.filter((p) => p.dMin === null).map((p) => p.n),
      fit: fits[s],
    };
  }
  const learned = fits.learned;
  const frozen = fits.frozen;
  const slopeRatio = learned && frozen && learned.slope > 0 ? frozen.slope / learned.slope : null;
  const both: number[] = [];
  let below = 0;
  for (const p of series.learned.points) {
    const c = series.construction.points.find((q) => q.n === p.n);
    if (p.dMin === null || !c || c.dMin === null) continue;
    both.push(p.n);
    if (p.dMin < c.dMin) below++;
  }
  return {
    series,
    slopeRatio,
    learnedBelowConstruction: { ns: both, all: both.length > 0 && below === both.length, none: below === 0 },
    constructionInexact: series.construction.points.filter((p) => p.accuracy !== undefined && p.accuracy < 1).map((p) => p.n),
  };
}

/** One sentence per series, e.g. "learned embeddings: d_min 6 at N = 64 … 14 at N = 1,024, slope 2.1 per doubling of N (R² 0.97)". */
export function seriesSentence(story: SeriesStory, dMax: number): string {
  const label = SERIES_LABEL[story.series];
  const { first, last, fit, unreached } = story;
  if (!first) {
    return unreached.length > 0 ? `${label}: 100% was not reached up to d = ${dMax} at ${describeNs(unreached)}.` : `${label}: no points yet.`;
  }
  const symbol = story.series === 'construction' ? 'd*' : 'd_min';
  let text = `${label}: ${symbol} = ${fmtInt(first.dMin!)} at N = ${fmtInt(first.n)}`;
  if (last) text += `, ${fmtInt(last.dMin!)} at N = ${fmtInt(last.n)}`;
  if (fit) text += `; fitted slope ${fmtNum(fit.slope, 1)} per doubling of N (R² ${fmtNum(fit.r2)}, ${fit.points} points)`;
  if (unreached.length > 0) text += `; not reached up to d = ${dMax} at ${describeNs(unreached)} (arrows, left out of the fit)`;
  return text + '.';
}

/** The sentences comparing the series, each only when the data bear it out. */
export function capacityComparison(story: CapacityStory): string[] {
  const out: string[] = [];
  const { learned, frozen } = story.series;
  if (story.slopeRatio !== null && learned.fit && frozen.fit) {
    const ratio = story.slopeRatio;
    if (ratio >= 1.2) out.push(`On this grid the frozen control's d_min climbs ${fmtNum(ratio, 1)}× as fast as with learned embeddings.`);
    else if (ratio <= 1 / 1.2) out.push(`On this grid the frozen control's d_min climbs more slowly than with learned embeddings (${fmtNum(ratio, 1)}× the slope): not the contrast the paper predicts.`);
    else out.push(`On this grid both arms climb at about the same rate (slopes ${fmtNum(frozen.fit.slope, 1)} and ${fmtNum(learned.fit.slope, 1)}).`);
  }
  if (frozen.unreached.length > 0 && learned.points.some((p) => p.dMin !== null && frozen.unreached.includes(p.n))) {
    const ns = frozen.unreached.filter((n) => learned.points.some((p) => p.n === n && p.dMin !== null));
    out.push(`At ${describeNs(ns)}, learned embeddings got every fact right while the frozen control did not within the search range.`);
  }
  const cmp = story.learnedBelowConstruction;
  if (cmp.ns.length > 0) {
    if (cmp.all) out.push(`At every N, gradient descent needed fewer dimensions than the construction (d_min below d*): the construction shows what suffices, not the least.`);
    else if (cmp.none) out.push(`At no N did gradient descent get by with fewer dimensions than the construction's d*.`);
    else out.push(`Learned d_min was below the construction's d* at some N and not at others.`);
  }
  if (story.constructionInexact.length > 0) out.push(`The construction was not exact at ${describeNs(story.constructionInexact)}: that is a bug.`);
  return out;
}

/** The figure's text alternative. */
export function summarizeCapacity(pre: { points: CapacityPoint[]; dMax: number } | null, live: { points: CapacityPoint[]; dMax: number } | null): string {
  const parts: string[] = [];
  for (const [name, set] of [
    ['Precomputed', pre],
    ['Live', live],
  ] as const) {
    if (!set || set.points.length === 0) continue;
    const story = capacityStory(set.points);
    parts.push(`${name}: ${CAPACITY_SERIES.map((s) => seriesSentence(story.series[s], set.dMax)).join(' ')}`);
  }
  return parts.length > 0 ? parts.join(' ') : 'No capacity points yet.';
}
