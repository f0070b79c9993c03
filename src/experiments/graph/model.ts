/**
 * The models of the graph experiments, in tfjs (docs/science.md §8), after the authors' public code:
 *
 * - `transformer`: their one-layer GPT on the two-token input `[TASK] u` (TASK = [EDGE] or [PATH]),
 *   read at the last position: pre-LayerNorm (with bias, ε = 1e-5), one causal attention head with
 *   biases, GELU (tanh form) MLP of width 4d, final LayerNorm, learned positions; token embedding and
 *   output matrix tied. Every linear map and the token embeddings N(0, 0.02), biases 0; the position
 *   embeddings N(0, 1) (PyTorch's default, which their code keeps for them).
 * - `associative`: their control: frozen tied random token embeddings E (N(0, 0.02)) and one linear map
 *   with bias, logits = (W e_u + b) Eᵀ; no attention, no LayerNorm, no positions. Its embeddings never
 *   move, so any "geometry" measured on them is that of random vectors: none, by construction.
 *
 * The vocabulary is theirs: the n nodes, then 9 special tokens ([EDGE] is n+7, [PATH] n+8); predictions
 * range over all of it. Training is AdamW (β = 0.9, 0.999, ε = 1e-8) with a learning rate set per step.
 * Every tensor is disposed: `dispose()` frees the variables and the optimiser's moments.
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../../core/model/prng';

export type GraphModelKind = 'transformer' | 'associative';

export const SPECIAL_TOKENS = 9;
export const edgeToken = (n: number) => n + 7;
export const pathToken = (n: number) => n + 8;

export interface GraphModelOptions {
  kind: GraphModelKind;
  /** Number of graph nodes (the vocabulary is n + 9). */
  n: number;
  d: number;
  seed: number;
  /** Keep the token (and position) embeddings at their initial values. */
  freezeEmbeddings?: boolean;
  weightDecay?: number;
}

export interface GraphModel {
  kind: GraphModelKind;
  n: number;
  d: number;
  vocab: number;
  /** Logits [rows, vocab] for the inputs `[prefix[i]] nodes[i]`; the caller disposes them. */
  logits(prefix: Int32Array, nodes: Int32Array): tf.Tensor2D;
  /** One AdamW update on the mean cross-entropy of `targets`; returns that loss (before the update). */
  step(prefix: Int32Array, nodes: Int32Array, targets: Int32Array, lr: number): number;
  /** The node rows 0..n-1 of the (tied) token embedding, n×d row-major. */
  embeddings(): Float32Array;
  parameterCount(): number;
  dispose(): void;
}

/** Their schedule: cosine from lr at step 0 down to minLr at step `total` (no warm-up). */
export function cosineLr(step: number, total: number, lr: number, minLr: number): number {
  if (step >= total) return minLr;
  return minLr + 0.5 * (1 + Math.cos((Math.PI * step) / total)) * (lr - minLr);
}

const gelu = (x: tf.Tensor) => tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))));

function layerNorm(x: tf.Tensor2D, g: tf.Variable, b: tf.Variable): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b) as tf.Tensor2D;
  });
}

