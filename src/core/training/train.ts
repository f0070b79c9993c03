/**
 * Training of the one-layer model on the fact table: full batch by default, with any of the
 * optimisers of docs/science.md §2 (flatOptimizer.ts; Adam by default).
 *
 * A step's loss and per-relation correct counts stay on the device; `train` reads them back only
 * every `readEvery` steps (GAN Lab style), so the loop does not stall on a readback every step.
 */
import * as tf from '@tensorflow/tfjs';
import type { Facts } from '../model/facts';
import { factArrays } from '../model/facts';
import type { Model, WeightName } from '../model/model';
import { forwardLogits } from '../model/model';
import { FlatOptimizer } from './flatOptimizer';
import { fusedKernelsActive } from './fusedKernels';
import { WholeStep } from './fusedStep';
import type { WasmBackendLike } from './wasmKernels';
import { optimizerSettings, type OptimizerChoice, type OptimizerSettings } from './optimizerSettings';
import { deriveSeed, makeRng, type Rng } from '../model/prng';
import { disposeSingleHopTargets, singleHopApplies, singleHopLossAndGradients, singleHopTargets, type SingleHopTargets } from './singleHopStep';

/** The optimiser (default Adam; every setting not given takes that optimiser's default) and the rest. */
export interface TrainOptions extends OptimizerChoice {
  /**
   * Queries and keys fixed at zero, so attention weighs subject and relation ½, ½ as in the
   * construction (docs/science.md §2, §3); it matters for R ≥ 4 (§9).
   */
  uniformAttention?: boolean;
  /** Facts per step; 0 or ≥ N·R means full batch. */
  batch?: number;
  /** The associative control (docs/science.md §5): subject embeddings stay at their random init. */
  freezeSubjects?: boolean;
  freezeAttributes?: boolean;
  /**
   * Train only these weights; every other one stays frozen (zero-shot transfer's second variant,
   * docs/science.md §4, trains only 'subjectEmbedding'). The freeze switches above still apply on top.
   * Default: every weight.
   */
  trainOnly?: readonly WeightName[];
  /** Seeds minibatch sampling. */
  seed?: number;
  /**
   * Full batch only: compute the gradients with tfjs autodiff through the generic forward pass
   * instead of the hand-written single-hop path (singleHopStep.ts). Same numbers, slower; for
   * checks and benchmarks.
   */
  autodiff?: boolean;
}

/** One step's numbers, read back from the device. */
export interface StepStats {
  /** The step's index: the forward pass ran on the weights after `step` updates. */
  step: number;
  loss: number;
  accuracyByRelation: number[];
}

/**
 * The tables whose rows each see only their own facts' share of the mean loss's gradient and take the
 * optimiser's `embedLrMult` (docs/science.md §2): the subject embeddings (R facts a row) and the attribute
 * vectors U. The relation rows are not among them: each sees N facts, like a dense map, and with the
 * multiplier on them SGD diverged (N=256, R=2, lr 0.1: at ×10 and ×30; docs/science.md).
 */
const EMBEDDING_TABLES: ReadonlySet<WeightName> = new Set(['subjectEmbedding', 'attributeVectors']);

let wholeStepOn = true;

/**
 * Turns the whole-step wasm module (fusedStep.ts) on or off for Trainers made afterwards (tests and
 * the bench compare it with the per-kernel path); on by default. It runs where the per-kernel SIMD
 * kernels would (fusedKernelsActive: the wasm backend, wasm SIMD, those kernels not turned off).
 */
export function setWholeStep(on: boolean): void {
  wholeStepOn = on;
}

export class Trainer {
  readonly model: Model;
  readonly facts: Facts;
  readonly options: TrainOptions;
  /** The tfjs-side optimiser (null when the whole-step module keeps the state). */
  private readonly optimizer: FlatOptimizer | null;
  /** The optimiser and its settings, defaults filled in. */
  readonly optimizerSettings: OptimizerSettings;
  private readonly varList: tf.Variable[];
  private readonly trained: WeightName[];
  /** Set when the hand-written full-batch gradients apply (singleHopStep.ts). */
  private readonly fast: SingleHopTargets | null;
  /** Set when the whole step runs in one wasm module (fusedStep.ts): weights are copied in and out. */
  private readonly whole: WholeStep | null;
  /** The tensor data each variable held when last copied to or from the module. */
  private readonly synced = new Map<WeightName, object>();
  private readonly subjects: tf.Tensor1D;
  private readonly relations: tf.Tensor2D;
  private readonly targets: tf.Tensor1D;
  private readonly fullBatch: boolean;
  private readonly rng: Rng;
  /** Updates applied so far. */
  stepsDone = 0;

