/**
 * Adam over all trained weights at once: the gradients are concatenated into one vector and the
 * moments are two flat tensors, so an update is ~25 kernels instead of ~12 per weight (tfjs's
 * AdamOptimizer). Per-kernel dispatch, not arithmetic, dominates a small model's optimiser step.
 * The arithmetic is tfjs's AdamOptimizer's, operation for operation (so training gives the same
 * numbers bit for bit), which is also PyTorch's Adam:
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε),
 * with β1ᵗ, β2ᵗ accumulated by float32 multiplication as tfjs does.
 */
import * as tf from '@tensorflow/tfjs';

export class FlatAdam {
  private readonly variables: tf.Variable[];
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  /** β1ᵗ and β2ᵗ before the next update, as float32 products (tfjs's accBeta1/accBeta2). */
  private accBeta1: number;
  private accBeta2: number;

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
    this.accBeta1 = Math.fround(beta1);
    this.accBeta2 = Math.fround(beta2);
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /** One update from gradients given in the order of the variables (each of its variable's shape). */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.variables.length) throw new Error(`adam: ${grads.length} gradients for ${this.variables.length} weights`);
    const { beta1, beta2, epsilon, lr } = this;
    const oneMinusAccBeta1 = Math.fround(1 - this.accBeta1);
    const oneMinusAccBeta2 = Math.fround(1 - this.accBeta2);
    tf.tidy(() => {
      const g = tf.concat(grads.map((x) => x.reshape([-1])));
      const m = tf.add(tf.mul(this.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(g), 1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      const step = tf.mul(tf.div(tf.div(m, oneMinusAccBeta1), tf.add(tf.sqrt(tf.div(v, oneMinusAccBeta2)), epsilon)), -lr);
      const pieces = tf.split(step, this.sizes);
      this.variables.forEach((x, i) => x.assign(tf.add(pieces[i].reshape(x.shape), x)));
    });
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(beta2));
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
