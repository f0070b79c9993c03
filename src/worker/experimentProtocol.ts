/**
 * The typed message protocol between the page and the experiment worker, which runs the chapters'
 * longer experiments — capacity (docs/science.md §5), zero-shot transfer (§4) and multi-hop (§6) — one job
 * at a time, apart from the training worker. Also the job limits and the progress fractions, pure
 * functions shared by the worker and its tests.
 *
 * Flow: the page sends `init` (backend choice) and `run` jobs with ids; the worker answers `started`,
 * `progress` (at most ~10 per second), and one `done` (also after a cancel, with the results so far)
 * or `error` per job. `cancel` stops the job at its next chunk of steps.
 */
import type { BackendName } from '../core/training/backends';
import type { CapacityArm, CapacityPoint, CapacityReport, CapacitySettings } from '../experiments/capacity/capacity';
import type { ModelConfig, WeightArrays } from '../core/model/model';
import type { OptimizerComparisonSettings, OptimizerRun } from '../experiments/optimizers/optimizerSweep';
import type { RetrainOptimizer, RetrainRun, ZeroShotResult } from '../experiments/transfer/transfer';
import type { BackendChoice, BackendInfo } from './protocol';

// ---------------------------------------------------------------------------------------------
// Jobs.

/** §5: d_min against N for learned and frozen embeddings, beside the construction's d*. */
export interface CapacityJob {
  kind: 'capacity';
  settings: CapacitySettings;
}

/** §4, last item: a trained model's superposition maps applied to new facts; optionally retraining. */
export interface TransferJob {
  kind: 'transfer';
  /** The model: its config, weights, and the seed of its facts (makeFacts(n, r, factSeed)). */
  config: ModelConfig;
  factSeed: number;
  weights: WeightArrays;
  /** Training steps the model had when its weights were taken (shown, not used). */
  modelStep: number;
  /** Seeds the new bijections and the re-initialisation. */
  seed: number;
  /** Also retrain the subject embeddings alone, and a whole model from scratch, on the new facts. */
  retrain: boolean;
  /** Step budget and learning rate of each retraining run. */
  steps: number;
  lr: number;
  /** The retraining runs' optimiser and its other settings (the playground's); Adam with its defaults when absent. */
  optimizer?: Omit<RetrainOptimizer, 'lr'>;
}

/** §6: chain of thought against the direct one-pass model on 2-hop queries, one point per d. */
export interface MultihopJob {
  kind: 'multihop';
  n: number;
  r: number;
  m: number;
  ds: number[];
  steps: number;
  seed: number;
  lr: number;
}

/** §9: Adam, SGD, GD and sign descent on one fact table from the same initial weights, side by side. */
export type OptimizersJob = { kind: 'optimizers' } & Omit<OptimizerComparisonSettings, 'curveEvery'>;

export type ExperimentJob = CapacityJob | TransferJob | MultihopJob | OptimizersJob;
export type JobKind = ExperimentJob['kind'];

/** What a live job may ask for: small enough to run in seconds to a minute or two on a laptop CPU. */
export const LIVE_LIMITS = {
  capacity: { maxN: 256, maxNs: 6, maxR: 8, maxM: 512, maxSteps: 2000, maxD: 128 },
  multihop: { maxN: 64, maxR: 4, maxM: 512, maxDs: 8, maxD: 128, maxSteps: 4000 },
  transfer: { maxLogits: 2 ** 24, maxSteps: 5000 },
  optimizers: { maxN: 512, maxR: 8, maxD: 128, maxM: 512, maxSteps: 3000, maxLogits: 2 ** 20 },
} as const;

const positiveInt = (x: number) => Number.isInteger(x) && x >= 1;

