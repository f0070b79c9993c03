/**
 * Every optimiser of docs/science.md §2 (Adam, SGD with momentum, plain GD, sign descent) over all trained
 * weights at once: the state is one or two flat tensors, so an update is a handful of kernels
 * instead of ~12 per weight, and one kernel on wasm (fusedKernels.ts). Per-kernel dispatch, not
 * arithmetic, dominates a small model's optimiser step.
 *
 * Each weight has its own learning rate, lr × its multiplier (the embedding tables take
 * `embedLrMult`), and decoupled weight decay shrinks it by (1 − lr_w·wd) before the update.
 *
 * Adam is PyTorch's (torch.optim.Adam, the reference of `npm run bench`):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε),
 * with the bias corrections 1−βᵗ computed in float64. (tfjs's AdamOptimizer accumulates βᵗ by float32
 * multiplication; that ~1e-5 relative bias in every update was enough to move the loss curve 2e-3
 * away from PyTorch's within 100 steps.)
 * SGD is torch.optim.SGD with momentum μ and no dampening: buf ← μ·buf + g, w ← w − lr·buf; plain GD
 * is μ = 0; sign descent is w ← w − lr·sign(buf).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAdam, fusedKernelsActive, fusedSgd } from './fusedKernels';
import type { OptimizerSettings } from './optimizerSettings';

export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** sign(x) with sign(0) = 0. (tfjs-backend-wasm 4.22's Sign returns 0 for |x| below ~1e-7.) */
function signOf(x: tf.Tensor): tf.Tensor {
  return tf.sub(tf.cast(tf.greater(x, 0), 'float32'), tf.cast(tf.less(x, 0), 'float32'));
}

export class FlatOptimizer {
  private readonly variables: tf.Variable[];
  private readonly sizes: number[];
  /** Learning rate of each variable. */
  private readonly rates: number[];
  /** Adam's first moment, or the momentum buffer of SGD and sign descent. */
  private readonly first: tf.Variable;
  /** Adam's second moment (null for the others). */
  private readonly second: tf.Variable | null;
  /** For the tf-ops path: per-element learning rate and decay factor (null when all weights share one). */
  private rateVector: tf.Tensor1D | null = null;
  private decayVector: tf.Tensor1D | null = null;
  /** Updates applied so far. */
  private t = 0;

  constructor(
    variables: tf.Variable[],
    readonly settings: OptimizerSettings,
    /** Learning-rate multiplier of each variable (default 1 each). */
    multipliers: number[] = variables.map(() => 1),
  ) {
    if (multipliers.length !== variables.length) throw new Error('optimizer: one multiplier per variable');
    this.variables = variables;
    this.sizes = variables.map((x) => x.size);
    this.rates = multipliers.map((k) => settings.lr * k);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.first = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.second = settings.optimizer === 'adam' ? tf.tidy(() => tf.variable(tf.zeros([total]), false)) : null;
  }

  /** One update from gradients given in the order of the variables (each of its variable's shape). */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.variables.length) throw new Error(`optimizer: ${grads.length} gradients for ${this.variables.length} weights`);
    this.t += 1;
    tf.tidy(() => {
      if (fusedKernelsActive()) this.applyFused(grads);
      else this.applyOps(grads);
    });
  }

  private decays(): number[] {
    return this.rates.map((rate) => 1 - rate * this.settings.weightDecay);
  }

  private applyFused(grads: tf.Tensor[]): void {
    const { optimizer, momentum } = this.settings;
    if (optimizer === 'adam') {
      const biasCorrection1 = 1 - momentum ** this.t;
      const biasCorrection2 = 1 - ADAM_BETA2 ** this.t;
      const out = fusedAdam(this.first as tf.Tensor1D, this.second as tf.Tensor1D, this.variables, grads, {
        rates: this.rates,
        decays: this.decays(),
        beta1: momentum,
        beta2: ADAM_BETA2,
        epsilon: ADAM_EPSILON,
        biasCorrection1,
        biasCorrection2,
      });
      this.first.assign(out.m);
      this.second!.assign(out.v);
      this.variables.forEach((x, i) => x.assign(out.values[i]));
      return;
    }
    const out = fusedSgd(this.first as tf.Tensor1D, this.variables, grads, { rates: this.rates, decays: this.decays(), momentum, sign: optimizer === 'sign' });
    this.first.assign(out.buffer);
    this.variables.forEach((x, i) => x.assign(out.values[i]));
  }

  /** The per-element learning rate and decay as flat vectors, built once (only when they differ by weight). */
  private vectors(): { rate: tf.Tensor | number; decay: tf.Tensor | number } {
    const decays = this.decays();
    if (this.rates.every((x) => x === this.rates[0])) return { rate: this.rates[0], decay: decays[0] };
    if (!this.rateVector) {
      const total = this.sizes.reduce((a, b) => a + b, 0);
      const rate = new Float32Array(total);
      const decay = new Float32Array(total);
      let at = 0;
      this.sizes.forEach((size, k) => {
        rate.fill(this.rates[k], at, at + size);
        decay.fill(decays[k], at, at + size);
        at += size;
      });
      this.rateVector = tf.keep(tf.tensor1d(rate));
      this.decayVector = tf.keep(tf.tensor1d(decay));
    }
    return { rate: this.rateVector, decay: this.decayVector! };
  }

  private applyOps(grads: tf.Tensor[]): void {
    const { optimizer, momentum } = this.settings;
    const g = tf.concat(grads.map((x) => x.reshape([-1])));
    const { rate, decay } = this.vectors();
    let step: tf.Tensor;
    if (optimizer === 'adam') {
      const biasCorrection1 = 1 - momentum ** this.t;
      const biasCorrection2 = 1 - ADAM_BETA2 ** this.t;
      const m = tf.add(tf.mul(this.first, momentum), tf.mul(g, 1 - momentum));
      const v = tf.add(tf.mul(this.second!, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
      this.first.assign(m);
      this.second!.assign(v);
      const denominator = tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(biasCorrection2)), ADAM_EPSILON);
      step = tf.mul(tf.mul(tf.div(m, denominator), 1 / biasCorrection1), rate);
    } else {
      const buffer = momentum > 0 ? tf.add(tf.mul(this.first, momentum), g) : g;
      this.first.assign(buffer);
      step = tf.mul(optimizer === 'sign' ? signOf(buffer) : buffer, rate);
    }
    const pieces = tf.split(step, this.sizes);
    const shrink = typeof decay === 'number' ? null : tf.split(decay, this.sizes);
    this.variables.forEach((x, i) => {
      const kept = this.settings.weightDecay > 0 ? tf.mul(x, shrink ? shrink[i].reshape(x.shape) : decay) : x;
      x.assign(tf.sub(kept, pieces[i].reshape(x.shape)));
    });
  }

  dispose(): void {
    tf.dispose([this.first, ...(this.second ? [this.second] : []), ...(this.rateVector ? [this.rateVector, this.decayVector!] : [])]);
  }
}