  constructor(model: Model, facts: Facts, options: TrainOptions) {
    if (model.config.n !== facts.n || model.config.r !== facts.r) {
      throw new Error(`model (n=${model.config.n}, r=${model.config.r}) does not match facts (n=${facts.n}, r=${facts.r})`);
    }
    this.model = model;
    this.facts = facts;
    this.options = options;
    const total = facts.n * facts.r;
    this.fullBatch = !options.batch || options.batch >= total;
    this.rng = makeRng(deriveSeed(options.seed ?? 0, 'batches'));
    const frozen = new Set<WeightName>();
    if (options.freezeSubjects) frozen.add('subjectEmbedding');
    if (options.freezeAttributes) frozen.add('attributeVectors');
    if (options.uniformAttention) {
      for (const name of ['attention.query', 'attention.key'] as const) {
        frozen.add(name);
        tf.tidy(() => model.weights[name].assign(tf.zerosLike(model.weights[name])));
      }
    }
    const trainable = options.trainOnly ?? (Object.keys(model.weights) as WeightName[]);
    for (const k of trainable) if (!(k in model.weights)) throw new Error(`training: unknown weight ${JSON.stringify(k)}`);
    this.trained = trainable.filter((k) => !frozen.has(k));
    this.varList = this.trained.map((k) => model.weights[k]);
    if (this.varList.length === 0) throw new Error('training: every weight is frozen');
    this.optimizerSettings = optimizerSettings(options.optimizer ?? 'adam', options);
    const multiplier = (name: WeightName) => (EMBEDDING_TABLES.has(name) ? this.optimizerSettings.embedLrMult : 1);
    const arrays = factArrays(facts);
    const wantWhole = this.fullBatch && !options.autodiff && singleHopApplies(model) && wholeStepOn && fusedKernelsActive();
    const rates = Object.fromEntries(this.trained.map((name) => [name, multiplier(name)]));
    this.whole = wantWhole ? WholeStep.create(model.config, arrays.targets, this.optimizerSettings, rates) : null;
    this.optimizer = this.whole ? null : new FlatOptimizer(this.varList, this.optimizerSettings, this.trained.map(multiplier));
    this.subjects = tf.tensor1d(arrays.subjects, 'int32');
    this.relations = tf.tensor2d(arrays.relations, [total, 1], 'int32');
    this.targets = tf.tensor1d(arrays.targets, 'int32');
    this.fast = !this.whole && this.fullBatch && !options.autodiff && singleHopApplies(model) ? singleHopTargets(arrays.targets, facts.n) : null;
  }

  /** Which gradient path `step` takes. */
  get path(): 'single-hop' | 'autodiff' {
    return this.fast || this.whole ? 'single-hop' : 'autodiff';
  }

  /** Where the single-hop step runs: one wasm module call sequence, or tfjs kernels. */
  get engine(): 'whole-step module' | 'tfjs' {
    return this.whole ? 'whole-step module' : 'tfjs';
  }

