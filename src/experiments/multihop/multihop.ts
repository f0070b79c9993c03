/**
 * Multi-hop queries and chain of thought (docs/science.md §6).
 *
 * A k-hop query [s, r1, …, rk] asks π_rk(…π_r1(s)). Queries of one length form a `QueryGroup`; the
 * queries of all N·R^k chains are indexed chain-major: index = c·N + s, where the chain
 * c = r1·R^{k−1} + … + rk (so k = 1 is exactly the fact layout r·N + s of facts.ts).
 *
 * - Direct: one model (seqLen = k+1) trained on several groups at once (single hops and k-hop chains),
 *   each group its own forward pass, the loss the mean cross-entropy over all queries; it answers a
 *   k-hop query in one forward pass.
 * - Chain of thought: a single-hop model f answers hop by hop, y1 = argmax f(s, r1),
 *   y2 = argmax f(y1, r2), …; it needs no capacity beyond single hop.
 *
 * Our choices: Adam (lr 0.01) unless other optimiser settings are given (the flat optimiser of
 * flatOptimizer.ts for both models, each setting at the optimiser's default when not given), full
 * batch, every query weighted equally (so with all chains the k-hop queries
 * outnumber the single hops R^{k−1} to 1); both models of `multihopExperiment` start from
 * `initialWeights` of the run's seed and get the same step budget, and stop at the first step with
 * every training query right.
 */
import * as tf from '@tensorflow/tfjs';
import type { Facts } from '../../core/model/facts';
import { makeFacts } from '../../core/model/facts';
import { evaluateAccuracy, sampleFactIndices } from '../../core/measure/evaluate';
import type { Model, ModelConfig, WeightName } from '../../core/model/model';
import { createModel, disposeModel, forwardLogits } from '../../core/model/model';
import { deriveSeed } from '../../core/model/prng';
import { FlatOptimizer } from '../../core/training/flatOptimizer';
import { optimizerSettings, type OptimizerSettings } from '../../core/training/optimizerSettings';
import { runLoop, train, Trainer, type LoopOptions, type LoopResult, type TrainOptions } from '../../core/training/train';

/** The optimiser of a multihop run (train.ts's TrainOptions); every setting not given takes its optimiser's default (Adam by default). */
export type MultihopOptimizer = Pick<TrainOptions, 'optimizer' | 'lr' | 'momentum' | 'embedLrMult' | 'weightDecay' | 'uniformAttention'>;

/** Queries of one length: subject s, relations r1…rk, answer π_rk(…π_r1(s)). */
export interface QueryGroup {
  hops: number;
  count: number;
  /** Chain-major index c·N + s of each query (see the file comment). */
  indices: Int32Array;
  subjects: Int32Array;
  /** [count × hops], row-major. */
  relations: Int32Array;
  targets: Int32Array;
}

/** Largest query set built without sampling. */
export const MAX_QUERIES = 2 ** 24;

/** π_rk(…π_r1(s)). */
export function chainAnswer(facts: Facts, subject: number, relations: ArrayLike<number>): number {
  let x = subject;
  for (let i = 0; i < relations.length; i++) x = facts.permutations[relations[i]][x];
  return x;
}

/** Number of k-hop queries: N·R^k. */
export function queryCount(n: number, r: number, hops: number): number {
  return n * r ** hops;
}

export interface QueryOptions {
  /** Keep only this many distinct queries, drawn uniformly (seeded); all when omitted or ≥ N·R^k. */
  sample?: number;
  seed?: number;
}

/** All N·R^k queries with k = `hops`, or a seeded uniform sample of them (sorted by index). */
export function hopQueries(facts: Facts, hops: number, options: QueryOptions = {}): QueryGroup {
  const { n, r } = facts;
  if (!Number.isInteger(hops) || hops < 1) throw new Error(`queries: hops must be a positive integer, got ${hops}`);
  const total = queryCount(n, r, hops);
  const sampled = options.sample !== undefined && options.sample < total;
  if (!sampled && total > MAX_QUERIES) throw new Error(`queries: N·R^${hops} = ${total} queries; sample at most ${MAX_QUERIES}`);
  if (sampled && !(Number.isSafeInteger(total) && options.sample! >= 1)) throw new Error(`queries: cannot sample ${options.sample} of ${total}`);
  const indices = sampled ? sampleFactIndices(total, options.sample!, options.seed ?? 0) : Int32Array.from({ length: total }, (_, i) => i);
  return queriesAt(facts, hops, indices);
}

