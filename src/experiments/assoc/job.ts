/**
 * The associative-memory chapter's live jobs (docs/science.md §7): `train`, one sequential-learning run
 * whose curve streams to the page, and `sweep`, a small heads × width grid. Their types, limits, check,
 * progress fraction and progress line; no React, no DOM, no tfjs (the worker, the page and the tests import it).
 */
import type { AssocCurvePoint, AssocModelSettings, AssocSweepCell, AssocSweepSettings, AssocTaskSettings, AssocTrainResult } from './assoc';
import { positiveInt, stepFraction } from '../kit';
import { fmtInt, fmtLoss, fmtNum } from '../../ui/format';

export interface AssocTrainJob {
  kind: 'train';
  task: AssocTaskSettings;
  model: AssocModelSettings;
  steps: number;
  lr: number;
  batch: number;
  /** A curve point every this many steps. */
  every: number;
  weightDecay?: number;
  stopAtAccuracy?: number;
}

export interface AssocSweepJob {
  kind: 'sweep';
  settings: AssocSweepSettings;
}

export type AssocJob = AssocTrainJob | AssocSweepJob;

export interface AssocTrainProgress {
  kind: 'train';
  /** 0…1, never going back. */
  fraction: number;
  step: number;
  steps: number;
  /** The curve so far. */
  curve: AssocCurvePoint[];
}

export interface AssocSweepJobProgress {
  kind: 'sweep';
  fraction: number;
  cells: AssocSweepCell[];
  cellsTotal: number;
  current: { heads: number; width: number; step: number; steps: number; accuracy: number } | null;
}

export type AssocJobProgress = AssocTrainProgress | AssocSweepJobProgress;

export type AssocJobResult = { kind: 'train'; result: AssocTrainResult } | { kind: 'sweep'; cells: AssocSweepCell[]; complete: boolean; seconds: number };

/** What a live job may ask for: a run or a grid that ends in a minute or two on a laptop CPU. */
export const ASSOC_LIMITS = {
  maxS: 64,
  maxR: 16,
  maxAnswers: 16,
  maxNoise: 128,
  maxSeqLen: 64,
  maxBatch: 2048,
  maxSteps: 20_000,
  maxEvery: 1000,
  maxD: 64,
  maxHeads: 16,
  maxHeadDim: 32,
  maxWidth: 256,
  maxCells: 16,
  maxSweepSteps: 3000,
} as const;

const L = ASSOC_LIMITS;
const inRange = (x: unknown, lo: number, hi: number) => positiveInt(x as number) && (x as number) >= lo && (x as number) <= hi;

function checkTask(t: AssocTaskSettings | undefined): string | null {
  if (!t || typeof t !== 'object') return 'assoc: the job has no task';
  if (!inRange(t.s, 2, L.maxS)) return `assoc: S (subjects) must be from 2 to ${L.maxS}`;
  if (!inRange(t.r, 1, L.maxR)) return `assoc: R (relations) must be from 1 to ${L.maxR}`;
  if (!inRange(t.answers, 2, L.maxAnswers)) return `assoc: D (answers per relation) must be from 2 to ${L.maxAnswers}`;
  if (!Number.isInteger(t.noise) || t.noise < 0 || t.noise > L.maxNoise) return `assoc: the noise tokens must be from 0 to ${L.maxNoise}`;
  if (!inRange(t.seqLen, 3, L.maxSeqLen)) return `assoc: the sequence length must be from 3 to ${L.maxSeqLen}`;
  if (typeof t.structured !== 'boolean') return 'assoc: structured must be true or false';
  if (!Number.isInteger(t.seed) || t.seed < 0) return 'assoc: the seed must be a non-negative integer';
  return null;
}

const lrOk = (lr: unknown) => typeof lr === 'number' && lr > 0 && lr <= 10;