  /**
   * One optimiser update. Returns, still on the device, [loss, correct_0…correct_{R−1}, seen_0…seen_{R−1}]
   * measured in this step's forward pass (before the update). The caller disposes it.
   */
  step(): tf.Tensor1D {
    if (this.whole) return this.wholeStep(this.whole);
    if (this.fast) return this.fastStep(this.fast);
    const { n, r } = this.facts;
    const batchIndices = this.fullBatch ? null : this.sampleBatch();
    let stats: tf.Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const subjects = batchIndices ? tf.gather(this.subjects, batchIndices) : this.subjects;
      const relations = batchIndices ? tf.gather(this.relations, batchIndices) : this.relations;
      const targets = batchIndices ? tf.gather(this.targets, batchIndices) : this.targets;
      const logits = forwardLogits(this.model, subjects, relations);
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(targets, n), logits) as tf.Scalar;
      const correct = tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32') as tf.Tensor1D;
      if (batchIndices) {
        const rel = relations.reshape([-1]) as tf.Tensor1D;
        const correctByRelation = tf.unsortedSegmentSum(correct, rel, r);
        const seenByRelation = tf.unsortedSegmentSum(tf.onesLike(correct), rel, r);
        stats = tf.keep(tf.concat([loss.reshape([1]), correctByRelation, seenByRelation]) as tf.Tensor1D);
      } else stats = tf.keep(fullBatchStats(loss, correct, r, n));
      return loss;
    }, this.varList);
    this.optimizer!.apply(this.varList.map((x) => grads[x.name]));
    value.dispose();
    tf.dispose(grads);
    batchIndices?.dispose();
    this.stepsDone += 1;
    return stats!;
  }

  private fastStep(targets: SingleHopTargets): tf.Tensor1D {
    const { n, r } = this.facts;
    const stats = tf.tidy(() => {
      const out = singleHopLossAndGradients(this.model, targets);
      this.optimizer!.apply(this.trained.map((name) => out.grads[name]));
      return fullBatchStats(out.loss, out.correct, r, n);
    });
    this.stepsDone += 1;
    return stats;
  }

  /**
   * The step in the wasm module. Weights go in only when their variable holds other data than we last
   * left there (the first step, or someone assigned it). The trained ones come out into the variable's
   * own bytes on the wasm heap when nothing else shares them (a clone of a variable shares its data,
   * and must keep its values), else as a fresh tensor: making 11 tensors a step cost ~15% of S's step.
   */
  private wholeStep(whole: WholeStep): tf.Tensor1D {
    const weights = this.model.weights;
    for (const name of Object.keys(weights) as WeightName[]) {
      if (this.synced.get(name) === weights[name].dataId) continue;
      whole.setWeight(name, weights[name].dataSync() as Float32Array);
      this.synced.set(name, weights[name].dataId);
    }
    const out = whole.step();
    const backend = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackendLike & { refCount(dataId: object): number }) : null;
    for (const name of this.trained) {
      const variable = weights[name];
      if (backend && backend.refCount(variable.dataId) === 1) {
        (backend.typedArrayFromHeap(variable) as Float32Array).set(whole.weight(name));
        continue;
      }
      const value = tf.tensor(whole.weight(name).slice(), variable.shape);
      variable.assign(value);
      value.dispose();
      this.synced.set(name, variable.dataId);
    }
    this.stepsDone += 1;
    const { n, r } = this.facts;
    return tf.tensor1d([out.loss, ...out.correctByRelation, ...new Array<number>(r).fill(n)]);
  }

  private sampleBatch(): tf.Tensor1D {
    const total = this.facts.n * this.facts.r;
    const size = Math.min(this.options.batch!, total);
    const idx = new Int32Array(size);
    for (let i = 0; i < size; i++) idx[i] = this.rng.int(total);
    return tf.tensor1d(idx, 'int32');
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.subjects.dispose();
    this.relations.dispose();
    this.targets.dispose();
    if (this.fast) disposeSingleHopTargets(this.fast);
  }
}

/** [loss, correct_0…correct_{R−1}, seen_0…seen_{R−1}] of a full batch (facts relation-major). */
function fullBatchStats(loss: tf.Scalar, correct: tf.Tensor1D, r: number, n: number): tf.Tensor1D {
  return tf.concat([loss.reshape([1]), correct.reshape([r, n]).sum(1), tf.fill([r], n)]) as tf.Tensor1D;
}

/** Turns a read-back stats vector into numbers. */
export function decodeStats(step: number, values: Float32Array | ArrayLike<number>, r: number): StepStats {
  const accuracyByRelation: number[] = [];
  for (let i = 0; i < r; i++) accuracyByRelation.push(values[1 + r + i] > 0 ? values[1 + i] / values[1 + r + i] : NaN);
  return { step, loss: values[0], accuracyByRelation };
}

/** Anything that takes one optimiser step and returns that step's stats, still on the device. */
export interface Stepper {
  stepsDone: number;
  step(): tf.Tensor1D;
}

/**
 * Runs `count` steps and reads all their stats back in one transfer. Returns the step index of each
 * and the read-back rows (row i = values.subarray(i·width, (i+1)·width)).
 */
export async function stepAndRead(stepper: Stepper, count: number): Promise<{ steps: number[]; values: Float32Array }> {
  const steps: number[] = [];
  const stats: tf.Tensor1D[] = [];
  try {
    for (let i = 0; i < count; i++) {
      steps.push(stepper.stepsDone);
      stats.push(stepper.step());
    }
    const stacked = tf.stack(stats);
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    return { steps, values };
  } finally {
    tf.dispose(stats);
  }
}