/** The k-hop queries with the given chain-major indices c·N + s, in that order. */
export function queriesAt(facts: Facts, hops: number, indices: Int32Array): QueryGroup {
  const { n, r } = facts;
  const count = indices.length;
  const subjects = new Int32Array(count);
  const relations = new Int32Array(count * hops);
  const targets = new Int32Array(count);
  for (let q = 0; q < count; q++) {
    const index = indices[q];
    let chain = Math.floor(index / n);
    const s = index - chain * n;
    for (let i = hops - 1; i >= 0; i--) {
      relations[q * hops + i] = chain % r;
      chain = Math.floor(chain / r);
    }
    if (chain !== 0 || s < 0) throw new Error(`queries: index ${index} is out of range for N=${n}, R=${r}, ${hops} hops`);
    subjects[q] = s;
    targets[q] = chainAnswer(facts, s, relations.subarray(q * hops, (q + 1) * hops));
  }
  return { hops, count, indices, subjects, relations, targets };
}

/**
 * Up to `limit` k-hop queries that are NOT in `group` (a seeded uniform sample of the rest, sorted):
 * held-out chains, to tell memorised chains from composed ones.
 */
export function unseenQueries(facts: Facts, group: QueryGroup, limit: number, seed: number): QueryGroup {
  const total = queryCount(facts.n, facts.r, group.hops);
  const rest = total - group.count;
  if (!Number.isSafeInteger(total) || rest < 0) throw new Error(`queries: cannot take the complement of ${group.count} of ${total}`);
  const picks = sampleFactIndices(rest, Math.min(limit, rest), seed); // ranks among the unseen indices
  const seen = Int32Array.from(group.indices).sort();
  const indices = new Int32Array(picks.length);
  // The j-th unseen index is j + (number of seen indices ≤ it); walk both sorted lists.
  let k = 0;
  for (let i = 0; i < picks.length; i++) {
    let candidate = picks[i] + k;
    while (k < seen.length && seen[k] <= candidate) {
      k += 1;
      candidate = picks[i] + k;
    }
    indices[i] = candidate;
  }
  return queriesAt(facts, group.hops, indices);
}

/** The N·R single hops as a query group (index r·N + s, as facts.ts). */
export function singleHopQueries(facts: Facts): QueryGroup {
  return hopQueries(facts, 1);
}

/** Index of a query's chain (r1·R^{k−1} + … + rk). */
function chainOf(group: QueryGroup, q: number, n: number): number {
  return Math.floor(group.indices[q] / n);
}

export interface QueryAccuracy {
  /** Fraction of the group's queries answered right. */
  accuracy: number;
  /** Accuracy per chain (r1, …, rk), index r1·R^{k−1} + … + rk (NaN for a chain with no query). */
  accuracyByChain: number[];
  /** Mean cross-entropy (NaN for chain of thought, which has no single distribution). */
  loss: number;
  count: number;
}

function tally(group: QueryGroup, predicted: ArrayLike<number>, n: number, r: number): Omit<QueryAccuracy, 'loss'> {
  const chains = r ** group.hops;
  const correct = new Float64Array(chains);
  const seen = new Float64Array(chains);
  let right = 0;
  for (let q = 0; q < group.count; q++) {
    const c = chainOf(group, q, n);
    seen[c] += 1;
    if (predicted[q] === group.targets[q]) {
      correct[c] += 1;
      right += 1;
    }
  }
  return {
    accuracy: group.count > 0 ? right / group.count : NaN,
    accuracyByChain: Array.from(correct, (x, c) => (seen[c] > 0 ? x / seen[c] : NaN)),
    count: group.count,
  };
}

function defaultBatch(model: Model): number {
  return Math.max(1, Math.min(4096, Math.floor(8_388_608 / Math.max(model.config.n, model.config.m))));
}