export function createGraphModel(o: GraphModelOptions): GraphModel {
  const { n, d } = o;
  const vocab = n + SPECIAL_TOKENS;
  const rng = makeRng(o.seed);
  const normal = (shape: number[], std: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    return tf.tensor(data, shape);
  };
  const all: tf.Variable[] = [];
  const trainable: tf.Variable[] = [];
  const v = (init: tf.Tensor, train = true) => {
    const variable = tf.variable(init, train);
    init.dispose();
    all.push(variable);
    if (train) trainable.push(variable);
    return variable;
  };
  const frozen = o.kind === 'associative' || o.freezeEmbeddings === true;
  const E = v(normal([vocab, d], 0.02), !frozen);
  const P = o.kind === 'transformer' ? v(normal([2, d], 1), !frozen) : null;
  const lin = (i: number, out: number) => ({ w: v(normal([i, out], 0.02)), b: v(tf.zeros([out])) });
  const ln = () => ({ g: v(tf.ones([d])), b: v(tf.zeros([d])) });
  const t =
    o.kind === 'transformer'
      ? { ln1: ln(), q: lin(d, d), k: lin(d, d), val: lin(d, d), o: lin(d, d), ln2: ln(), up: lin(d, 4 * d), down: lin(4 * d, d), lnf: ln() }
      : null;
  const assoc = o.kind === 'associative' ? lin(d, d) : null;
  const zeros = (p: tf.Variable) => {
    const z = tf.zerosLike(p);
    const moment = tf.variable(z, false);
    z.dispose();
    return moment;
  };
  const moments = trainable.map((p) => ({ m: zeros(p), s: zeros(p) }));
  const wd = o.weightDecay ?? 0;
  let t_ = 0;
  const affine = (x: tf.Tensor2D, l: { w: tf.Variable; b: tf.Variable }) => tf.add(tf.matMul(x, l.w), l.b) as tf.Tensor2D;

  const forward = (prefix: Int32Array, nodes: Int32Array): tf.Tensor2D =>
    tf.tidy(() => {
      const ids = tf.tensor1d(nodes, 'int32');
      if (assoc) return tf.matMul(affine(tf.gather(E, ids) as tf.Tensor2D, assoc), E, false, true);
      const m = t!;
      const pos = (i: number) => tf.slice(P!, [i, 0], [1, d]);
      const x0 = tf.add(tf.gather(E, tf.tensor1d(prefix, 'int32')), pos(0)) as tf.Tensor2D;
      const x1 = tf.add(tf.gather(E, ids), pos(1)) as tf.Tensor2D;
      const h0 = layerNorm(x0, m.ln1.g, m.ln1.b);
      const h1 = layerNorm(x1, m.ln1.g, m.ln1.b);
      const q = affine(h1, m.q);
      const scale = 1 / Math.sqrt(d);
      const s0 = tf.mul(tf.sum(tf.mul(q, affine(h0, m.k)), 1, true), scale);
      const s1 = tf.mul(tf.sum(tf.mul(q, affine(h1, m.k)), 1, true), scale);
      const a = tf.softmax(tf.concat([s0, s1], 1));
      const mixed = tf.add(tf.mul(tf.slice(a, [0, 0], [-1, 1]), affine(h0, m.val)), tf.mul(tf.slice(a, [0, 1], [-1, 1]), affine(h1, m.val))) as tf.Tensor2D;
      const x = tf.add(x1, affine(mixed, m.o)) as tf.Tensor2D;
      const y = tf.add(x, affine(gelu(affine(layerNorm(x, m.ln2.g, m.ln2.b), m.up)) as tf.Tensor2D, m.down)) as tf.Tensor2D;
      return tf.matMul(layerNorm(y, m.lnf.g, m.lnf.b), E, false, true);
    });

  return {
    kind: o.kind,
    n,
    d,
    vocab,
    logits: forward,
    step(prefix, nodes, targets, lr) {
      t_++;
      const b1 = 0.9;
      const b2 = 0.999;
      const c1 = 1 - b1 ** t_;
      const c2 = 1 - b2 ** t_;
      let loss = 0;
      tf.tidy(() => {
        const y = tf.oneHot(tf.tensor1d(targets, 'int32'), vocab);
        const { value, grads } = tf.variableGrads(() => {
          const logits = forward(prefix, nodes);
          return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, y), 1))) as tf.Scalar;
        }, trainable);
        loss = value.dataSync()[0];
        trainable.forEach((p, i) => {
          const g = grads[p.name];
          const { m, s } = moments[i];
          m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
          s.assign(tf.add(tf.mul(s, b2), tf.mul(tf.square(g), 1 - b2)));
          const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(s, c2)), 1e-8));
          p.assign(tf.sub(wd > 0 ? tf.mul(p, 1 - lr * wd) : p, tf.mul(update, lr)));
        });
      });
      return loss;
    },
    embeddings() {
      const rows = tf.slice(E, [0, 0], [n, d]);
      const data = rows.dataSync() as Float32Array;
      rows.dispose();
      return data;
    },
    parameterCount() {
      return trainable.reduce((s, p) => s + p.size, 0);
    },
    dispose() {
      for (const p of all) p.dispose();
      for (const { m, s } of moments) {
        m.dispose();
        s.dispose();
      }
    },
  };
}
