/**
 * The chapters' data, as pure functions (unit-tested in Node): reading the precomputed files the CLI
 * writes, line fits, the numbers the chapters' sentences are made of (computed from the data at render
 * time, never written by hand), the figures' text summaries and the progress line.
 */
import type { CapacityArm, CapacityPoint, CapacitySettings, LineFit } from '../../experiments/capacity/capacity';
import { fitLine } from '../../core/measure/lineFit';
import type { OptimizerName } from '../../core/training/optimizerSettings';
import type { JobProgress, MultihopPoint } from '../../worker/experimentProtocol';
import { countWord, fmtInt, fmtNum, joinAnd } from '../format';

export type CapacitySeries = CapacityArm | 'construction';
export const CAPACITY_SERIES: readonly CapacitySeries[] = ['learned', 'frozen', 'construction'];
export const SERIES_LABEL: Record<CapacitySeries, string> = {
  learned: 'learned embeddings',
  frozen: 'frozen random embeddings (associative control)',
  construction: 'the construction’s d*',
};

// ---------------------------------------------------------------------------------------------
// Formatting.

/** "N = 64, 128 and 256" or "N = 64 … 1,024" for longer lists. */
export function describeNs(ns: number[]): string {
  if (ns.length === 0) return 'no N';
  if (ns.length <= 3) return `N = ${joinAnd(ns.map(fmtInt))}`;
  return `N = ${fmtInt(ns[0])} … ${fmtInt(ns[ns.length - 1])}`;
}

// ---------------------------------------------------------------------------------------------
// Precomputed files.

export interface CapacityFile {
  backend: string;
  settings: CapacitySettings;
  points: CapacityPoint[];
  /** False for a sweep written before its end (`complete: false`, or a cancelled report): some points are missing. */
  complete: boolean;
  seconds?: number;
}

export interface MultihopFileConfig {
  n: number;
  r: number;
  m: number;
  heads: number;
  hops: number;
  steps: number;
  seed: number;
  lr: number;
  sample: number | null;
  d: number[];
}

export interface MultihopFile {
  backend: string;
  config: MultihopFileConfig;
  points: MultihopPoint[];
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; message: string };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function parseCapacityFile(json: unknown): Parsed<CapacityFile> {
  const bad = (why: string): Parsed<CapacityFile> => ({ ok: false, message: `the precomputed capacity file is not usable: ${why}` });
  if (!isObj(json) || json.format !== 'factual-recall-capacity') return bad('its format is not factual-recall-capacity');
  if (json.version !== 1) return bad(`version ${String(json.version)} is not 1`);
  const s = json.settings;
  if (!isObj(s) || !Array.isArray(s.ns) || !s.ns.every(isNum) || !isNum(s.r) || !isNum(s.m) || !isNum(s.steps) || !isNum(s.seed) || !isNum(s.dMax)) {
    return bad('settings are missing or malformed');
  }
  if (!Array.isArray(json.points)) return bad('it has no points');
  const points: CapacityPoint[] = [];
  for (const p of json.points) {
    if (!isObj(p) || !CAPACITY_SERIES.includes(p.arm as CapacitySeries) || !isNum(p.n) || !(p.dMin === null || isNum(p.dMin))) return bad('a point is malformed');
    points.push({
      arm: p.arm as CapacitySeries,
      n: p.n,
      log2n: isNum(p.log2n) ? p.log2n : Math.log2(p.n),
      dMin: p.dMin as number | null,
      ...(isNum(p.accuracy) ? { accuracy: p.accuracy } : {}),
    });
  }
  return {
    ok: true,
    data: {
      backend: typeof json.backend === 'string' ? json.backend : 'unknown backend',
      settings: s as unknown as CapacitySettings,
      points,
      complete: json.complete !== false && json.cancelled !== true,
      ...(isNum(json.seconds) ? { seconds: json.seconds } : {}),
    },
  };
}

/**
 * One precomputed sweep from several files of the same grid (the CLI runs each arm as its own
 * process, e.g. `--arms learned` and `--arms frozen`, to use both cores): the union of their
 * points, each construction point once.
 */
