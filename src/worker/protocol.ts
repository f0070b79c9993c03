/**
 * The typed message protocol between the page and the training worker. Bulk numbers travel as typed
 * arrays (transferred, not copied); the page never does tensor maths.
 */
import type { BackendName } from '../core/training/backends';
import type { GatingReport, KnockoutReport, ProbeReport, ProjectionSample, SuperpositionReport } from '../core/measure/measure';
import type { ModelConfig, WeightArrays } from '../core/model/model';
import type { FactTrace } from '../core/measure/factTraceData';
import type { OptimizerName } from '../core/training/optimizerSettings';

/** Everything that defines a run; changing any of it restarts training. */
export interface RunSettings {
  n: number;
  r: number;
  d: number;
  m: number;
  /** The optimiser and its settings (core/optimizerSettings.ts); every one is filled in. */
  optimizer: OptimizerName;
  /** Learning rate of the dense maps; the subject embeddings and U take lr·embedLrMult. */
  lr: number;
  /** SGD's momentum, Adam's β1, sign descent's buffer; always 0 for plain GD. */
  momentum: number;
  embedLrMult: number;
  /** Decoupled weight decay (0: none). */
  weightDecay: number;
  seed: number;
  freezeSubjects: boolean;
  /** Queries and keys fixed at zero: attention weighs subject and relation ½, ½ (docs/science.md §2). */
  uniformAttention: boolean;
  /** Load the hand-built construction of docs/science.md §3 instead of random weights (d, m must be d*, m*). */
  construction?: boolean;
}

/** The settings of a run that the Trainer and a weight file's `meta` take as they are (the CLI's names). */
export function trainingOptionsOf(s: RunSettings) {
  const { optimizer, lr, momentum, embedLrMult, weightDecay, uniformAttention, freezeSubjects, seed } = s;
  return { optimizer, lr, momentum, embedLrMult, weightDecay, uniformAttention, freezeSubjects, seed };
}

/** What the user asked for: a backend, or 'auto' (WebGPU on a real GPU, else the fastest measured). */
export type BackendChoice = 'auto' | BackendName;

export type PageToWorker =
  | { type: 'init'; backend: BackendChoice; allowSoftwareWebGpu: boolean }
  | { type: 'reset'; settings: RunSettings }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; count: number }
  | { type: 'setBackend'; backend: BackendChoice }
  | { type: 'setProjectionRelation'; relation: number }
  | { type: 'knockout' }
  /** Stop reading back measurements when no figure is visible (off-screen figures pause). */
  | { type: 'setMeasuring'; enabled: boolean }
  /** Test hook: behave as if the GPU device were lost now. */
  | { type: 'simulateDeviceLoss' }
  /** Ask for a copy of the current weights; answered by 'weights' (or 'weightsUnavailable') with the same id. */
  | { type: 'exportWeights'; requestId: number }
  /** Ask for the current weights as a weight file (core/weights.ts), written in the worker; answered by 'weightFile'. */
  | { type: 'exportWeightFile'; requestId: number }
  /**
   * Parse a weight file (JSON text in a Blob) here, off the page's thread, and make it the run: answered by
   * 'weightsLoaded' (after 'ready') or 'weightsRejected', in which case the current run is untouched.
   */
  | { type: 'loadWeights'; requestId: number; file: Blob; fallback: RunSettings; limits: WeightFileLimits }
  /** Time travel: ask for the measurements recorded at `step` (worker/measurementHistory.ts); answered by 'historyMeasurements'. */
  | { type: 'viewHistory'; step: number; requestId: number }
  /** Follow one fact through the current model (core/measure/factTrace.ts); answered by 'factTrace'. */
  | { type: 'traceFact'; subject: number; relation: number };

/** Loss and accuracy per step since the previous message: steps[i], loss[i], accuracy[i·R + r]. */
export interface MetricChunk {
  steps: Int32Array;
  loss: Float32Array;
  accuracy: Float32Array;
}

export interface Measurements {
  step: number;
  probe: ProbeReport;
  superposition: SuperpositionReport;
  projection: ProjectionSample;
  gating: GatingReport;
}

export interface BackendInfo {
  name: BackendName;
  /** Why this backend runs, in words (shown on the page). */
  reason: string;
  adapter?: string;
  /** wasm only: whether our SIMD kernels (core/fusedKernels.ts) run, or tfjs's kernels alone. */
  simdKernels?: boolean;
}

/**
 * The current model as plain arrays, enough to rebuild it anywhere (another worker, a weight file):
 * the facts are makeFacts(config.n, config.r, factSeed). The typed arrays are transferred.
 */
export interface WeightsExport {
  config: ModelConfig;
  factSeed: number;
  /** Updates applied to these weights. */
  step: number;
  /** The run's settings (learning rate, freeze switch, construction…). */
  settings: RunSettings;
  weights: WeightArrays;
}

/** What a loaded weight file must fit: the page's limits (N·R·N logits, file size). */
export interface WeightFileLimits {
  maxLogitCells: number;
  maxBytes: number;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'diverged' | 'error';

/** A one-click fix the page offers with a status (lossWatch.ts): restart with this learning rate. */
export interface RunFix {
  lr: number;
}

export type WorkerToPage =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'ready'; settings: RunSettings; parameters: number; informationBits: number }
  /**
   * `tensors`: tfjs's live tensor count in the worker (it must stay flat while training).
   * `stepsTo100`: updates after which every fact was first right in this run, or null.
   */
  | { type: 'metrics'; chunk: MetricChunk; step: number; stepsPerSecond: number; tensors: number; stepsTo100: number | null }
  | { type: 'measurements'; measurements: Measurements }
  | { type: 'knockout'; report: KnockoutReport; step: number }
  | { type: 'status'; status: RunStatus; message?: string; step: number; fix?: RunFix }
  | { type: 'notice'; message: string }
  | ({ type: 'weights'; requestId: number } & WeightsExport)
  | { type: 'weightsUnavailable'; requestId: number; message: string }
  /** The weight file's text (application/json) and what it holds. */
  | { type: 'weightFile'; requestId: number; blob: Blob; step: number; settings: RunSettings }
  /** A weight file became the run: its settings (n, r, d, m, seed of the facts, lr…) and its step count. */
  | { type: 'weightsLoaded'; requestId: number; settings: RunSettings; step: number }
  | { type: 'weightsRejected'; requestId: number; message: string }
  /** Time travel: the steps whose measurements the worker keeps (ascending), and their size in bytes; sent when they change. */
  | { type: 'history'; steps: number[]; bytes: number }
  /** The answer to 'viewHistory': a copy of the measurements at `step`, or null when that step is no longer kept. */
  | { type: 'historyMeasurements'; requestId: number; step: number; measurements: Measurements | null }
  /** The answer to 'traceFact' at `step`: the trace, or null and why (no run yet, a subject out of range). */
  | { type: 'factTrace'; subject: number; relation: number; step: number; trace: FactTrace | null; message?: string };
