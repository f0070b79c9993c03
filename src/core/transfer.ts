/**
 * Zero-shot transfer (SCIENCE.md §4, last item), both variants.
 *
 * 1. `zeroShotTransfer`: fit the superposition maps A_r of e_s ≈ Σ_r u_{π_r(s)} A_r (measure.ts,
 *    row-vector convention), draw new bijections π'_r, write new subject embeddings
 *    e'_s = Σ_r u_{π'_r(s)} A_r, keep every other weight, and measure accuracy on the new facts with
 *    no training. If the network reads attributes out of a linear superposition, this works.
 * 2. `retrainEmbeddingsOnly`: re-initialise the subject embeddings randomly, train only them on the
 *    new facts, and compare steps-to-100% with training the whole model from scratch (same config,
 *    learning rate, step budget and initial subject embeddings).
 *
 * Our choices (the paper leaves them open): the maps are fitted on all N subjects (not the 80% of the
 * probes), with the ridge chosen by GCV as in `superpositionFromWeights`; the new facts are
 * `makeFacts(n, r, deriveSeed(seed, 'transfer'))`; both retraining runs start from the subject
 * embeddings of `initialWeights(config, deriveSeed(seed, 'transfer-init'))`, and the from-scratch
 * run starts from all of those weights. Full batch, Adam, stop at the first step with every fact right.
 */
import type { Facts } from './facts';
import { makeFacts } from './facts';
import type { Model, WeightArrays } from './model';
import { disposeModel, initialWeights, modelFromArrays, parameterCount, readWeights } from './model';
import { evaluateAccuracy } from './evaluate';
import { superpositionFromWeights } from './measure';
import { deriveSeed } from './prng';
import type { StepStats } from './train';
import { train, Trainer } from './train';

/** The new fact table of a transfer experiment: same N and R, bijections drawn from `seed`. */
export function transferFacts(facts: Facts, seed: number): Facts {
  return makeFacts(facts.n, facts.r, deriveSeed(seed, 'transfer'));
}

function checkModelFacts(model: Model, facts: Facts): void {
  if (model.config.n !== facts.n || model.config.r !== facts.r) {
    throw new Error(`model (n=${model.config.n}, r=${model.config.r}) does not match facts (n=${facts.n}, r=${facts.r})`);
  }
}

/**
 * Subject embeddings e_s = Σ_r u_{π_r(s)} A_r for every subject of `facts`, from attribute vectors
 * U [n×d] and maps A [(R·d)×d] row-major (rows r·d … r·d+d−1 are A_r, as `superpositionFromWeights`
 * returns them). Float32, [n×d] row-major.
 */
export function superposedEmbeddings(attributeVectors: ArrayLike<number>, maps: ArrayLike<number>, facts: Facts, d: number): Float32Array {
  const { n, r } = facts;
  if (attributeVectors.length !== n * d) throw new Error(`superposed embeddings: U has ${attributeVectors.length} numbers, expected ${n}×${d}`);
  if (maps.length !== r * d * d) throw new Error(`superposed embeddings: A has ${maps.length} numbers, expected ${r * d}×${d}`);
  const out = new Float32Array(n * d);
  const row = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    row.fill(0);
    for (let rel = 0; rel < r; rel++) {
      const uo = facts.permutations[rel][s] * d;
      const ao = rel * d * d;
      for (let i = 0; i < d; i++) {
        const ui = attributeVectors[uo + i];
        if (ui === 0) continue;
        const ai = ao + i * d;
        for (let j = 0; j < d; j++) row[j] += ui * maps[ai + j];
      }
    }
    out.set(row, s * d);
  }
  return out;
}

export interface ZeroShotOptions {
  /** Seeds the new bijections π'_r (see `transferFacts`). */
  seed: number;
  /** Ridge of the fit relative to mean diag(FᵀF); default: chosen by GCV. */
  ridge?: number;
}

export interface ZeroShotResult {
  /** The new fact table (bijections π'_r). */
  newFacts: Facts;
  /** Accuracy per relation on the new facts with e'_s = Σ_r u_{π'_r(s)} A_r and no training. */
  accuracyByRelation: number[];
  /** Control: accuracy on the new facts with the model's own (old) embeddings, about chance. */
  unchangedAccuracyByRelation: number[];
  /** Sanity check: accuracy on the old facts with each e_s replaced by its fit Σ_r u_{π_r(s)} A_r. */
  reconstructedAccuracyByRelation: number[];
  /** R² of the fit on the subjects it was fitted on (all of them). */
  fitR2: number;
  /** The ridge λ of the fit (absolute). */
  lambda: number;
  /** The fitted maps A, (R·d)×d row-major. */
  maps: Float64Array;
}

async function accuracyWithSubjects(model: Model, weights: WeightArrays, subjects: Float32Array, facts: Facts): Promise<number[]> {
  const copy = modelFromArrays(model.config, { ...weights, subjectEmbedding: subjects });
  try {
    return (await evaluateAccuracy(copy, facts)).accuracyByRelation;
  } finally {
    disposeModel(copy);
  }
}

