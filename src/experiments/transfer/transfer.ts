/**
 * Zero-shot transfer (docs/science.md §4, last item), both variants.
 *
 * 1. `zeroShotTransfer`: fit the superposition maps A_r of e_s ≈ Σ_r u_{π_r(s)} A_r (measure.ts,
 *    row-vector convention), draw new bijections π'_r, write new subject embeddings
 *    e'_s = Σ_r u_{π'_r(s)} A_r, keep every other weight, and measure accuracy on the new facts with
 *    no training. If the network reads attributes out of a linear superposition, this works.
 * 2. `retrainEmbeddingsOnly`: re-initialise the subject embeddings randomly, train only them on the
 *    new facts, and compare steps-to-100% with training the whole model from scratch (same config,
 *    learning rate, step budget and initial subject embeddings).
 *
 * Validation first (docs/science.md §4): the maps are fitted on the fixed 80% of subjects the probes use
 * (`subjectSplit(n, facts.seed)`, the split `measure` uses), and checked on the other 20%, subjects
 * the fit did not see: their embeddings are replaced by Σ_r u_{π_r(s)} A_r and the model answers
 * their old facts. On the fitted subjects that check is no test: with R·d near N_train the fit
 * reproduces them whatever the structure, so it is reported apart. The same validated maps build the
 * new embeddings.
 *
 * Our choices (the paper leaves them open): the ridge is chosen by GCV as in
 * `superpositionFromWeights`; the new facts are `makeFacts(n, r, deriveSeed(seed, 'transfer'))`;
 * both retraining runs start from the subject embeddings of `initialWeights(config,
 * deriveSeed(seed, 'transfer-init'))`, and the from-scratch run starts from all of those weights.
 * Full batch, stop at the first step with every fact right; Adam (lr 0.01) unless other optimiser
 * settings are given.
 */
import type { Facts } from '../../core/model/facts';
import { makeFacts } from '../../core/model/facts';
import type { Model, WeightArrays } from '../../core/model/model';
import { disposeModel, initialWeights, modelFromArrays, parameterCount, readWeights } from '../../core/model/model';
import { evaluateAccuracy } from '../../core/measure/evaluate';
import { subjectSplit, superpositionFromWeights, type SubjectSplit } from '../../core/measure/measure';
import { deriveSeed } from '../../core/model/prng';
import type { StepStats, TrainOptions } from '../../core/training/train';
import { train, Trainer } from '../../core/training/train';
import { checkModelFacts } from '../../core/measure/batching';

/** The new fact table of a transfer experiment: same N and R, bijections drawn from `seed`. */
export function transferFacts(facts: Facts, seed: number): Facts {
  return makeFacts(facts.n, facts.r, deriveSeed(seed, 'transfer'));
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
  /** Subjects the maps are fitted on and validated on; default `subjectSplit(n, facts.seed)`. */
  split?: SubjectSplit;
}

export interface ZeroShotResult {
  /** The new fact table (bijections π'_r). */
  newFacts: Facts;
  /** Accuracy per relation on the new facts with e'_s = Σ_r u_{π'_r(s)} A_r and no training. */
  accuracyByRelation: number[];
  /** Control: accuracy on the new facts with the model's own (old) embeddings, about chance. */
  unchangedAccuracyByRelation: number[];
  /**
   * The maps' validation: accuracy on the old facts of the held-out subjects (which the fit did not
   * see), each e_s replaced by Σ_r u_{π_r(s)} A_r.
   */
  reconstructedAccuracyByRelation: number[];
  /** The same on the fitted subjects: not a test (with R·d near N_train it reads 1 whatever the structure). */
  fittedReconstructedAccuracyByRelation: number[];
  /** Subjects the fit was validated on (the held-out part of the split) and fitted on. */
  heldOutSubjects: number;
  fittedSubjects: number;
  /** R² of the fit on the held-out subjects and on the fitted ones. */
  fitHeldOutR2: number;
  fitTrainR2: number;
  /** R·d / fitted subjects, and whether the fit is flagged as interpolating (see `INTERPOLATION_RATIO`). */
  featuresPerSubject: number;
  interpolates: boolean;
  /** The ridge λ of the fit (absolute). */
  lambda: number;
  /** The fitted maps A, (R·d)×d row-major. */
  maps: Float64Array;
}

