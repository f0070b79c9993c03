/**
 * The multi-hop experiment's live job (docs/science.md §6): chain of thought against the direct
 * one-pass model on 2-hop queries, one point per d. Its types, limits, check, progress fraction and
 * progress line; no React, no DOM (the worker, the page and the tests import it).
 */
import type { MultihopPoint } from './multihopPoint';
import { positiveInt, stepFraction } from '../kit';
import { fmtInt, fmtNum } from '../../ui/format';

export interface MultihopJob {
  n: number;
  r: number;
  m: number;
  ds: number[];
  steps: number;
  seed: number;
  lr: number;
}

export interface MultihopJobResult {
  job: MultihopJob;
  points: MultihopPoint[];
}

export type MultihopModel = 'singleHop' | 'direct';

export interface MultihopJobProgress {
  fraction: number;
  /** Which d of the job's list (0-based) and its value. */
  index: number;
  count: number;
  d: number;
  model: MultihopModel;
  step: number;
  steps: number;
  accuracy: number;
  loss: number;
  /** Points finished so far. */
  points: MultihopPoint[];
}

/** What a live job may ask for: small enough to run in seconds to a minute or two on a laptop CPU. */
export const MULTIHOP_LIMITS = { maxN: 64, maxR: 4, maxM: 512, maxDs: 8, maxD: 128, maxSteps: 4000 } as const;

/** Why a job is refused, or null when it is within MULTIHOP_LIMITS. */
export function checkMultihopJob(job: MultihopJob): string | null {
  if (!job || !Array.isArray(job.ds)) return 'multihop: the job has no values of d';
  const L = MULTIHOP_LIMITS;
  if (!positiveInt(job.n) || job.n < 2 || job.n > L.maxN) return `multihop: N must be from 2 to ${L.maxN}`;
  if (!positiveInt(job.r) || job.r > L.maxR) return `multihop: R must be from 1 to ${L.maxR}`;
  if (!positiveInt(job.m) || job.m > L.maxM) return `multihop: m must be from 1 to ${L.maxM}`;
  if (job.ds.length === 0 || job.ds.length > L.maxDs) return `multihop: choose 1 to ${L.maxDs} values of d`;
  if (!job.ds.every((d) => positiveInt(d) && d <= L.maxD)) return `multihop: every d must be from 1 to ${L.maxD}`;
  if (!positiveInt(job.steps) || job.steps > L.maxSteps) return `multihop: the step budget must be from 1 to ${L.maxSteps}`;
  if (!(job.lr > 0 && job.lr <= 1)) return 'multihop: the learning rate must be in (0, 1]';
  return null;
}

/** Per d, the single-hop model takes the first 30% and the direct model the rest. */
export function multihopFraction(index: number, count: number, model: MultihopModel, step: number, steps: number): number {
  if (count <= 0) return 0;
  const f = stepFraction(step, steps);
  const within = model === 'singleHop' ? 0.3 * f : 0.3 + 0.7 * f;
  return Math.min(1, (index + within) / count);
}

/** e.g. "d = 8 (2 of 3), direct 2-hop model: step 40 of 600 · training accuracy 0.50". */
export function multihopProgressText(p: MultihopJobProgress): string {
  const model = p.model === 'singleHop' ? 'single-hop model' : 'direct 2-hop model';
  const acc = Number.isFinite(p.accuracy) ? ` · training accuracy ${fmtNum(p.accuracy)}` : '';
  return `d = ${p.d} (${p.index + 1} of ${p.count}), ${model}: step ${fmtInt(p.step)} of ${fmtInt(p.steps)}${acc}`;
}