/** Why a job is refused, or null when it is within ASSOC_LIMITS. */
export function checkAssocJob(job: AssocJob): string | null {
  if (!job || typeof job !== 'object') return 'assoc: the job is missing';
  if (job.kind === 'train') {
    const bad = checkTask(job.task);
    if (bad) return bad;
    const m = job.model;
    if (!m || (m.kind !== 'linear' && m.kind !== 'full')) return 'assoc: the model must be linear or full';
    if (m.kind === 'full') {
      if (!inRange(m.d, 1, L.maxD)) return `assoc: d must be from 1 to ${L.maxD}`;
      if (!inRange(m.heads, 1, L.maxHeads)) return `assoc: the heads must be from 1 to ${L.maxHeads}`;
      if (!inRange(m.headDim, 1, L.maxHeadDim)) return `assoc: the head size must be from 1 to ${L.maxHeadDim}`;
      if (!inRange(m.width, 1, L.maxWidth)) return `assoc: the MLP width must be from 1 to ${L.maxWidth}`;
    }
    if (!inRange(job.steps, 1, L.maxSteps)) return `assoc: the step budget must be from 1 to ${fmtInt(L.maxSteps)}`;
    if (!inRange(job.batch, 1, L.maxBatch)) return `assoc: the batch must be from 1 to ${fmtInt(L.maxBatch)}`;
    if (!inRange(job.every, 1, L.maxEvery)) return `assoc: a curve point every 1 to ${L.maxEvery} steps`;
    if (!lrOk(job.lr)) return 'assoc: the learning rate must be in (0, 10]';
    return null;
  }
  if (job.kind === 'sweep') {
    const s = job.settings;
    if (!s || typeof s !== 'object') return 'assoc: the sweep has no settings';
    const bad = checkTask(s.task);
    if (bad) return bad;
    if (!Array.isArray(s.heads) || !Array.isArray(s.widths) || s.heads.length === 0 || s.widths.length === 0) return 'assoc: choose at least one head count and one MLP width';
    if (s.heads.length * s.widths.length > L.maxCells) return `assoc: at most ${L.maxCells} models in a live sweep`;
    if (!s.heads.every((h) => inRange(h, 1, L.maxHeads))) return `assoc: the heads must be from 1 to ${L.maxHeads}`;
    if (!s.widths.every((w) => inRange(w, 1, L.maxWidth))) return `assoc: the MLP widths must be from 1 to ${L.maxWidth}`;
    if (!inRange(s.d, 1, L.maxD)) return `assoc: d must be from 1 to ${L.maxD}`;
    if (!inRange(s.headDim, 1, L.maxHeadDim)) return `assoc: the head size must be from 1 to ${L.maxHeadDim}`;
    if (!inRange(s.steps, 1, L.maxSweepSteps)) return `assoc: the step budget per model must be from 1 to ${fmtInt(L.maxSweepSteps)}`;
    if (!inRange(s.batch, 1, L.maxBatch)) return `assoc: the batch must be from 1 to ${fmtInt(L.maxBatch)}`;
    if (!lrOk(s.lr)) return 'assoc: the learning rate must be in (0, 10]';
    return null;
  }
  return 'assoc: the job must be train or sweep';
}

/** The sweep's fraction: finished cells, and the current one's steps (a cell may stop early: never back). */
export function sweepFraction(cellsDone: number, cellsTotal: number, step: number, steps: number): number {
  if (cellsTotal <= 0) return 0;
  return Math.min(1, (Math.min(cellsDone, cellsTotal) + (cellsDone < cellsTotal ? stepFraction(step, steps) : 0)) / cellsTotal);
}

/** e.g. "step 1,200 of 5,000 · loss 2.09, relation-only 0.04, accuracy 0.13". */
export function assocProgressText(p: AssocJobProgress): string {
  if (p.kind === 'train') {
    const last = p.curve[p.curve.length - 1];
    const at = `step ${fmtInt(p.step)} of ${fmtInt(p.steps)}`;
    return last ? `${at} · loss ${fmtLoss(last.loss)}, relation-only ${fmtLoss(last.relationLoss)}, subject-only ${fmtLoss(last.subjectLoss)}, accuracy ${fmtNum(last.accuracy)}` : at;
  }
  const done = `${p.cells.length} of ${p.cellsTotal} models`;
  const c = p.current;
  return c ? `${c.heads} head${c.heads === 1 ? '' : 's'}, MLP width ${c.width}: step ${fmtInt(c.step)} of ${fmtInt(c.steps)}, accuracy ${fmtNum(c.accuracy)} · ${done} done` : `${done} done`;
}
