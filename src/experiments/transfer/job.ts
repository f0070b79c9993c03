/**
 * The transfer experiment's live job (docs/science.md §4, last item): a trained model's superposition
 * maps applied to new facts; optionally retraining. Its types, limits, check, progress fraction and
 * progress line; no React, no DOM (the worker, the page and the tests import it).
 */
import type { ModelConfig, WeightArrays } from '../../core/model/model';
import type { RetrainOptimizer, RetrainRun, ZeroShotResult } from './transfer';
import { positiveInt, stepFraction } from '../kit';
import { fmtInt, fmtNum } from '../../ui/format';

export interface TransferJob {
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

/** What the page gets of core's ZeroShotResult: its numbers, without the fact table and the maps. */
export type ZeroShotSummary = Omit<ZeroShotResult, 'newFacts' | 'maps' | 'lambda'> & { newFactsSeed: number };

export interface TransferJobResult {
  config: ModelConfig;
  modelStep: number;
  chance: number;
  /** The model's accuracy per relation on its own facts, as it was sent. */
  ownAccuracyByRelation: number[];
  zeroShot: ZeroShotSummary;
  /** Null when not asked for, or cancelled before it began. */
  retrain: { steps: number; lr: number; optimizer?: Omit<RetrainOptimizer, 'lr'>; embeddingsOnly: RetrainRun; fromScratch: RetrainRun | null } | null;
}

export type TransferPhase = 'zeroShot' | 'embeddingsOnly' | 'fromScratch';

export interface TransferJobProgress {
  fraction: number;
  phase: TransferPhase;
  step: number;
  steps: number;
  /** Mean training accuracy at the last step read. */
  accuracy: number;
  loss: number;
  /** Available once computed, so the page can show it while the retraining runs. */
  partial: Partial<Pick<TransferJobResult, 'zeroShot' | 'ownAccuracyByRelation' | 'chance' | 'modelStep' | 'config'>> & {
    embeddingsOnly?: RetrainRun;
  };
}

/** What a live job may ask for: a model small enough to retrain in a browser tab. */
export const TRANSFER_LIMITS = { maxLogits: 2 ** 24, maxSteps: 5000 } as const;

/** Why a job is refused, or null when it is within TRANSFER_LIMITS. */
export function checkTransferJob(job: TransferJob): string | null {
  if (!job?.config || !job.weights) return 'transfer: the job has no model';
  const { n, r } = job.config;
  if (n * r * n > TRANSFER_LIMITS.maxLogits) return `transfer: the model (N = ${n}, R = ${r}) is too large to retrain in a browser tab`;
  if (!positiveInt(job.steps) || job.steps > TRANSFER_LIMITS.maxSteps) return `transfer: the step budget must be from 1 to ${TRANSFER_LIMITS.maxSteps}`;
  if (!(job.lr > 0 && job.lr <= 1)) return 'transfer: the learning rate must be in (0, 1]';
  return null;
}

/** Zero-shot alone is one quick phase; with retraining it is 5%, then 50% and 45%. */
export function transferFraction(phase: TransferPhase, step: number, steps: number, retrain: boolean): number {
  const f = stepFraction(step, steps);
  if (!retrain) return phase === 'zeroShot' ? 0.5 * f : 1;
  if (phase === 'zeroShot') return 0.05 * f;
  if (phase === 'embeddingsOnly') return 0.05 + 0.5 * f;
  return 0.55 + 0.45 * f;
}

const PHASE_WORDS = { zeroShot: 'zero-shot transfer', embeddingsOnly: 'retraining the subject embeddings only', fromScratch: 'training from scratch' } as const;

/** e.g. "retraining the subject embeddings only: step 10 of 1,000 · training accuracy 0.50". */
export function transferProgressText(p: TransferJobProgress): string {
  if (p.phase === 'zeroShot') return p.partial.zeroShot ? 'zero-shot transfer measured' : 'fitting the superposition maps and measuring zero-shot transfer';
  const acc = Number.isFinite(p.accuracy) ? ` · training accuracy ${fmtNum(p.accuracy)}` : '';
  return `${PHASE_WORDS[p.phase]}: step ${fmtInt(p.step)} of ${fmtInt(p.steps)}${acc}`;
}
