/**
 * Adam over all trained weights at once: the gradients are concatenated into one vector and the
 * moments are two flat tensors, so an update is ~20 kernels instead of ~12 per weight (tfjs's
 * AdamOptimizer), and a single kernel on wasm (fusedKernels.ts). Per-kernel dispatch, not
 * arithmetic, dominates a small model's optimiser step.
 *
 * The arithmetic is PyTorch's Adam (torch.optim.Adam, the reference of `npm run bench`):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε),
 * with the bias corrections 1−βᵗ computed in float64. (tfjs's AdamOptimizer accumulates βᵗ by float32
 * multiplication; that ~1e-5 relative bias in every update was enough to move the loss curve 2e-3
 * away from PyTorch's within 100 steps.)
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAdam, fusedKernelsActive } from './fusedKernels';

export class FlatAdam {
  private readonly variables: tf.Variable[];
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  /** Updates applied so far. */
  private t = 0;

  constructor(
    variables: tf.Variable[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.variables = variables;
    this.sizes = variables.map((x) => x.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /** One update from gradients given in the order of the variables (each of its variable's shape). */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.variables.length) throw new Error(`adam: ${grads.length} gradients for ${this.variables.length} weights`);
    this.t += 1;
    const { beta1, beta2, epsilon, lr } = this;
    const biasCorrection1 = 1 - beta1 ** this.t;
    const biasCorrection2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      if (fusedKernelsActive()) {
        const out = fusedAdam(this.m as tf.Tensor1D, this.v as tf.Tensor1D, this.variables, grads, { lr, beta1, beta2, epsilon, biasCorrection1, biasCorrection2 });
        this.m.assign(out.m);
        this.v.assign(out.v);
        this.variables.forEach((x, i) => x.assign(out.values[i]));
        return;
      }
      const g = tf.concat(grads.map((x) => x.reshape([-1])));
      const m = tf.add(tf.mul(this.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(g), 1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      const denominator = tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(biasCorrection2)), epsilon);
      const step = tf.mul(tf.div(m, denominator), -lr / biasCorrection1);
      const pieces = tf.split(step, this.sizes);
      this.variables.forEach((x, i) => x.assign(tf.add(pieces[i].reshape(x.shape), x)));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