export function mergeCapacityFiles(files: Parsed<CapacityFile>[]): Parsed<CapacityFile> {
  const bad = files.find((f) => !f.ok);
  if (bad) return bad;
  const data = files.map((f) => (f as { ok: true; data: CapacityFile }).data);
  if (data.length === 0) return { ok: false, message: 'the precomputed capacity file is not usable: there is none' };
  const [first, ...rest] = data;
  for (const other of rest) {
    const same = (['r', 'm', 'steps', 'seed', 'dMax', 'lr'] as const).every((k) => other.settings[k] === first.settings[k]) && other.settings.ns.join() === first.settings.ns.join();
    if (!same) return { ok: false, message: 'the precomputed capacity files are not usable together: their grids or settings differ' };
  }
  const seen = new Set<string>();
  const points: CapacityPoint[] = [];
  for (const p of data.flatMap((f) => f.points)) {
    const key = `${p.arm}:${p.n}`;
    if (seen.has(key)) continue;
    seen.add(key);
    points.push(p);
  }
  const backends = [...new Set(data.map((f) => f.backend))];
  const seconds = data.every((f) => f.seconds !== undefined) ? data.reduce((a, f) => a + f.seconds!, 0) : undefined;
  return {
    ok: true,
    data: {
      backend: backends.join(' + '),
      settings: { ...first.settings, arms: [...new Set(data.flatMap((f) => f.settings.arms ?? []))] },
      points,
      complete: data.every((f) => f.complete),
      ...(seconds !== undefined ? { seconds } : {}),
    },
  };
}

function isMultihopPoint(p: unknown): p is MultihopPoint {
  if (!isObj(p)) return false;
  const training = (t: unknown) => isObj(t) && isNum(t.steps) && isNum(t.peakAccuracy) && isNum(t.peakStep) && (t.stepsTo100 === null || isNum(t.stepsTo100));
  return (
    isNum(p.d) &&
    isNum(p.chance) &&
    isNum(p.singleHopAccuracy) &&
    isNum(p.cotAccuracy) &&
    isNum(p.directAccuracy) &&
    isNum(p.directSingleHopAccuracy) &&
    isNum(p.chainQueries) &&
    training(p.singleHopTraining) &&
    training(p.directTraining)
  );
}

export function parseMultihopFile(json: unknown): Parsed<MultihopFile> {
  const bad = (why: string): Parsed<MultihopFile> => ({ ok: false, message: `the precomputed multi-hop file is not usable: ${why}` });
  if (!isObj(json) || json.format !== 'factual-recall-multihop') return bad('its format is not factual-recall-multihop');
  if (json.version !== 1) return bad(`version ${String(json.version)} is not 1`);
  const c = json.config;
  if (!isObj(c) || !isNum(c.n) || !isNum(c.r) || !isNum(c.m) || !isNum(c.steps) || !isNum(c.seed)) return bad('its config is missing or malformed');
  // Several d: one entry per d under `points`; one d: the point's fields at the top level.
  const raw = Array.isArray(json.points) ? json.points : isNum(c.d) ? [{ ...json, d: c.d }] : [];
  if (raw.length === 0) return bad('it has no points');
  if (!raw.every(isMultihopPoint)) return bad('a point is malformed');
  const points = (raw as MultihopPoint[]).slice().sort((a, b) => a.d - b.d);
  const config: MultihopFileConfig = {
    n: c.n,
    r: c.r,
    m: c.m,
    heads: isNum(c.heads) ? c.heads : 1,
    hops: isNum(c.hops) ? c.hops : 2,
    steps: c.steps,
    seed: c.seed,
    lr: isNum(c.lr) ? c.lr : 0.01,
    sample: isNum(c.sample) ? c.sample : null,
    d: points.map((p) => p.d),
  };
  return { ok: true, data: { backend: typeof json.backend === 'string' ? json.backend : 'unknown backend', config, points } };
}

// ---------------------------------------------------------------------------------------------
// Capacity.

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

// ---------------------------------------------------------------------------------------------
// Multi-hop.

export interface MultihopStory {
  /** d values tried, ascending. */
  ds: number[];
  /** d at which single hop was 100%. */
  singlePerfect: number[];
  /** Among those, d at which chain of thought was below 100% (should be none). */
  cotImperfectWhereSingle: number[];
  /** Smallest d with single hop at 100%, and whether every larger d tried was too. */
  singleFrom: number | null;
  /** Smallest d at which the direct model answered every 2-hop query. */
  directFrom: number | null;
  /** Best final direct accuracy on the chains and its d. */
  bestDirect: { d: number; accuracy: number } | null;
  /** The point whose direct training lost the most between its peak and its end (training accuracy over all its queries). */
  largestDrop: { d: number; peak: number; peakStep: number; final: number; steps: number } | null;
  /** The point with single hop below 100% at the smallest d: CoT follows it there. */
  belowSingle: { d: number; single: number; cot: number } | null;
}

