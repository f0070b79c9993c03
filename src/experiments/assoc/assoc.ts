/**
 * Associative memories (docs/science.md §7, paper A: Nichani, Lee, Bietti, ICLR 2025):
 * the types, presets and small pure functions the chapter, its job and the CLI share, with the file
 * formats of the precomputed results. No tfjs here (the page imports it): training is train.ts
 * (`trainAssoc`), the sweeps sweeps.ts (`assocSweep`, `assocCapacity`).
 */
export type AssocModelKind = 'full' | 'linear';

/** The task (task.ts): S subjects, R relations, D answers per relation, a noise vocabulary, T tokens. */
export interface AssocTaskSettings {
  s: number;
  r: number;
  answers: number;
  noise: number;
  seqLen: number;
  structured: boolean;
  seed: number;
}

/**
 * The model. `full`: d (embedding size), heads, headDim, width (the MLP's). `linear`: the
 * sequential-learning notebook's model, one-hot embeddings (d = the vocabulary), none of the sizes used.
 */
export interface AssocModelSettings {
  kind: AssocModelKind;
  d?: number;
  heads?: number;
  headDim?: number;
  width?: number;
}

/** One point of a training curve, measured on that step's fresh batch before its update. */
export interface AssocCurvePoint {
  step: number;
  loss: number;
  relationLoss: number;
  subjectLoss: number;
  accuracy: number;
}

export interface AssocTrainOptions {
  task: AssocTaskSettings;
  model: AssocModelSettings;
  steps: number;
  lr: number;
  batch: number;
  weightDecay?: number;
  stopAtAccuracy?: number;
  every?: number;
  onProgress?: (points: AssocCurvePoint[]) => void | Promise<void>;
  shouldStop?: () => boolean;
}

export interface AssocTrainResult {
  curve: AssocCurvePoint[];
  steps: number;
  accuracy: number;
  loss: number;
  relationLoss: number;
  subjectLoss: number;
  parameters: number;
  seconds: number;
  stepsTo99: number | null;
  cancelled?: true;
}

/** A ready-made run: everything `trainAssoc` needs but the callbacks. */
export type AssocPreset = Omit<AssocTrainOptions, 'onProgress' | 'shouldStop'>;

export const ASSOC_DEFAULTS: { linear: AssocPreset; full: AssocPreset } = {
  linear: {
    task: { s: 16, r: 4, answers: 8, noise: 20, seqLen: 32, structured: true, seed: 1 },
    model: { kind: 'linear' },
    steps: 5000,
    lr: 0.1,
    batch: 1024,
    weightDecay: 0,
  },
  full: {
    task: { s: 16, r: 4, answers: 8, noise: 20, seqLen: 32, structured: false, seed: 1 },
    model: { kind: 'full', d: 32, heads: 4, headDim: 8, width: 64 },
    steps: 2000,
    lr: 0.01,
    batch: 256,
    weightDecay: 0,
    stopAtAccuracy: 0.99,
  },
};

/** The vocabulary's size for a task: S subjects + R relations + the noise tokens + EOS. */
export function assocVocab(task: Pick<AssocTaskSettings, 's' | 'r' | 'noise'>): number {
  return task.s + task.r + task.noise + 1;
}

/**
 * Parameters as paper A counts them. Full model: 4·H·dh·d + 2·m·d (Q, K, V, O and the MLP's two maps;
 * the frozen embeddings and unembedding, and the MLP's bias, left out). Linear model: its two trained
 * matrices, A (vocab × vocab) and V (vocab × D·R), though only A's EOS row ever moves.
 */
export function assocParameters(model: AssocModelSettings, vocab: number, outputs: number): number {
  if (model.kind === 'linear') return vocab * vocab + vocab * outputs;
  const d = model.d ?? 0;
  return 4 * (model.heads ?? 0) * (model.headDim ?? 0) * d + 2 * (model.width ?? 0) * d;
}

/**
 * Trains one model (train.ts). `onProgress` gets the curve points added since its last call (every
 * 25 steps and at the end); `shouldStop` is asked before every step. `stepsTo99` is the first step whose
 * fresh batch was ≥ 99% right; `accuracy` and the losses are on a fixed held-out set at the end.
 */