/** Argmax answers of `model` for a batch of queries: subjects [B], relations [B × hops] row-major. */
async function answerBatch(model: Model, subjects: Int32Array, relations: Int32Array, hops: number): Promise<Int32Array> {
  const size = subjects.length;
  const predicted = tf.tidy(() => tf.argMax(forwardLogits(model, tf.tensor1d(subjects, 'int32'), tf.tensor2d(relations, [size, hops], 'int32')), 1));
  const values = (await predicted.data()) as Int32Array;
  predicted.dispose();
  return values;
}

/** Accuracy of a model answering every query of the group in one forward pass. */
export async function evaluateQueries(model: Model, facts: Facts, group: QueryGroup, options: { batchSize?: number } = {}): Promise<QueryAccuracy> {
  const { n, r } = facts;
  const batch = options.batchSize ?? defaultBatch(model);
  const predicted = new Int32Array(group.count);
  let lossSum = 0;
  for (let start = 0; start < group.count; start += batch) {
    const size = Math.min(batch, group.count - start);
    const rel = group.relations.subarray(start * group.hops, (start + size) * group.hops);
    const [answers, loss] = tf.tidy(() => {
      const logits = forwardLogits(model, tf.tensor1d(group.subjects.subarray(start, start + size), 'int32'), tf.tensor2d(rel, [size, group.hops], 'int32'));
      const target = tf.oneHot(tf.tensor1d(group.targets.subarray(start, start + size), 'int32'), n);
      return [tf.argMax(logits, 1), tf.neg(tf.mul(tf.logSoftmax(logits), target).sum())];
    });
    predicted.set((await answers.data()) as Int32Array, start);
    lossSum += (await loss.data())[0];
    tf.dispose([answers, loss]);
  }
  return { ...tally(group, predicted, n, r), loss: group.count > 0 ? lossSum / group.count : NaN };
}

export interface ChainOfThoughtReport extends QueryAccuracy {
  /** hopAccuracy[i]: fraction of queries whose answer after hop i+1 is the true intermediate. */
  hopAccuracy: number[];
}

/**
 * Chain of thought with a single-hop model: y1 = argmax f(s, r1), y2 = argmax f(y1, r2), … Each hop
 * is a batch of single-hop forward passes ([B, 1] relations); the answer after the last hop is scored.
 */
export async function chainOfThought(model: Model, facts: Facts, group: QueryGroup, options: { batchSize?: number } = {}): Promise<ChainOfThoughtReport> {
  const { n, r } = facts;
  const k = group.hops;
  const batch = options.batchSize ?? defaultBatch(model);
  let current = Int32Array.from(group.subjects);
  let truth = Int32Array.from(group.subjects);
  const hopRight: number[] = [];
  for (let hop = 0; hop < k; hop++) {
    const column = Int32Array.from({ length: group.count }, (_, q) => group.relations[q * k + hop]);
    const next = new Int32Array(group.count);
    for (let start = 0; start < group.count; start += batch) {
      const end = Math.min(group.count, start + batch);
      next.set(await answerBatch(model, current.subarray(start, end), column.subarray(start, end), 1), start);
    }
    truth = Int32Array.from(truth, (x, q) => facts.permutations[column[q]][x]);
    let right = 0;
    for (let q = 0; q < group.count; q++) if (next[q] === truth[q]) right += 1;
    hopRight.push(group.count > 0 ? right / group.count : NaN);
    current = next;
  }
  return { ...tally(group, current, n, r), loss: NaN, hopAccuracy: hopRight };
}

export interface QueryTrainOptions extends MultihopOptimizer {
  /** Train only these weights (default: all). */
  trainOnly?: readonly WeightName[];
}

/**
 * The tables that take the optimiser's `embedLrMult`, as in train.ts: the subject embeddings and the
 * attribute vectors U, whose rows each see only their own queries' share of the mean loss's gradient.
 */
const EMBEDDING_TABLES: ReadonlySet<WeightName> = new Set(['subjectEmbedding', 'attributeVectors']);

/**
 * Full batch over several query groups, with any optimiser of docs/science.md §2 (Adam by default): each
 * group is its own forward pass (its own sequence length), the loss is the mean cross-entropy over
 * all queries of all groups.
 */
