/**
 * The two models of §7, in tfjs, each trained by its own optimiser.
 *
 * full (the authors' TF_one_layer, model.py): frozen random embeddings E (V × d) and unembedding U
 * (D·R × d), both N(0, 1/d); H heads of softmax attention where only the last token queries, scores
 * scaled by 1/√dh, no positional encoding; Q, K, V (d × dh per head) N(0, 1/dh), O (H·dh × d)
 * N(0, 1/d); then a ReLU MLP (W1 d × m with a bias, W2 m × d, lecun-normal scale) added to the
 * attention's output (the residual); trained with AdamW (β 0.9, 0.999, ε 1e-8, decoupled weight decay).
 *
 * linear (sequential-learning.ipynb, Simple_TF with lin_attn): one-hot embeddings (d = V), one head of
 * linear attention (scores x_T·A·x_t, no softmax, no mask, no scaling), only the last position read
 * out, then V (V × D·R), no MLP; every weight initialised to 1e-5; plain gradient descent. With one-hot
 * tokens and EOS always last, the output is Σ_t A[EOS, tok_t]·V[tok_t, :], so only A's EOS row ever
 * gets a gradient: we hold that row (a) and V, which gives the notebook's gradients exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, makeRng, type Rng } from '../../core/model/prng';
import type { AssocModelSettings } from './assoc';
import type { AssocBatch, AssocTask } from './task';

let made = 0;
/** A name no other live variable has (tfjs wants them unique). */
const unique = (name: string) => `assoc-${name}-${++made}`;

export interface AssocModel {
  readonly variables: tf.Variable[];
  /** Logits [batch, D·R] for a batch (no gradient bookkeeping of its own; the caller tidies). */
  logits(batch: AssocBatch): tf.Tensor2D;
  /** Applies the gradients of the loss. */
  apply(grads: tf.NamedTensorMap): void;
  dispose(): void;
}

function normal(rng: Rng, shape: number[], std: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  return tf.tensor(values, shape, 'float32');
}

export interface FullSizes {
  d: number;
  heads: number;
  headDim: number;
  width: number;
}

export function fullSizes(model: AssocModelSettings): FullSizes {
  const sizes = { d: model.d ?? 32, heads: model.heads ?? 4, headDim: model.headDim ?? 8, width: model.width ?? 64 };
  for (const [name, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`assoc: the full model's ${name} must be a positive integer; got ${v}`);
  }
  return sizes;
}

export function makeFullModel(task: AssocTask, settings: AssocModelSettings, lr: number, weightDecay: number, seed: number): AssocModel {
  const { d, heads: H, headDim: dh, width: m } = fullSizes(settings);
  const rng = makeRng(deriveSeed(seed, 'assoc-init-full'));
  const embed = normal(rng, [task.vocab, d], 1 / Math.sqrt(d));
  const unembedT = tf.tidy(() => tf.transpose(normal(rng, [task.outputs, d], 1 / Math.sqrt(d))));
  const v = (name: string, t: tf.Tensor) => {
    const variable = tf.variable(t, true, unique(name));
    t.dispose();
    return variable;
  };
  const q = v('q', normal(rng, [H, d, dh], 1 / Math.sqrt(dh)));
  const k = v('k', normal(rng, [H, d, dh], 1 / Math.sqrt(dh)));
  const val = v('v', normal(rng, [H, d, dh], 1 / Math.sqrt(dh)));
  const o = v('o', normal(rng, [H * dh, d], 1 / Math.sqrt(d)));
  const w1 = v('w1', normal(rng, [d, m], 1 / Math.sqrt(d)));
  const b1 = v('b1', tf.zeros([m]));
  const w2 = v('w2', normal(rng, [m, d], 1 / Math.sqrt(m)));
  const variables = [q, k, val, o, w1, b1, w2];
  const optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  const T = task.settings.seqLen;
  const scale = 1 / Math.sqrt(dh);
  return {
    variables,
    logits(batch) {
      return tf.tidy(() => {
        const B = batch.answers.length;
        const x = tf.gather(embed, tf.tensor2d(batch.tokens, [B, T], 'int32')) as tf.Tensor3D; // [B,T,d]
        const last = tf.reshape(tf.slice(x, [0, T - 1, 0], [B, 1, d]), [B, d]);
        // Per head, the query folded through K: qk[h,b,:] = K_h (Q_hᵀ x_last) ∈ ℝ^d.
        const query = tf.matMul(tf.tile(tf.reshape(last, [1, B, d]), [H, 1, 1]), q); // [H,B,dh]
        const qk = tf.matMul(query, k, false, true); // [H,B,d]
        const scores = tf.mul(tf.matMul(x, tf.transpose(qk, [1, 2, 0])), scale); // [B,T,H]
        const weights = tf.softmax(tf.transpose(scores, [0, 2, 1])); // [B,H,T]
        const pooled = tf.matMul(weights, x); // [B,H,d]
        const heads = tf.matMul(tf.transpose(pooled, [1, 0, 2]), val); // [H,B,dh]
        const attn = tf.matMul(tf.reshape(tf.transpose(heads, [1, 0, 2]), [B, H * dh]), o); // [B,d]
        const hidden = tf.relu(tf.add(tf.matMul(attn, w1), b1));
        const out = tf.add(attn, tf.matMul(hidden, w2));
        return tf.matMul(out, unembedT) as tf.Tensor2D;
      });
    },
    apply(grads) {
      optimizer.applyGradients(grads as unknown as Parameters<typeof optimizer.applyGradients>[0]);
      if (weightDecay > 0) {
        tf.tidy(() => {
          for (const w of variables) w.assign(tf.mul(w, 1 - lr * weightDecay));
        });
      }
    },
    dispose() {
      embed.dispose();
      unembedT.dispose();
      optimizer.dispose();
      for (const w of variables) w.dispose();
    },
  };
}

/** The notebook's initial value of every weight. */
export const LINEAR_INIT = 1e-5;

/** Token counts per sequence, [batch, V]: the one-hot embeddings summed over positions. */
export function tokenCounts(batch: AssocBatch, vocab: number, seqLen: number): Float32Array {
  const B = batch.answers.length;
  const counts = new Float32Array(B * vocab);
  for (let b = 0; b < B; b++) for (let t = 0; t < seqLen; t++) counts[b * vocab + batch.tokens[b * seqLen + t]] += 1;
  return counts;
}

export function makeLinearModel(task: AssocTask, lr: number, weightDecay: number): AssocModel {
  const V = task.vocab;
  const filled = (shape: number[], name: string) => {
    const t = tf.fill(shape, LINEAR_INIT);
    const variable = tf.variable(t, true, unique(name));
    t.dispose();
    return variable;
  };
  const a = filled([V], 'a');
  const vm = filled([V, task.outputs], 'vm');
  const variables = [a, vm];
  const T = task.settings.seqLen;
  return {
    variables,
    logits(batch) {
      return tf.tidy(() => {
        const counts = tf.tensor2d(tokenCounts(batch, V, T), [batch.answers.length, V]);
        return tf.matMul(tf.mul(counts, a), vm) as tf.Tensor2D;
      });
    },
    apply(grads) {
      // Plain GD, the notebook's step_fn: w ← w − lr·(g + wd·w).
      tf.tidy(() => {
        for (const w of variables) {
          const g = grads[w.name];
          w.assign(tf.sub(w, tf.mul(weightDecay > 0 ? tf.add(g, tf.mul(w, weightDecay)) : g, lr)));
        }
      });
    },
    dispose() {
      for (const w of variables) w.dispose();
    },
  };
}
