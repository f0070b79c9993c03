/**
 * Full-batch training on several query groups at once (the direct multi-hop model of
 * docs/science.md §6), with any optimiser of §2, through core's runLoop.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model, WeightName } from '../../core/model/model';
import { forwardLogits } from '../../core/model/model';
import { FlatOptimizer } from '../../core/training/flatOptimizer';
import { optimizerSettings, type OptimizerSettings } from '../../core/training/optimizerSettings';
import { runLoop, type LoopOptions, type LoopResult, type TrainOptions } from '../../core/training/train';
import type { QueryGroup } from './queries';

/** The optimiser of a multihop run (train.ts's TrainOptions); every setting not given takes its optimiser's default (Adam by default). */
export type MultihopOptimizer = Pick<TrainOptions, 'optimizer' | 'lr' | 'momentum' | 'embedLrMult' | 'weightDecay' | 'uniformAttention'>;

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