export class QueryTrainer {
  readonly model: Model;
  readonly groups: readonly QueryGroup[];
  /** The optimiser and its settings, defaults filled in. */
  readonly optimizerSettings: OptimizerSettings;
  private readonly optimizer: FlatOptimizer;
  private readonly varList: tf.Variable[];
  private readonly tensors: { subjects: tf.Tensor1D; relations: tf.Tensor2D; targets: tf.Tensor1D }[];
  private readonly total: number;
  stepsDone = 0;

  constructor(model: Model, groups: readonly QueryGroup[], options: QueryTrainOptions = {}) {
    if (groups.length === 0) throw new Error('query training: no query groups');
    const longest = Math.max(...groups.map((g) => g.hops));
    if (longest + 1 > model.config.seqLen) throw new Error(`query training: ${longest}-hop queries need seqLen ≥ ${longest + 1}, the model has ${model.config.seqLen}`);
    this.model = model;
    this.groups = groups;
    this.total = groups.reduce((sum, g) => sum + g.count, 0);
    if (this.total === 0) throw new Error('query training: no queries');
    const frozen = new Set<WeightName>();
    if (options.uniformAttention) {
      for (const name of ['attention.query', 'attention.key'] as const) {
        frozen.add(name);
        tf.tidy(() => model.weights[name].assign(tf.zerosLike(model.weights[name])));
      }
    }
    const names = (options.trainOnly ?? (Object.keys(model.weights) as WeightName[])).filter((k) => !frozen.has(k));
    if (names.length === 0) throw new Error('query training: every weight is frozen');
    this.varList = names.map((k) => model.weights[k]);
    this.optimizerSettings = optimizerSettings(options.optimizer ?? 'adam', options);
    this.optimizer = new FlatOptimizer(
      this.varList,
      this.optimizerSettings,
      names.map((k) => (EMBEDDING_TABLES.has(k) ? this.optimizerSettings.embedLrMult : 1)),
    );
    this.tensors = groups.map((g) => ({
      subjects: tf.tensor1d(g.subjects, 'int32'),
      relations: tf.tensor2d(g.relations, [g.count, g.hops], 'int32'),
      targets: tf.tensor1d(g.targets, 'int32'),
    }));
  }

  /**
   * One optimiser update. Returns, on the device, [loss, correct_0 … correct_{G−1}] from this step's forward
   * passes (before the update), correct_g counting group g's right answers. The caller disposes it.
   */
  step(): tf.Tensor1D {
    const n = this.model.config.n;
    let stats: tf.Tensor1D | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const losses: tf.Scalar[] = [];
      const correct: tf.Tensor1D[] = [];
      for (const t of this.tensors) {
        const logits = forwardLogits(this.model, t.subjects, t.relations);
        losses.push(tf.neg(tf.mul(tf.logSoftmax(logits), tf.oneHot(t.targets, n)).sum()) as tf.Scalar);
        correct.push(tf.cast(tf.equal(tf.argMax(logits, 1), t.targets), 'float32').sum().reshape([1]));
      }
      const loss = tf.div(tf.addN(losses), this.total) as tf.Scalar;
      stats = tf.keep(tf.concat([loss.reshape([1]), ...correct]) as tf.Tensor1D);
      return loss;
    }, this.varList);
    this.optimizer.apply(this.varList.map((x) => grads[x.name]));
    value.dispose();
    tf.dispose(grads);
    this.stepsDone += 1;
    return stats!;
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const t of this.tensors) tf.dispose([t.subjects, t.relations, t.targets]);
  }
}

export interface QueryStepStats {
  step: number;
  loss: number;
  /** Training accuracy of each group in this step's forward pass. */
  accuracyByGroup: number[];
}

export type QueryTrainResult = LoopResult<QueryStepStats>;

export async function trainQueries(trainer: QueryTrainer, options: LoopOptions<QueryStepStats>): Promise<QueryTrainResult> {
  const groups = trainer.groups;
  const decode = (step: number, row: Float32Array): QueryStepStats => ({
    step,
    loss: row[0],
    accuracyByGroup: groups.map((g, j) => row[1 + j] / g.count),
  });
  return runLoop(trainer, decode, 1 + groups.length, (s) => s.accuracyByGroup.every((a) => a === 1), options);
}

