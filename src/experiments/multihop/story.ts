/**
 * The multi-hop chapter's story: the numbers its sentences are made of, computed from the points at
 * render time (never written by hand), the sentences themselves, and the figure's text summary.
 */
import type { MultihopPoint } from './multihopPoint';
import { countWord, fmtInt, fmtNum, joinAnd } from '../../ui/format';

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
