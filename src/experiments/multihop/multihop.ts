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
import { makeFacts } from '../../core/model/facts';
import { evaluateAccuracy } from '../../core/measure/evaluate';
import type { ModelConfig } from '../../core/model/model';
import { createModel, disposeModel } from '../../core/model/model';
import { deriveSeed } from '../../core/model/prng';
import { optimizerSettings, type OptimizerSettings } from '../../core/training/optimizerSettings';
import { train, Trainer, type LoopResult, type StepStats } from '../../core/training/train';
import { chainOfThought, evaluateQueries, hopQueries, queryCount, singleHopQueries, unseenQueries, type ChainOfThoughtReport, type QueryAccuracy } from './queries';
import { QueryTrainer, trainQueries, type MultihopOptimizer, type QueryStepStats } from './queryTrainer';

export * from './queries';
export * from './queryTrainer';

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

/** Notes the best training accuracy seen in any read step (and its step), and reports the latest one. */
function peakTracker<S extends { step: number; loss: number }>(accuracyOf: (s: S) => number, report: (s: S, accuracy: number) => void | Promise<void>) {
  const peak = {
    accuracy: 0,
    step: 0,
    onProgress: (read: S[]) => {
      for (const s of read) if (accuracyOf(s) > peak.accuracy) Object.assign(peak, { accuracy: accuracyOf(s), step: s.step });
      const last = read[read.length - 1];
      return report(last, accuracyOf(last));
    },
  };
  return peak;
}

function trainingSummary(result: LoopResult<unknown>, peak: { accuracy: number; step: number }, loss: number): MultihopTrainingSummary {
  return {
    steps: result.steps,
    stepsTo100: result.stepsTo100,
    peakAccuracy: peak.accuracy,
    peakStep: peak.step,
    seconds: result.seconds,
    loss,
    diverged: result.diverged !== null,
  };
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
      const meanAccuracy = (x: StepStats) => x.accuracyByRelation.reduce((a, b) => a + b, 0) / r;
      const peak = peakTracker(meanAccuracy, (s, accuracy) => options.onProgress?.('singleHop', s.step, s.loss, accuracy));
      const result = await train(trainer, { maxSteps: steps, readEvery: options.readEvery, stopAt100: true, shouldStop: options.shouldStop, onProgress: peak.onProgress });
      singleReport = await evaluateAccuracy(singleModel, facts);
      singleHopTraining = trainingSummary(result, peak, singleReport.loss);
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
      const peak = peakTracker(accuracyOf, (s, accuracy) => options.onProgress?.('direct', s.step, s.loss, accuracy));
      const result = await trainQueries(trainer, { maxSteps: steps, readEvery: options.readEvery, stopAt100: true, shouldStop: options.shouldStop, onProgress: peak.onProgress });
      direct = await evaluateQueries(directModel, facts, chains);
      directSingle = await evaluateQueries(directModel, facts, single);
      if (unseen) directUnseen = await evaluateQueries(directModel, facts, unseen);
      const loss = (direct.loss * chains.count + directSingle.loss * single.count) / total;
      directTraining = trainingSummary(result, peak, loss);
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