export interface LoopOptions<S> {
  maxSteps: number;
  /** Read the device every this many steps (default 10). */
  readEvery?: number;
  /** Stop as soon as a forward pass classifies every training query correctly. */
  stopAt100?: boolean;
  /** Called after every readback with the steps read since the last one. */
  onProgress?: (stats: S[]) => void | Promise<void>;
  /** Polled between chunks; return true to stop early. */
  shouldStop?: () => boolean;
}

export interface LoopResult<S> {
  steps: number;
  /** Updates after which every training query was first right; null if never. */
  stepsTo100: number | null;
  last: S | null;
  /** Set when the loss became NaN or infinite. */
  diverged: S | null;
  seconds: number;
}

/** What one readback says: every step's numbers, the first step with every query right, the first divergence. */
export interface StatsScan<S> {
  /** Every row of the readback, decoded, in step order. */
  read: S[];
  /** The first step of `read` at which every training query was right; null if none (or not looked for). */
  first100: S | null;
  /** The first step of `read` whose loss is NaN or infinite; null if none. */
  diverged: S | null;
}

/**
 * Decodes a readback of `stepAndRead` (row i = values.subarray(i·width, (i+1)·width)) and finds in it
 * the first step with every query right (only when `look100`) and the first whose loss is not finite.
 * The one scan of per-step stats that the training loop below and the training worker share.
 */
export function scanStats<S extends { step: number; loss: number }>(
  readback: { steps: number[]; values: Float32Array },
  width: number,
  decode: (step: number, row: Float32Array) => S,
  allRight: (s: S) => boolean,
  look100 = true,
): StatsScan<S> {
  const { steps, values } = readback;
  const read = steps.map((step, i) => decode(step, values.subarray(i * width, (i + 1) * width)));
  let first100: S | null = null;
  let diverged: S | null = null;
  for (const s of read) {
    if (look100 && first100 === null && allRight(s)) first100 = s;
    if (!Number.isFinite(s.loss) && !diverged) diverged = s;
  }
  return { read, first100, diverged };
}

/** The training loop shared by every trainer: chunks of steps, one readback per chunk. */
export async function runLoop<S extends { step: number; loss: number }>(
  stepper: Stepper,
  decode: (step: number, row: Float32Array) => S,
  width: number,
  allRight: (s: S) => boolean,
  options: LoopOptions<S>,
): Promise<LoopResult<S>> {
  const readEvery = options.readEvery ?? 10;
  const started = performance.now();
  let stepsTo100: number | null = null;
  let last: S | null = null;
  let diverged: S | null = null;
  while (stepper.stepsDone < options.maxSteps && !options.shouldStop?.()) {
    const readback = await stepAndRead(stepper, Math.min(readEvery, options.maxSteps - stepper.stepsDone));
    const scan: StatsScan<S> = scanStats(readback, width, decode, allRight, stepsTo100 === null);
    if (scan.first100) stepsTo100 = scan.first100.step;
    diverged ??= scan.diverged;
    last = scan.read[scan.read.length - 1];
    await options.onProgress?.(scan.read);
    if (diverged) break;
    if (options.stopAt100 && allRight(last)) break;
  }
  return { steps: stepper.stepsDone, stepsTo100, last, diverged, seconds: (performance.now() - started) / 1000 };
}

export type TrainLoopOptions = LoopOptions<StepStats>;
export type TrainLoopResult = LoopResult<StepStats>;

/** Every training query right, in one step's stats. */
export const allCorrect = (s: StepStats): boolean => s.accuracyByRelation.every((a) => a === 1);

/** Width of a Trainer's stats row for R relations: [loss, correct by relation, seen by relation]. */
export const statsWidth = (r: number): number => 1 + 2 * r;

/** scanStats for a Trainer's readback (R relations). */
export function scanTrainStats(readback: { steps: number[]; values: Float32Array }, r: number, look100 = true): StatsScan<StepStats> {
  return scanStats(readback, statsWidth(r), (step, row) => decodeStats(step, row, r), allCorrect, look100);
}

export async function train(trainer: Trainer, options: TrainLoopOptions): Promise<TrainLoopResult> {
  const r = trainer.facts.r;
  return runLoop(trainer, (step, row) => decodeStats(step, row, r), statsWidth(r), allCorrect, options);
}