/** Zero-shot transfer (variant 1). Leaves `model` untouched. */
export async function zeroShotTransfer(model: Model, facts: Facts, options: ZeroShotOptions): Promise<ZeroShotResult> {
  checkModelFacts(model, facts);
  const d = model.config.d;
  const weights = await readWeights(model);
  const all = Int32Array.from({ length: facts.n }, (_, s) => s);
  const fit = superpositionFromWeights(weights, facts, { train: all, heldOut: new Int32Array(0) }, { ridge: options.ridge, control: false });
  const newFacts = transferFacts(facts, options.seed);
  const u = weights.attributeVectors;
  const transferred = superposedEmbeddings(u, fit.maps, newFacts, d);
  const reconstructed = superposedEmbeddings(u, fit.maps, facts, d);
  return {
    newFacts,
    accuracyByRelation: await accuracyWithSubjects(model, weights, transferred, newFacts),
    unchangedAccuracyByRelation: (await evaluateAccuracy(model, newFacts)).accuracyByRelation,
    reconstructedAccuracyByRelation: await accuracyWithSubjects(model, weights, reconstructed, facts),
    fitR2: fit.trainR2,
    lambda: fit.lambda ?? NaN,
    maps: fit.maps,
  };
}

export interface RetrainOptions {
  /** Seeds the new bijections (as in `zeroShotTransfer`) and the re-initialisation. */
  seed: number;
  /** Step budget of each run. */
  steps: number;
  /** Adam learning rate (default 0.01). */
  lr?: number;
  /** Read the device every this many steps (default 10). */
  readEvery?: number;
  /** Called after every readback with the latest step of the run in progress. */
  onProgress?: (run: 'embeddingsOnly' | 'fromScratch', last: StepStats) => void | Promise<void>;
  /** Polled between readbacks; once true, the runs stop early and the result says `cancelled`. */
  shouldStop?: () => boolean;
}

export interface RetrainRun {
  /** Updates applied (the run stops at the first step with every new fact right). */
  steps: number;
  /** Updates after which every new fact was first right; null if not within the budget. */
  stepsTo100: number | null;
  /** Final accuracy per relation on the new facts, by a separate forward pass. */
  accuracyByRelation: number[];
  loss: number;
  /** Numbers the run updates. */
  trainedParameters: number;
  seconds: number;
  /** True when the loss became NaN or infinite. */
  diverged: boolean;
}

export interface RetrainResult {
  newFacts: Facts;
  /** Only the subject embeddings train; everything else is the trained model's. */
  embeddingsOnly: RetrainRun;
  /** Every weight trains, from a fresh initialisation. */
  fromScratch: RetrainRun;
  /** Set when `shouldStop` ended the runs early (a run stopped before its first step has steps = 0). */
  cancelled?: true;
}

async function runTraining(
  model: Model,
  facts: Facts,
  label: 'embeddingsOnly' | 'fromScratch',
  options: RetrainOptions,
  trainOnly?: ['subjectEmbedding'],
): Promise<RetrainRun> {
  const trainer = new Trainer(model, facts, { lr: options.lr ?? 0.01, ...(trainOnly ? { trainOnly } : {}) });
  try {
    const result = await train(trainer, {
      maxSteps: options.steps,
      readEvery: options.readEvery,
      stopAt100: true,
      shouldStop: options.shouldStop,
      onProgress: options.onProgress ? (read) => options.onProgress!(label, read[read.length - 1]) : undefined,
    });
    const final = await evaluateAccuracy(model, facts);
    return {
      steps: result.steps,
      stepsTo100: result.stepsTo100,
      accuracyByRelation: final.accuracyByRelation,
      loss: final.loss,
      trainedParameters: trainOnly ? model.config.n * model.config.d : parameterCount(model.config),
      seconds: result.seconds,
      diverged: result.diverged !== null,
    };
  } finally {
    trainer.dispose();
  }
}

/**
 * Zero-shot transfer, variant 2: new facts, random subject embeddings, only those trained; compared
 * with the whole model trained from scratch on the same new facts. Leaves `model` untouched.
 */
export async function retrainEmbeddingsOnly(model: Model, facts: Facts, options: RetrainOptions): Promise<RetrainResult> {
  checkModelFacts(model, facts);
  const newFacts = transferFacts(facts, options.seed);
  const fresh = initialWeights(model.config, deriveSeed(options.seed, 'transfer-init'));
  const weights = await readWeights(model);

  const embeddingsModel = modelFromArrays(model.config, { ...weights, subjectEmbedding: fresh.subjectEmbedding });
  let embeddingsOnly: RetrainRun;
  try {
    embeddingsOnly = await runTraining(embeddingsModel, newFacts, 'embeddingsOnly', options, ['subjectEmbedding']);
  } finally {
    disposeModel(embeddingsModel);
  }
  const scratchModel = modelFromArrays(model.config, fresh);
  let fromScratch: RetrainRun;
  try {
    fromScratch = await runTraining(scratchModel, newFacts, 'fromScratch', options);
  } finally {
    disposeModel(scratchModel);
  }
  return { newFacts, embeddingsOnly, fromScratch, ...(options.shouldStop?.() ? { cancelled: true as const } : {}) };
}
