/**
 * The one-layer transformer of docs/science.md §2, in tfjs, for Node and the browser worker alike.
 *
 * Convention: activations are row vectors and every matrix acts on the right (x·W), so `mlp.in` is
 * W1ᵀ of the paper's notation. `attributeVectors` is U ∈ R^{N×d}: row a is the attribute vector u_a.
 *
 * Sequence [s, r1, …, rk]: position 0 holds a subject (an entity), positions 1… hold relations.
 * Only the last position is read, and under the causal mask it attends to every position, so the
 * attention is computed for the last query only.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, makeRng } from './prng';
import { WEIGHT_NAMES, weightShapes, type ModelConfig, type WeightArrays, type WeightName } from './shapes';

export { WEIGHT_NAMES, weightShapes, parameterCount } from './shapes';
export type { ModelConfig, WeightName, WeightArrays } from './shapes';

export interface Model {
  config: ModelConfig;
  weights: Record<WeightName, tf.Variable>;
}

export function checkConfig(c: ModelConfig): void {
  for (const key of ['n', 'r', 'd', 'm', 'heads', 'seqLen'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new Error(`model config: ${key} must be a positive integer, got ${c[key]}`);
  }
  if (c.n < 2) throw new Error(`model config: n must be at least 2, got ${c.n}`);
  if (c.seqLen < 2) throw new Error(`model config: seqLen must be at least 2, got ${c.seqLen}`);
  if (c.d % c.heads !== 0) throw new Error(`model config: d (${c.d}) must be a multiple of heads (${c.heads})`);
}

export interface InitOptions {
  /**
   * The associative control (docs/science.md §5): subject embeddings that stay frozen are a random code
   * of unit expected norm, N(0, 1/d) per coordinate, as in Nichani et al.
   */
  frozenSubjects?: boolean;
}

/**
 * Learned subject embeddings start this much smaller than N(0, 1/d) (our choice). From a small start
 * the embeddings are mostly what gradient descent wrote into them; in our measurements (N=128, R=4,
 * d=24, three seeds) this raised the superposition R² from ≈0.4 to ≈0.7 and the held-out probe
 * accuracy from ≈0.14 to ≈0.2, at the same speed to 100%. Scales from 0.1 to 0.001 behave alike.
 */
export const LEARNED_SUBJECT_INIT = 0.01;

/**
 * Seeded initial weights, generated in plain JS so every backend (and the PyTorch reference) starts
 * from the same numbers. Relation and position embeddings and attribute vectors have unit expected
 * norm; learned subject embeddings start small (LEARNED_SUBJECT_INIT); linear maps are scaled by
 * 1/√fan_in so activations keep their scale.
 */
export function initialWeights(c: ModelConfig, seed: number, options: InitOptions = {}): WeightArrays {
  checkConfig(c);
  const rng = makeRng(deriveSeed(seed, 'init'));
  const shapes = weightShapes(c);
  const scale: Record<WeightName, number> = {
    subjectEmbedding: (options.frozenSubjects ? 1 : LEARNED_SUBJECT_INIT) / Math.sqrt(c.d),
    relationEmbedding: 1 / Math.sqrt(c.d),
    positionEmbedding: 1 / Math.sqrt(c.d),
    'attention.query': 1 / Math.sqrt(c.d),
    'attention.key': 1 / Math.sqrt(c.d),
    'attention.value': 1 / Math.sqrt(c.d),
    'attention.output': 1 / Math.sqrt(c.d),
    'mlp.in': 1 / Math.sqrt(c.d),
    'mlp.bias': 0,
    'mlp.out': 1 / Math.sqrt(c.m),
    attributeVectors: 1 / Math.sqrt(c.d),
  };
  const out = {} as WeightArrays;
  for (const name of WEIGHT_NAMES) {
    const size = shapes[name].reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const s = scale[name];
    if (s !== 0) for (let i = 0; i < size; i++) data[i] = rng.normal() * s;
    out[name] = data;
  }
  return out;
}