export interface MultihopOptions extends MultihopOptimizer {
  n: number;
  r: number;
  d: number;
  /** MLP width (default 256). */
  m?: number;
  heads?: number;
  /** Hops of the chain queries (default 2). */
  hops?: number;
  /** Step budget of each model. */
  steps: number;
  seed: number;
  /** Train and score the direct model (and chain of thought) on this many sampled chains; all by default. */
  sample?: number;
  readEvery?: number;
  /** Called after every readback: which model, the step, its loss and training accuracy (mean over groups, weighted by size); awaited. */
  onProgress?: (model: 'singleHop' | 'direct', step: number, loss: number, accuracy: number) => void | Promise<void>;
  /** Polled between readbacks; once true, both trainings stop early and the result says `cancelled`. */
  shouldStop?: () => boolean;
}

export interface MultihopTrainingSummary {
  steps: number;
  stepsTo100: number | null;
  /**
   * Best training accuracy (over all of the model's training queries, in a step's forward pass) and
   * the step it was seen at: Adam with lr 0.01 can spike late and lose much of it, which the final
   * accuracy alone would hide.
   */
  peakAccuracy: number;
  peakStep: number;
  seconds: number;
  loss: number;
  diverged: boolean;
}

export interface MultihopResult {
  /**
   * `lr` and the rest of the optimiser's settings with its defaults filled in, and whether attention
   * was uniform (`multihopExperiment` fills in all; optional for results saved before they existed).
   */
  config: { n: number; r: number; d: number; m: number; heads: number; hops: number; steps: number; seed: number; lr: number } & Partial<
    Omit<OptimizerSettings, 'lr'> & { uniformAttention: boolean }
  >;
  /** Chain queries used (all N·R^k unless sampled). */
  chainQueries: number;
  sampled: boolean;
  /** Single-hop model (seqLen 2), trained on the N·R single hops: its mean accuracy and per relation. */
  singleHopAccuracy: number;
  singleHopAccuracyByRelation: number[];
  /** Chain of thought with that model on the chains. */
  cotAccuracy: number;
  /** Accuracy of chain of thought after each hop (hop 1 = single-hop accuracy on the chains' first relations). */
  cotHopAccuracy: number[];
  cotAccuracyByChain: number[];
  /** Direct model (seqLen k+1), trained on single hops + chains: accuracy on the chains in one pass. */
  directAccuracy: number;
  directAccuracyByChain: number[];
  /** The direct model's accuracy on the single hops. */
  directSingleHopAccuracy: number;
  /**
   * Only when the chains were sampled: accuracy on up to as many chains that were not trained on
   * (held-out composition), for the direct model and for chain of thought.
   */
  unseenChains?: { count: number; directAccuracy: number; cotAccuracy: number };
  singleHopTraining: MultihopTrainingSummary;
  directTraining: MultihopTrainingSummary;
  /** Set when `shouldStop` ended a training early: the numbers are of partly trained models. */
  cancelled?: true;
}

