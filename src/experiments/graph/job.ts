/**
 * The graph chapter's live job (docs/science.md §8): one edge-memorization run on a tiny graph with
 * the GPT, the associative control or Node2Vec, its recorded frames streaming to the page. Its types,
 * limits, check, progress fraction and progress line; no React, no DOM, no tfjs (the worker, the page
 * and the tests import it).
 */
import { GRAPH_KINDS, makeGraph, type Graph, type GraphKind, type GraphSizes } from './graphs';
import type { GraphFrame, GraphLearner, GraphTrainResult } from './train';
import { positiveInt, stepFraction } from '../kit';
import { fmtInt, fmtLoss, fmtNum } from '../../ui/format';

export const GRAPH_MODELS: readonly GraphLearner[] = ['transformer', 'associative', 'node2vec'];

export interface GraphJob {
  graph: GraphKind;
  /** The family's sizes (graphs.ts GRAPH_LIMITS); absent: their tiny-graph sizes. */
  sizes?: GraphSizes;
  model: GraphLearner;
  /** Training steps (Node2Vec: epochs of walks). */
  steps: number;
  seed: number;
}

export interface GraphJobProgress {
  /** 0…1, never going back. */
  fraction: number;
  step: number;
  steps: number;
  topK: number;
  loss: number;
  /** The frames recorded so far (every step to 100, then every few; see train.ts). */
  frames: GraphFrame[];
}

export type GraphJobResult = GraphTrainResult;

/** What a live job may ask for: a run that ends in seconds to a minute in a browser. */
export const GRAPH_JOB_LIMITS = { maxSteps: 2000, maxSeed: 1_000_000 } as const;

/**
 * The sizes the page offers for each family, theirs first (graphs.ts DEFAULT_SIZES); all within
 * GRAPH_LIMITS and small enough to train in a browser in seconds.
 */
export const SIZE_CHOICES: Record<GraphKind, readonly GraphSizes[]> = {
  cycle: [{ nodes: 15 }, { nodes: 8 }, { nodes: 24 }, { nodes: 32 }],
  grid: [{ rows: 4, cols: 4 }, { rows: 3, cols: 3 }, { rows: 5, cols: 5 }, { rows: 6, cols: 6 }],
  star: [{ branches: 4, length: 4 }, { branches: 3, length: 3 }, { branches: 6, length: 4 }],
  irregular: [{}],
};

/** e.g. "15 nodes", "4×4", "4 branches of 4". */
export function sizeLabel(kind: GraphKind, s: GraphSizes): string {
  const g = makeGraph(kind, s);
  if (kind === 'grid') return `${s.rows}×${s.cols} (${g.n} nodes)`;
  if (kind === 'star') return `${s.branches} branches of ${s.length} (${g.n} nodes)`;
  return `${g.n} nodes`;
}

/** Their step budgets (train.ts LEARNER_DEFAULTS): the GPT 700 on the cycle, 500 on the others; the controls 100. */
export function defaultGraphSteps(kind: GraphKind, model: GraphLearner): number {
  if (model !== 'transformer') return 100;
  return kind === 'cycle' ? 700 : 500;
}

/** The job's graph (throws 'graph: …' on a bad family or size). */
export function jobGraph(job: GraphJob): Graph {
  return makeGraph(job.graph, job.sizes ?? {});
}

/** Why a job is refused, or null when it is within GRAPH_JOB_LIMITS and the graphs' limits. */
export function checkGraphJob(job: GraphJob): string | null {
  if (!job || typeof job !== 'object') return 'graph: the job is missing';
  if (!GRAPH_KINDS.includes(job.graph)) return `graph: the graph must be one of ${GRAPH_KINDS.join(', ')}`;
  if (!GRAPH_MODELS.includes(job.model)) return `graph: the model must be one of ${GRAPH_MODELS.join(', ')}`;
  if (!positiveInt(job.steps) || job.steps > GRAPH_JOB_LIMITS.maxSteps) return `graph: the step budget must be from 1 to ${fmtInt(GRAPH_JOB_LIMITS.maxSteps)}`;
  if (!Number.isInteger(job.seed) || job.seed < 0 || job.seed > GRAPH_JOB_LIMITS.maxSeed) return `graph: the seed must be an integer from 0 to ${fmtInt(GRAPH_JOB_LIMITS.maxSeed)}`;
  if (job.sizes !== undefined && (typeof job.sizes !== 'object' || job.sizes === null)) return 'graph: the sizes must be an object';
  try {
    jobGraph(job);
  } catch (e) {
    const message = (e as Error).message;
    return message.startsWith('graph: ') ? message : `graph: ${message}`;
  }
  return null;
}

export const graphFraction = (step: number, steps: number) => stepFraction(step, steps);

/** e.g. "step 300 of 700 · top-5 recovery 100%, loss 1.23, geometric score 0.61". */
export function graphProgressText(p: GraphJobProgress): string {
  const at = `step ${fmtInt(p.step)} of ${fmtInt(p.steps)}`;
  const last = p.frames[p.frames.length - 1];
  if (!last) return at;
  return `${at} · top-5 recovery ${fmtNum(100 * last.topK, 0)}%, loss ${fmtLoss(last.loss)}, geometric score ${fmtNum(last.geometric)}`;
}