/** Makes a model whose variables hold the given arrays (copied). */
export function modelFromArrays(config: ModelConfig, arrays: WeightArrays): Model {
  checkConfig(config);
  const shapes = weightShapes(config);
  const weights = {} as Record<WeightName, tf.Variable>;
  for (const name of WEIGHT_NAMES) {
    const size = shapes[name].reduce((a, b) => a * b, 1);
    if (arrays[name].length !== size) {
      throw new Error(`weight ${name}: expected ${size} numbers for shape [${shapes[name]}], got ${arrays[name].length}`);
    }
    // Create the initial value inside tidy so the temporary does not leak (FINDINGS.md).
    weights[name] = tf.tidy(() => tf.variable(tf.tensor(arrays[name], shapes[name], 'float32'), true, undefined));
  }
  return { config, weights };
}

export function createModel(config: ModelConfig, seed: number, options: InitOptions = {}): Model {
  return modelFromArrays(config, initialWeights(config, seed, options));
}

export function disposeModel(model: Model): void {
  for (const name of WEIGHT_NAMES) model.weights[name].dispose();
}

/** Reads every weight back into plain arrays. */
export async function readWeights(model: Model): Promise<WeightArrays> {
  const out = {} as WeightArrays;
  for (const name of WEIGHT_NAMES) out[name] = (await model.weights[name].data()) as Float32Array;
  return out;
}

export interface Activations {
  /** h = x_last + Attn(x)_last, [B, d]. */
  residual: tf.Tensor2D;
  /** MLP pre-activations W1·h + b1, [B, m]. */
  preActivation: tf.Tensor2D;
  /** Attribute logits U·z, [B, N]. */
  logits: tf.Tensor2D;
}

/**
 * The forward pass for a batch of queries. `subjects` [B] int32; `relations` [B, k] int32 (k hops).
 * `unitMask` [m], if given, multiplies the MLP's hidden units (used to knock units out).
 * Call inside tf.tidy.
 */
export function forwardActivations(
  model: Model,
  subjects: tf.Tensor1D,
  relations: tf.Tensor2D,
  unitMask?: tf.Tensor1D,
): Activations {
  const { d, heads } = model.config;
  const w = model.weights;
  const batch = subjects.shape[0];
  const hops = relations.shape[1];
  const length = hops + 1;
  if (length > model.config.seqLen) throw new Error(`sequence of ${length} tokens is longer than the model's ${model.config.seqLen}`);
  const headSize = d / heads;

  const positions = tf.split(w.positionEmbedding.slice([0, 0], [length, d]), length, 0);
  const tokens: tf.Tensor2D[] = [tf.add(tf.gather(w.subjectEmbedding, subjects), positions[0])];
  const relationColumns = hops === 1 ? [relations.reshape([batch])] : tf.unstack(relations, 1);
  for (let i = 0; i < hops; i++) tokens.push(tf.add(tf.gather(w.relationEmbedding, relationColumns[i]), positions[i + 1]));
  const last = tokens[length - 1];

  // Attention of the last position over all positions, every position stacked along the batch.
  const stacked = tf.concat(tokens, 0); // [L·B, d]
  const keys = tf.matMul(stacked, w['attention.key']).reshape([length, batch, heads, headSize]);
  const values = tf.matMul(stacked, w['attention.value']).reshape([length, batch, heads, headSize]);
  const query = tf.matMul(last, w['attention.query']).reshape([1, batch, heads, headSize]);
  const scores = tf.mul(keys, query).sum(3).mul(1 / Math.sqrt(headSize)); // [L, B, H]
  const shifted = tf.sub(scores, scores.max(0, true));
  const expScores = tf.exp(shifted);
  const weightsOverPositions = tf.div(expScores, expScores.sum(0, true)).expandDims(3); // [L, B, H, 1]
  const mixed = tf.mul(weightsOverPositions, values).sum(0).reshape([batch, d]);
  const residual = tf.add(last, tf.matMul(mixed, w['attention.output'])) as tf.Tensor2D;

  const preActivation = tf.add(tf.matMul(residual, w['mlp.in']), w['mlp.bias']) as tf.Tensor2D;
  let hidden = tf.relu(preActivation);
  if (unitMask) hidden = tf.mul(hidden, unitMask);
  const z = tf.add(residual, tf.matMul(hidden, w['mlp.out']));
  const logits = tf.matMul(z, w.attributeVectors, false, true) as tf.Tensor2D;
  return { residual, preActivation, logits };
}

export function forwardLogits(model: Model, subjects: tf.Tensor1D, relations: tf.Tensor2D): tf.Tensor2D {
  return forwardActivations(model, subjects, relations).logits;
}