/** The longest run of curve points with |loss − log D| < 0.1 and relation-only loss < 0.1: the model names
 * an answer of the right relation, but not the subject's (the notebook's hallucination stage). */
export function assocPlateau(curve: AssocCurvePoint[], answers: number, tolerance = 0.1): { from: number; to: number; steps: number } | null {
  let best: { from: number; to: number; steps: number } | null = null;
  let start = -1;
  const target = Math.log(answers);
  for (let i = 0; i <= curve.length; i++) {
    const p = curve[i];
    const on = p !== undefined && Math.abs(p.loss - target) < tolerance && p.relationLoss < tolerance;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      const from = curve[start].step;
      const to = curve[i - 1].step;
      if (!best || to - from > best.to - best.from) best = { from, to, steps: to - from + 1 };
      start = -1;
    }
  }
  return best;
}

// ---- heads × width sweep (param_scaling_sweep.py) ----

export interface AssocSweepSettings {
  task: AssocTaskSettings;
  d: number;
  headDim: number;
  heads: number[];
  widths: number[];
  steps: number;
  lr: number;
  batch: number;
  /** A cell's training ends once its held-out accuracy reaches this (0.99 when absent). */
  stopAtAccuracy?: number;
}

export interface AssocSweepCell {
  heads: number;
  width: number;
  attentionParams: number;
  mlpParams: number;
  accuracy: number;
  steps: number;
}

export interface AssocSweepFile {
  format: 'factual-recall-assoc-sweep';
  version: 1;
  backend: string;
  complete: boolean;
  settings: AssocSweepSettings;
  cells: AssocSweepCell[];
}

export interface AssocSweepProgress {
  cells: AssocSweepCell[];
  cellsTotal: number;
  current: { heads: number; width: number; step: number; steps: number; accuracy: number } | null;
}

export interface AssocCallbacks<P> {
  onProgress?: (progress: P) => void | Promise<void>;
  shouldStop?: () => boolean;
  /** Steps between two progress reports within a training run (each run's own default when absent): a live sweep asks often, so a cancel lands at once. */
  every?: number;
}

/** The heads × width sweep (sweeps.ts): one cell per (heads, width), row by row; onProgress after every
 * 25 steps of a cell (current set) and after every finished cell (current null). */

// ---- facts per parameter (fact_recall_sweep.py) ----

export interface AssocCapacitySettings {
  ds: number[];
  /** Head size dh = ⌊d·alpha/H⌋; MLP width m = ⌊d·beta⌋. */
  alpha: number;
  beta: number;
  heads: number;
  answers: number;
  /** Noise tokens; null: S + R, as the authors' run.py has it. */
  noise: number | null;
  seqLen: number;
  lrs: number[];
  steps: number;
  batch: number;
  minSize: number;
  maxSize: number;
  seed: number;
}

export interface AssocCapacityPoint {
  d: number;
  heads: number;
  headDim: number;
  width: number;
  parameters: number;
  /** The largest S = R stored at ≥ 99%. */
  size: number;
  /** S·R = size². */
  facts: number;
  /** Held-out accuracy measured at `size`; −1 when the search took that size as known to fit (its lower end) without training it. */
  accuracy: number;
}

/** facts = slope × parameters through the origin (least squares); r2 about that line. */
export interface AssocFit {
  slope: number;
  intercept: number;
  r2: number;
}

export interface AssocCapacityFile {
  format: 'factual-recall-assoc-capacity';
  version: 1;
  backend: string;
  complete: boolean;
  settings: AssocCapacitySettings;
  points: AssocCapacityPoint[];
  fit: AssocFit | null;
}

export interface AssocCapacityProgress {
  points: AssocCapacityPoint[];
  pointsTotal: number;
  current: { d: number; size: number; lr: number; step: number; steps: number; accuracy: number } | null;
}

/** The capacity search (sweeps.ts): one point per d; onProgress as assocSweep's. */
