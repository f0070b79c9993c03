/**
 * The graph chapter's story (docs/science.md §8, paper M): from a run's recorded frames, the first step
 * of 100% top-5 recovery, the picture's shape there, at step 100 and at the end (a ring for the cycle,
 * Procrustes R² for the grid, the geometric score for every graph), the phase where the shape is
 * clearest, and whether exact recall later bends it — as numbers and as sentences computed from them
 * (never written by hand). Pure: no DOM, no React, no tfjs.
 */
import type { GraphKind } from './graphs';
import type { GraphFrame, GraphLearner } from './train';
import { fmtInt, fmtNum } from '../../ui/format';

/** Within this much of its best, the grid's R² (or the contrast) still counts as the clearest phase. */
export const CLEAR_TOLERANCE = 0.02;
/** A shape counts as bent at the end when its quality fell this far below its best. */
export const BENT_BY = 0.1;

/**
 * How clearly a frame shows the graph: cycle, the share of angular neighbours in the 2-D picture that
 * are edges (1: a ring); grid, Procrustes R² to the true coordinates; otherwise the contrast, edge ends'
 * mean cosine minus non-edges'.
 */
export function shapeQuality(f: GraphFrame, kind: GraphKind): number {
  if (kind === 'cycle' && f.ring) return f.ring.adjacent;
  if (kind === 'grid' && f.gridR2 !== undefined) return f.gridR2;
  return f.geometric - f.nonEdge;
}

const contrast = (f: GraphFrame) => f.geometric - f.nonEdge;

export interface GraphStory {
  kind: GraphKind;
  firstFull: GraphFrame | null;
  step100: GraphFrame | null;
  end: GraphFrame | null;
  /** The frame where the shape is clearest (best quality; ties: the largest contrast), and the run of frames around it that stay there. */
  clearest: GraphFrame | null;
  phase: { from: number; to: number } | null;
  /** The shape at the end is clearly below its best (exact recall bent it). */
  bent: boolean;
}

/** The story's numbers from the frames (in step order). */
export function graphStory(frames: readonly GraphFrame[], kind: GraphKind): GraphStory {
  const firstFull = frames.find((f) => f.topK === 1) ?? null;
  const step100 = frames.find((f) => f.step === 100) ?? null;
  const end = frames[frames.length - 1] ?? null;
  if (frames.length === 0) return { kind, firstFull, step100, end, clearest: null, phase: null, bent: false };
  const q = frames.map((f) => shapeQuality(f, kind));
  const best = Math.max(...q);
  const tol = kind === 'cycle' ? 1e-9 : CLEAR_TOLERANCE;
  let at = -1;
  for (let i = 0; i < frames.length; i++) if (q[i] >= best - 1e-9 && (at < 0 || contrast(frames[i]) > contrast(frames[at]))) at = i;
  let lo = at;
  let hi = at;
  while (lo > 0 && q[lo - 1] >= best - tol) lo--;
  while (hi < frames.length - 1 && q[hi + 1] >= best - tol) hi++;
  const bent = end !== null && end !== frames[at] && best - q[q.length - 1] >= BENT_BY;
  return { kind, firstFull, step100, end, clearest: frames[at], phase: { from: frames[lo].step, to: frames[hi].step }, bent };
}

/** The shape of one frame in words: "a ring", "not a ring (13 of 15 angular neighbours are edges)", "Procrustes R² 0.98 to the grid". */
export function shapeText(f: GraphFrame, kind: GraphKind, n: number): string {
  if (kind === 'cycle' && f.ring) return f.ring.exact ? 'a ring: the nodes go round their centre in cycle order' : `not a ring (${fmtInt(Math.round(f.ring.adjacent * n))} of ${fmtInt(n)} angular neighbours are edges)`;
  if (kind === 'grid' && f.gridR2 !== undefined) return `the grid with Procrustes R² ${fmtNum(f.gridR2)} to its true coordinates`;
  return `edge ends at mean cosine ${fmtNum(f.geometric)} against ${fmtNum(f.nonEdge)} for non-edges`;
}

const scoreText = (f: GraphFrame) => `geometric score ${fmtNum(f.geometric)} (non-edges ${fmtNum(f.nonEdge)}), top-5 recovery ${fmtNum(100 * f.topK, 0)}%`;

/** The sentences of a run so far (`running`: it may still change), for `n` nodes and the model `learner`. */
export function graphSentences(s: GraphStory, n: number, learner: GraphLearner, running: boolean): string[] {
  const out: string[] = [];
  if (!s.end) return out;
  if (learner === 'associative') {
    out.push(
      `The associative control’s embeddings are frozen random vectors, so its picture has no shape by construction: ${scoreText(s.end)} at step ${fmtInt(s.end.step)}. The pairs are held in its one linear map, not in the geometry.`,
    );
    return out;
  }
  const shape = (f: GraphFrame) => shapeText(f, s.kind, n);
  if (s.firstFull) {
    out.push(`Every edge is first among its node’s top 5 at step ${fmtInt(s.firstFull.step)}. There the picture is ${shape(s.firstFull)}; ${scoreText(s.firstFull)}.`);
  } else {
    out.push(`${running ? 'So far no' : 'No'} step has every edge among its node’s top 5 (at step ${fmtInt(s.end.step)}: ${fmtNum(100 * s.end.topK, 0)}%).`);
  }
  if (s.step100 && s.step100 !== s.end) out.push(`At step 100 the picture is ${shape(s.step100)}; geometric score ${fmtNum(s.step100.geometric)}.`);
  if (s.clearest && s.phase) {
    const span = s.phase.from === s.phase.to ? `at step ${fmtInt(s.phase.from)}` : `from step ${fmtInt(s.phase.from)} to ${fmtInt(s.phase.to)}`;
    out.push(`The shape is clearest ${span} (best at step ${fmtInt(s.clearest.step)}: ${shape(s.clearest)}; geometric score ${fmtNum(s.clearest.geometric)}).`);
  }
  const endWord = running ? `At step ${fmtInt(s.end.step)} (so far)` : `At the end (step ${fmtInt(s.end.step)})`;
  if (s.bent && s.clearest) {
    const gone = s.kind === 'cycle' ? (s.end.ring?.exact ? 'the ring is bent' : 'the ring is gone') : 'the shape is bent';
    out.push(
      `${endWord} ${gone}: the picture is ${shape(s.end)}, geometric score ${fmtNum(s.end.geometric)} against ${fmtNum(s.clearest.geometric)} at its clearest. Training on to rank each node’s true neighbours first bends the geometry that appeared while the edges were being learnt.`,
    );
  } else if (s.end !== s.clearest) {
    out.push(`${endWord} the picture is still ${shape(s.end)}; ${scoreText(s.end)}.`);
  }
  return out;
}

/** The figures' text summary of one viewed frame. */
export function frameSummary(f: GraphFrame, kind: GraphKind, n: number): string {
  return `Step ${fmtInt(f.step)}: the picture is ${shapeText(f, kind, n)}; ${scoreText(f)}; the first two principal components explain ${fmtNum(100 * f.explained[0], 0)}% and ${fmtNum(100 * f.explained[1], 0)}% of the variance.`;
}
