/**
 * torch.optim.Adam / torch.optim.SGD (decoupled weight decay, per-weight rates) in float64: what the
 * optimisers' tests hold flatOptimizer.ts and the whole-step module (fusedStep.ts) to.
 */
import { ADAM_BETA2, ADAM_EPSILON } from './flatOptimizer';
import type { OptimizerSettings } from './optimizerSettings';

/** The weights after one update per entry of `gradsByStep` (weight k's gradient at [step][k]). */
export function torchReference(params: ArrayLike<number>[], gradsByStep: ArrayLike<number>[][], s: OptimizerSettings, multipliers: number[]): number[][] {
  const p = params.map((x) => Array.from(x));
  const m = params.map((x) => Array.from(x, () => 0));
  const v = params.map((x) => Array.from(x, () => 0));
  gradsByStep.forEach((grads, step) => {
    const t = step + 1;
    const bc1 = 1 - s.momentum ** t;
    const bc2 = 1 - ADAM_BETA2 ** t;
    grads.forEach((g, k) => {
      const lr = s.lr * multipliers[k];
      for (let i = 0; i < g.length; i++) {
        const gi = g[i];
        p[k][i] *= 1 - lr * s.weightDecay;
        if (s.optimizer === 'adam') {
          m[k][i] = s.momentum * m[k][i] + (1 - s.momentum) * gi;
          v[k][i] = ADAM_BETA2 * v[k][i] + (1 - ADAM_BETA2) * gi * gi;
          p[k][i] -= ((lr / bc1) * m[k][i]) / (Math.sqrt(v[k][i]) / Math.sqrt(bc2) + ADAM_EPSILON);
        } else {
          m[k][i] = s.momentum * m[k][i] + gi;
          p[k][i] -= lr * (s.optimizer === 'sign' ? Math.sign(m[k][i]) : m[k][i]);
        }
      }
    });
  });
  return p;
}
