/**
 * The optimiser experiment's live job (docs/science.md §9): Adam, SGD, GD and sign descent on one fact
 * table from the same initial weights, side by side. Its types, limits, check and progress line; no
 * React, no DOM (the worker, the page and the tests import it).
 */
import type { OptimizerName } from '../../core/training/optimizerSettings';
import type { OptimizerComparisonSettings, OptimizerRun } from './optimizerSweep';
import { positiveInt } from '../kit';
import { fmtInt } from '../../ui/format';

export type OptimizersJob = Omit<OptimizerComparisonSettings, 'curveEvery'>;

export interface OptimizersJobResult {
  settings: OptimizerComparisonSettings;
  /** Every optimiser's run: curves, probes and (unless cancelled first) its final measurements. */
  runs: OptimizerRun[];
}

export interface OptimizersJobProgress {
  /** 0…1, never going back: training is 90%, the final measurements the rest. */
  fraction: number;
  phase: 'training' | 'measuring';
  steps: number;
  /** The runs so far. */
  runs: OptimizerRun[];
}

/** What a live job may ask for: four models small enough to train in a minute or two on a laptop CPU. */
export const OPTIMIZERS_LIMITS = { maxN: 512, maxR: 8, maxD: 128, maxM: 512, maxSteps: 3000, maxLogits: 2 ** 20 } as const;

/** Why a job is refused, or null when it is within OPTIMIZERS_LIMITS. */
export function checkOptimizersJob(job: OptimizersJob): string | null {
  if (!job || !Array.isArray(job.optimizers)) return 'optimizers: the job names no optimisers';
  const L = OPTIMIZERS_LIMITS;
  if (!positiveInt(job.n) || job.n < 2 || job.n > L.maxN) return `optimizers: N must be from 2 to ${L.maxN}`;
  if (!positiveInt(job.r) || job.r > L.maxR) return `optimizers: R must be from 1 to ${L.maxR}`;
  if (job.n * job.r * job.n > L.maxLogits) return `optimizers: N = ${job.n} with R = ${job.r} is too large to train four models live in a browser tab`;
  if (!positiveInt(job.d) || job.d > L.maxD) return `optimizers: d must be from 1 to ${L.maxD}`;
  if (!positiveInt(job.m) || job.m > L.maxM) return `optimizers: m must be from 1 to ${L.maxM}`;
  if (!positiveInt(job.steps) || job.steps > L.maxSteps) return `optimizers: the step budget must be from 1 to ${L.maxSteps}`;
  if (!Number.isInteger(job.seed) || job.seed < 0) return 'optimizers: the seed must be a non-negative integer';
  if (!Number.isInteger(job.probeEvery) || job.probeEvery < 0) return 'optimizers: probeEvery must be a non-negative integer';
  if (job.optimizers.length === 0 || new Set(job.optimizers).size !== job.optimizers.length) return 'optimizers: choose each optimiser at most once, at least one';
  return null;
}

/** Short names of the optimisers, for progress lines and legends. */
export const OPTIMIZER_SHORT: Record<OptimizerName, string> = { adam: 'Adam', sgd: 'SGD', gd: 'GD', sign: 'sign descent' };

/** e.g. "training side by side, steps of 600: Adam 120, SGD 100". */
export function optimizersProgressText(p: OptimizersJobProgress): string {
  if (p.phase === 'measuring') return 'measuring the trained models: probes, superposition fit, knock-out, zero-shot transfer';
  const at = p.runs.map((run) => `${OPTIMIZER_SHORT[run.optimizer]} ${fmtInt(run.steps)}`).join(', ');
  return `training side by side, steps of ${fmtInt(p.steps)}: ${at}`;
}