/**
 * The direct model's final training accuracy over all its queries (chains and single hops), the
 * same quantity as its peak training accuracy.
 */
export function directFinalTrainingAccuracy(p: MultihopPoint, n: number, r: number): number {
  const singles = n * r;
  return (p.directAccuracy * p.chainQueries + p.directSingleHopAccuracy * singles) / (p.chainQueries + singles);
}

export function multihopStory(points: MultihopPoint[], n: number, r: number): MultihopStory {
  const sorted = points.slice().sort((a, b) => a.d - b.d);
  const singlePerfect = sorted.filter((p) => p.singleHopAccuracy === 1).map((p) => p.d);
  const cotImperfectWhereSingle = sorted.filter((p) => p.singleHopAccuracy === 1 && p.cotAccuracy < 1).map((p) => p.d);
  const firstPerfect = sorted.findIndex((p) => p.singleHopAccuracy === 1);
  const singleFrom = firstPerfect >= 0 && sorted.slice(firstPerfect).every((p) => p.singleHopAccuracy === 1) ? sorted[firstPerfect].d : null;
  const direct = sorted.find((p) => p.directAccuracy === 1);
  let bestDirect: MultihopStory['bestDirect'] = null;
  let largestDrop: MultihopStory['largestDrop'] = null;
  for (const p of sorted) {
    if (!bestDirect || p.directAccuracy > bestDirect.accuracy) bestDirect = { d: p.d, accuracy: p.directAccuracy };
    const final = directFinalTrainingAccuracy(p, n, r);
    const drop = p.directTraining.peakAccuracy - final;
    if (drop > 0 && (!largestDrop || drop > largestDrop.peak - largestDrop.final)) {
      largestDrop = { d: p.d, peak: p.directTraining.peakAccuracy, peakStep: p.directTraining.peakStep, final, steps: p.directTraining.steps };
    }
  }
  const low = sorted.find((p) => p.singleHopAccuracy < 1);
  return {
    ds: sorted.map((p) => p.d),
    singlePerfect,
    cotImperfectWhereSingle,
    singleFrom,
    directFrom: direct ? direct.d : null,
    bestDirect,
    largestDrop,
    belowSingle: low ? { d: low.d, single: low.singleHopAccuracy, cot: low.cotAccuracy } : null,
  };
}

/** The sentences of the multi-hop chapter, computed from one sweep; each only when the data bear it out. */
export function multihopSentences(story: MultihopStory, steps: number): string[] {
  const out: string[] = [];
  const total = story.ds.length;
  if (total === 0) return out;
  const listD = (ds: number[]) => `d = ${joinAnd(ds.map(String))}`;
  if (story.singleFrom !== null) out.push(`Single hop got every fact right from d = ${story.singleFrom} on (of ${listD(story.ds)}).`);
  else if (story.singlePerfect.length > 0) out.push(`Single hop got every fact right at ${listD(story.singlePerfect)} (of ${listD(story.ds)}).`);
  else out.push(`Single hop did not get every fact right at any d tried (${listD(story.ds)}).`);
  if (story.singlePerfect.length > 0) {
    if (story.cotImperfectWhereSingle.length === 0) {
      out.push(
        `Wherever single hop was 100% (${countWord(story.singlePerfect.length)} of ${countWord(total)} values of d), chain of thought answered every 2-hop query too: it needs no capacity beyond single hop.`,
      );
    } else {
      out.push(`Chain of thought was below 100% at ${listD(story.cotImperfectWhereSingle)} although single hop was 100% there.`);
    }
  }
  if (story.belowSingle) {
    const b = story.belowSingle;
    out.push(`Where single hop makes mistakes, chain of thought compounds them: at d = ${b.d}, single hop ${fmtNum(b.single)}, chain of thought ${fmtNum(b.cot)}.`);
  }
  if (story.directFrom !== null) {
    const single = story.singleFrom !== null && story.directFrom > story.singleFrom ? `; single hop was already at 100% from d = ${story.singleFrom}` : '';
    out.push(`The direct model first answered every 2-hop query in one pass at d = ${story.directFrom}${single}.`);
  } else if (story.bestDirect) {
    out.push(
      `The direct model never answered every 2-hop query in one pass within ${fmtInt(steps)} steps: at best ${fmtNum(story.bestDirect.accuracy)} (d = ${story.bestDirect.d}).`,
    );
  }
  const drop = story.largestDrop;
  if (drop && drop.peak - drop.final >= 0.02) {
    const how = drop.peak - drop.final >= 0.1 ? 'Its training is erratic' : 'Its training accuracy does not rise steadily';
    out.push(
      `${how}: at d = ${drop.d} it peaked at ${fmtNum(drop.peak)} (step ${fmtInt(drop.peakStep)}) and ended at ${fmtNum(drop.final)} after ${fmtInt(drop.steps)} steps.`,
    );
  } else if (story.ds.length > 0) {
    out.push(`Its training accuracy ended within 0.02 of its peak at every d here.`);
  }
  return out;
}