async function accuracyWithSubjects(model: Model, weights: WeightArrays, subjects: Float32Array, facts: Facts, only?: Int32Array): Promise<number[]> {
  const copy = modelFromArrays(model.config, { ...weights, subjectEmbedding: subjects });
  try {
    const indices = only ? factIndicesOf(only, facts) : undefined;
    return (await evaluateAccuracy(copy, facts, indices ? { indices } : {})).accuracyByRelation;
  } finally {
    disposeModel(copy);
  }
}

/** The fact indices r·N + s of the given subjects, every relation, ascending. */
function factIndicesOf(subjects: Int32Array, facts: Facts): Int32Array {
  const out = new Int32Array(subjects.length * facts.r);
  const sorted = Int32Array.from(subjects).sort();
  for (let rel = 0; rel < facts.r; rel++) for (let i = 0; i < sorted.length; i++) out[rel * sorted.length + i] = rel * facts.n + sorted[i];
  return out;
}

/** Zero-shot transfer (variant 1), after validating the maps on held-out subjects. Leaves `model` untouched. */
export async function zeroShotTransfer(model: Model, facts: Facts, options: ZeroShotOptions): Promise<ZeroShotResult> {
  checkModelFacts(model, facts);
  const d = model.config.d;
  const weights = await readWeights(model);
  const split = options.split ?? subjectSplit(facts.n, facts.seed);
  if (split.train.length === 0) throw new Error('transfer: the split has no subject to fit the maps on');
  const fit = superpositionFromWeights(weights, facts, split, { ridge: options.ridge, control: false });
  const newFacts = transferFacts(facts, options.seed);
  const u = weights.attributeVectors;
  const transferred = superposedEmbeddings(u, fit.maps, newFacts, d);
  const reconstructed = superposedEmbeddings(u, fit.maps, facts, d);
  const heldOut = split.heldOut.length > 0 ? await accuracyWithSubjects(model, weights, reconstructed, facts, split.heldOut) : Array<number>(facts.r).fill(NaN);
  return {
    newFacts,
    accuracyByRelation: await accuracyWithSubjects(model, weights, transferred, newFacts),
    unchangedAccuracyByRelation: (await evaluateAccuracy(model, newFacts)).accuracyByRelation,
    reconstructedAccuracyByRelation: heldOut,
    fittedReconstructedAccuracyByRelation: await accuracyWithSubjects(model, weights, reconstructed, facts, split.train),
    heldOutSubjects: split.heldOut.length,
    fittedSubjects: split.train.length,
    fitHeldOutR2: fit.heldOutR2,
    fitTrainR2: fit.trainR2,
    featuresPerSubject: fit.featuresPerSubject,
    interpolates: fit.interpolates,
    lambda: fit.lambda ?? NaN,
    maps: fit.maps,
  };
}

/**
 * The optimiser of the retraining runs (train.ts's TrainOptions): every setting not given takes the
 * optimiser's default, Adam (lr 0.01) when none is named. `uniformAttention` applies to the run from
 * scratch only: the embeddings-only run keeps the trained model's attention as it is.
 */
export type RetrainOptimizer = Pick<TrainOptions, 'optimizer' | 'lr' | 'momentum' | 'embedLrMult' | 'weightDecay' | 'uniformAttention'>;

export interface RetrainOptions extends RetrainOptimizer {
  /** Seeds the new bijections (as in `zeroShotTransfer`) and the re-initialisation. */
  seed: number;
  /** Step budget of each run. */
  steps: number;
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
  const { optimizer, lr, momentum, embedLrMult, weightDecay, uniformAttention } = options;
  const trainer = new Trainer(model, facts, {
    optimizer,
    lr,
    momentum,
    embedLrMult,
    weightDecay,
    ...(trainOnly ? { trainOnly } : { uniformAttention }),
  });
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