/** Both ways of answering k-hop queries at one (N, R, d, m): chain of thought and direct (docs/science.md §6). */
export async function multihopExperiment(options: MultihopOptions): Promise<MultihopResult> {
  const { n, r, d, steps, seed } = options;
  const m = options.m ?? 256;
  const heads = options.heads ?? 1;
  const hops = options.hops ?? 2;
  const { optimizer, lr, momentum, embedLrMult, weightDecay } = options;
  const uniformAttention = options.uniformAttention ?? false;
  const settings = optimizerSettings(optimizer ?? 'adam', { lr, momentum, embedLrMult, weightDecay });
  const optimizerOptions: MultihopOptimizer = { ...settings, uniformAttention };
  const facts = makeFacts(n, r, seed);
  const single = singleHopQueries(facts);
  const chains = hopQueries(facts, hops, { sample: options.sample, seed });
  const sampled = chains.count < queryCount(n, r, hops);
  const unseen = sampled ? unseenQueries(facts, chains, chains.count, deriveSeed(seed, 'unseen')) : null;

  // Chain of thought: a single-hop model trained on the single hops only (the usual Trainer).
  const singleConfig: ModelConfig = { n, r, d, m, heads, seqLen: 2 };
  const singleModel = createModel(singleConfig, seed);
  let singleHopTraining: MultihopTrainingSummary;
  let singleReport: Awaited<ReturnType<typeof evaluateAccuracy>>;
  let cot: ChainOfThoughtReport;
  let cotUnseen: QueryAccuracy | null = null;
  let directUnseen: QueryAccuracy | null = null;
  try {
    const trainer = new Trainer(singleModel, facts, optimizerOptions);
    try {
      const peak = { accuracy: 0, step: 0 };
      const result = await train(trainer, {
        maxSteps: steps,
        readEvery: options.readEvery,
        stopAt100: true,
        shouldStop: options.shouldStop,
        onProgress: (read) => {
          for (const s of read) {
            const acc = s.accuracyByRelation.reduce((a, b) => a + b, 0) / r;
            if (acc > peak.accuracy) Object.assign(peak, { accuracy: acc, step: s.step });
          }
          const s = read[read.length - 1];
          return options.onProgress?.('singleHop', s.step, s.loss, s.accuracyByRelation.reduce((a, b) => a + b, 0) / r);
        },
      });
      singleReport = await evaluateAccuracy(singleModel, facts);
      singleHopTraining = {
        steps: result.steps,
        stepsTo100: result.stepsTo100,
        peakAccuracy: peak.accuracy,
        peakStep: peak.step,
        seconds: result.seconds,
        loss: singleReport.loss,
        diverged: result.diverged !== null,
      };
    } finally {
      trainer.dispose();
    }
    cot = await chainOfThought(singleModel, facts, chains);
    if (unseen) cotUnseen = await chainOfThought(singleModel, facts, unseen);
  } finally {
    disposeModel(singleModel);
  }

  // Direct: one model with seqLen k+1 trained on single hops and chains together.
  const directModel = createModel({ ...singleConfig, seqLen: hops + 1 }, seed);
  let directTraining: MultihopTrainingSummary;
  let direct: QueryAccuracy;
  let directSingle: QueryAccuracy;
  try {
    const trainer = new QueryTrainer(directModel, [single, chains], optimizerOptions);
    try {
      const total = single.count + chains.count;
      const accuracyOf = (s: QueryStepStats) => (s.accuracyByGroup[0] * single.count + s.accuracyByGroup[1] * chains.count) / total;
      const peak = { accuracy: 0, step: 0 };
      const result = await trainQueries(trainer, {
        maxSteps: steps,
        readEvery: options.readEvery,
        stopAt100: true,
        shouldStop: options.shouldStop,
        onProgress: (read) => {
          for (const s of read) if (accuracyOf(s) > peak.accuracy) Object.assign(peak, { accuracy: accuracyOf(s), step: s.step });
          const s = read[read.length - 1];
          return options.onProgress?.('direct', s.step, s.loss, accuracyOf(s));
        },
      });
      direct = await evaluateQueries(directModel, facts, chains);
      directSingle = await evaluateQueries(directModel, facts, single);
      if (unseen) directUnseen = await evaluateQueries(directModel, facts, unseen);
      const loss = (direct.loss * chains.count + directSingle.loss * single.count) / total;
      directTraining = {
        steps: result.steps,
        stepsTo100: result.stepsTo100,
        peakAccuracy: peak.accuracy,
        peakStep: peak.step,
        seconds: result.seconds,
        loss,
        diverged: result.diverged !== null,
      };
    } finally {
      trainer.dispose();
    }
  } finally {
    disposeModel(directModel);
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    config: { n, r, d, m, heads, hops, steps, seed, ...settings, uniformAttention },
    chainQueries: chains.count,
    sampled,
    singleHopAccuracy: mean(singleReport.accuracyByRelation),
    singleHopAccuracyByRelation: singleReport.accuracyByRelation,
    cotAccuracy: cot.accuracy,
    cotHopAccuracy: cot.hopAccuracy,
    cotAccuracyByChain: cot.accuracyByChain,
    directAccuracy: direct.accuracy,
    directAccuracyByChain: direct.accuracyByChain,
    directSingleHopAccuracy: directSingle.accuracy,
    ...(unseen && directUnseen && cotUnseen
      ? { unseenChains: { count: unseen.count, directAccuracy: directUnseen.accuracy, cotAccuracy: cotUnseen.accuracy } }
      : {}),
    singleHopTraining,
    directTraining,
    ...(options.shouldStop?.() ? { cancelled: true as const } : {}),
  };
}