/** The figure's text alternative: per set, the three accuracies at each d. */
export function summarizeMultihop(sets: { label: string; points: MultihopPoint[] }[]): string {
  const parts: string[] = [];
  for (const set of sets) {
    if (set.points.length === 0) continue;
    const rows = set.points
      .slice()
      .sort((a, b) => a.d - b.d)
      .map((p) => `d = ${p.d}: single hop ${fmtNum(p.singleHopAccuracy)}, chain of thought ${fmtNum(p.cotAccuracy)}, direct ${fmtNum(p.directAccuracy)}`);
    parts.push(`${set.label}: ${rows.join('; ')}.`);
  }
  return parts.length > 0 ? `Accuracy on 2-hop queries against d. ${parts.join(' ')}` : 'No multi-hop points yet.';
}

// ---------------------------------------------------------------------------------------------
// Progress.

const ARM_WORDS: Record<CapacityArm, string> = { learned: 'learned embeddings', frozen: 'frozen embeddings' };
const PHASE_WORDS = { zeroShot: 'zero-shot transfer', embeddingsOnly: 'retraining the subject embeddings only', fromScratch: 'training from scratch' } as const;

/** One line saying what the worker is doing, e.g. "learned embeddings, N = 32, d = 5: step 120 of 300 · 2 of 6 points". */
export function progressText(p: JobProgress): string {
  switch (p.kind) {
    case 'capacity': {
      const points = `${p.cellsDone} of ${p.cells} points`;
      if (!p.current) return p.cellsDone >= p.cells ? `all ${p.cells} points done` : `the construction, then ${points}`;
      const c = p.current;
      return `${ARM_WORDS[c.arm]}, N = ${fmtInt(c.n)}, d = ${c.d}: step ${fmtInt(c.step)} of ${fmtInt(c.steps)} · ${points} · ${p.trials} trials done`;
    }
    case 'multihop': {
      const model = p.model === 'singleHop' ? 'single-hop model' : 'direct 2-hop model';
      const acc = Number.isFinite(p.accuracy) ? ` · training accuracy ${fmtNum(p.accuracy)}` : '';
      return `d = ${p.d} (${p.index + 1} of ${p.count}), ${model}: step ${fmtInt(p.step)} of ${fmtInt(p.steps)}${acc}`;
    }
    case 'transfer': {
      if (p.phase === 'zeroShot') return p.partial.zeroShot ? 'zero-shot transfer measured' : 'fitting the superposition maps and measuring zero-shot transfer';
      const acc = Number.isFinite(p.accuracy) ? ` · training accuracy ${fmtNum(p.accuracy)}` : '';
      return `${PHASE_WORDS[p.phase]}: step ${fmtInt(p.step)} of ${fmtInt(p.steps)}${acc}`;
    }
    case 'optimizers': {
      if (p.phase === 'measuring') return 'measuring the trained models: probes, superposition fit, knock-out, zero-shot transfer';
      const at = p.runs.map((run) => `${OPTIMIZER_SHORT[run.optimizer]} ${fmtInt(run.steps)}`).join(', ');
      return `training side by side, steps of ${fmtInt(p.steps)}: ${at}`;
    }
  }
}

/** Short names of the optimisers, for progress lines and legends. */
export const OPTIMIZER_SHORT: Record<OptimizerName, string> = { adam: 'Adam', sgd: 'SGD', gd: 'GD', sign: 'sign descent' };