/** Why a job is refused, or null when it is within LIVE_LIMITS. */
export function checkJob(job: ExperimentJob): string | null {
  switch (job.kind) {
    case 'capacity': {
      const s = job.settings;
      const L = LIVE_LIMITS.capacity;
      if (s.ns.length === 0 || s.ns.length > L.maxNs) return `capacity: choose 1 to ${L.maxNs} values of N`;
      if (!s.ns.every((n) => positiveInt(n) && n >= 2 && n <= L.maxN)) return `capacity: every N must be an integer from 2 to ${L.maxN}`;
      if (!positiveInt(s.r) || s.r > L.maxR) return `capacity: R must be from 1 to ${L.maxR}`;
      if (!positiveInt(s.m) || s.m > L.maxM) return `capacity: m must be from 1 to ${L.maxM}`;
      if (!positiveInt(s.steps) || s.steps > L.maxSteps) return `capacity: the step budget must be from 1 to ${L.maxSteps}`;
      if (!positiveInt(s.dFloor) || !positiveInt(s.dMax) || s.dFloor > s.dMax || s.dMax > L.maxD) return `capacity: need 1 ≤ d floor ≤ d max ≤ ${L.maxD}`;
      if (s.arms.length === 0) return 'capacity: choose at least one arm';
      if (!(s.lr > 0 && s.lr <= 1)) return 'capacity: the learning rate must be in (0, 1]';
      return null;
    }
    case 'multihop': {
      const L = LIVE_LIMITS.multihop;
      if (!positiveInt(job.n) || job.n < 2 || job.n > L.maxN) return `multihop: N must be from 2 to ${L.maxN}`;
      if (!positiveInt(job.r) || job.r > L.maxR) return `multihop: R must be from 1 to ${L.maxR}`;
      if (!positiveInt(job.m) || job.m > L.maxM) return `multihop: m must be from 1 to ${L.maxM}`;
      if (job.ds.length === 0 || job.ds.length > L.maxDs) return `multihop: choose 1 to ${L.maxDs} values of d`;
      if (!job.ds.every((d) => positiveInt(d) && d <= L.maxD)) return `multihop: every d must be from 1 to ${L.maxD}`;
      if (!positiveInt(job.steps) || job.steps > L.maxSteps) return `multihop: the step budget must be from 1 to ${L.maxSteps}`;
      if (!(job.lr > 0 && job.lr <= 1)) return 'multihop: the learning rate must be in (0, 1]';
      return null;
    }
    case 'transfer': {
      const { n, r } = job.config;
      if (n * r * n > LIVE_LIMITS.transfer.maxLogits) return `transfer: the model (N = ${n}, R = ${r}) is too large to retrain in a browser tab`;
      if (!positiveInt(job.steps) || job.steps > LIVE_LIMITS.transfer.maxSteps) return `transfer: the step budget must be from 1 to ${LIVE_LIMITS.transfer.maxSteps}`;
      if (!(job.lr > 0 && job.lr <= 1)) return 'transfer: the learning rate must be in (0, 1]';
      return null;
    }
    case 'optimizers': {
      const L = LIVE_LIMITS.optimizers;
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
  }
}

// ---------------------------------------------------------------------------------------------
// Results.

import type { MultihopPoint } from '../experiments/multihop/multihopPoint';
export type { MultihopPoint, MultihopTrainingPoint } from '../experiments/multihop/multihopPoint';
export { multihopPoint } from '../experiments/multihop/multihopPoint';

/** What the page gets of core's ZeroShotResult: its numbers, without the fact table and the maps. */
export type ZeroShotSummary = Omit<ZeroShotResult, 'newFacts' | 'maps' | 'lambda'> & { newFactsSeed: number };

/** One retraining run of the transfer job, as core reports it. */
export type RetrainSummary = RetrainRun;

export interface CapacityJobResult {
  kind: 'capacity';
  report: CapacityReport;
}

export interface TransferJobResult {
  kind: 'transfer';
  config: ModelConfig;
  modelStep: number;
  chance: number;
  /** The model's accuracy per relation on its own facts, as it was sent. */
  ownAccuracyByRelation: number[];
  zeroShot: ZeroShotSummary;
  /** Null when not asked for, or cancelled before it began. */
  retrain: { steps: number; lr: number; optimizer?: Omit<RetrainOptimizer, 'lr'>; embeddingsOnly: RetrainSummary; fromScratch: RetrainSummary | null } | null;
}

export interface MultihopJobResult {
  kind: 'multihop';
  job: Omit<MultihopJob, 'kind'>;
  points: MultihopPoint[];
}

export interface OptimizersJobResult {
  kind: 'optimizers';
  settings: OptimizerComparisonSettings;
  /** Every optimiser's run: curves, probes and (unless cancelled first) its final measurements. */
  runs: OptimizerRun[];
}

export type JobResult = CapacityJobResult | TransferJobResult | MultihopJobResult | OptimizersJobResult;

// ---------------------------------------------------------------------------------------------
// Progress.

export interface CapacityJobProgress {
  kind: 'capacity';
  /** 0…1, never going back. */
  fraction: number;
  cellsDone: number;
  cells: number;
  current: { arm: CapacityArm; n: number; d: number; step: number; steps: number } | null;
  trials: number;
  points: CapacityPoint[];
}

export type TransferPhase = 'zeroShot' | 'embeddingsOnly' | 'fromScratch';

export interface TransferJobProgress {
  kind: 'transfer';
  fraction: number;
  phase: TransferPhase;
  step: number;
  steps: number;
  /** Mean training accuracy at the last step read. */
  accuracy: number;
  loss: number;
  /** Available once computed, so the page can show it while the retraining runs. */
  partial: Partial<Pick<TransferJobResult, 'zeroShot' | 'ownAccuracyByRelation' | 'chance' | 'modelStep' | 'config'>> & {
    embeddingsOnly?: RetrainSummary;
  };
}

export interface MultihopJobProgress {
  kind: 'multihop';
  fraction: number;
  /** Which d of the job's list (0-based) and its value. */
  index: number;
  count: number;
  d: number;
  model: 'singleHop' | 'direct';
  step: number;
  steps: number;
  accuracy: number;
  loss: number;
  /** Points finished so far. */
  points: MultihopPoint[];
}

export interface OptimizersJobProgress {
  kind: 'optimizers';
  /** 0…1, never going back: training is 90%, the final measurements the rest. */
  fraction: number;
  phase: 'training' | 'measuring';
  steps: number;
  /** The runs so far. */
  runs: OptimizerRun[];
}

export type JobProgress = CapacityJobProgress | TransferJobProgress | MultihopJobProgress | OptimizersJobProgress;

/**
 * Capacity: a search cell (arm, N) takes an unknown number of trials (gallop, then bisect), so within
 * a cell the fraction grows like 1 − 1/(1 + t/2) in the trials t done so far (fractional within a
 * trial): monotone, never reaching the next cell early.
 */
export function capacityFraction(cellsDone: number, cells: number, trialsInCell: number, step: number, steps: number): number {
  if (cells <= 0) return 0;
  if (cellsDone >= cells) return 1;
  const t = Math.max(0, trialsInCell) + (steps > 0 ? Math.min(1, Math.max(0, step / steps)) : 0);
  const within = 1 - 1 / (1 + t / 2);
  return Math.min(1, (cellsDone + within) / cells);
}

/** Multi-hop: per d, the single-hop model takes the first 30% and the direct model the rest. */
export function multihopFraction(index: number, count: number, model: 'singleHop' | 'direct', step: number, steps: number): number {
  if (count <= 0) return 0;
  const f = steps > 0 ? Math.min(1, Math.max(0, step / steps)) : 0;
  const within = model === 'singleHop' ? 0.3 * f : 0.3 + 0.7 * f;
  return Math.min(1, (index + within) / count);
}

/** Transfer: zero-shot alone is one quick phase; with retraining it is 5%, then 50% and 45%. */
export function transferFraction(phase: TransferPhase, step: number, steps: number, retrain: boolean): number {
  const f = steps > 0 ? Math.min(1, Math.max(0, step / steps)) : 0;
  if (!retrain) return phase === 'zeroShot' ? 0.5 * f : 1;
  if (phase === 'zeroShot') return 0.05 * f;
  if (phase === 'embeddingsOnly') return 0.05 + 0.5 * f;
  return 0.55 + 0.45 * f;
}

// ---------------------------------------------------------------------------------------------
// Messages.

export type PageToExperiment =
  | { type: 'init'; backend: BackendChoice; allowSoftwareWebGpu: boolean }
  /** Applies from the next job on. */
  | { type: 'setBackend'; backend: BackendChoice }
  | { type: 'run'; jobId: number; job: ExperimentJob }
  | { type: 'cancel'; jobId: number }
  /** Hold the job under way at its next chunk of steps (an embedded figure off screen), or let it go on. */
  | { type: 'hold'; held: boolean };

export type ExperimentToPage =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'started'; jobId: number; kind: JobKind; backend: BackendName }
  | { type: 'progress'; jobId: number; progress: JobProgress }
  /**
   * The job ended: finished, or cancelled with the results so far (null: cancelled before it
   * began). `warnings` name runs whose loss
   * became NaN or infinite. `tensors`: tfjs's live tensor count in the worker after the job (it must
   * be the same after two identical jobs).
   */
  | { type: 'done'; jobId: number; result: JobResult | null; cancelled: boolean; warnings: string[]; seconds: number; tensors: number; backend: BackendName }
  | { type: 'error'; jobId: number; message: string; tensors: number };
