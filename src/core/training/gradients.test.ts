/**
 * The gradients that train the model — tfjs autodiff through our forward pass, plus the wasm kernel
 * repairs (scatter-add for gather's gradient, explicit transposes) — agree with finite differences.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import type { Model, ModelConfig, WeightArrays, WeightName } from '../model/model';
import { disposeModel, forwardActivations, forwardLogits, initialWeights, modelFromArrays, WEIGHT_NAMES } from '../model/model';

// A tiny model with two heads and two-hop sequences, so every path of the forward pass is used.
const config: ModelConfig = { n: 5, r: 2, d: 4, m: 6, heads: 2, seqLen: 3 };
const subjects = [0, 1, 2, 3, 4, 0, 2, 2];
const relations = [[0, 1], [1, 1], [0, 0], [1, 0], [0, 1], [1, 0], [1, 1], [0, 0]];
const targets = [3, 1, 4, 0, 2, 2, 0, 1];

function lossOf(model: Model): tf.Scalar {
  const logits = forwardLogits(model, tf.tensor1d(subjects, 'int32'), tf.tensor2d(relations, undefined, 'int32'));
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), config.n), logits) as tf.Scalar;
}

async function analyticGradients(weights: WeightArrays): Promise<WeightArrays> {
  const model = modelFromArrays(config, weights);
  const { value, grads } = tf.variableGrads(() => lossOf(model), WEIGHT_NAMES.map((name) => model.weights[name]));
  const out = {} as WeightArrays;
  for (const name of WEIGHT_NAMES) out[name] = (await grads[model.weights[name].name].data()) as Float32Array;
  value.dispose();
  tf.dispose(grads);
  disposeModel(model);
  return out;
}

const weights = initialWeights(config, 5);
for (const name of ['attention.query', 'attention.key'] as WeightName[]) weights[name] = weights[name].map((v) => v * 3);

/**
 * Finite differences are wrong across a ReLU kink. Each unit's bias is set to split the batch at the
 * widest gap between its pre-activations: every unit is on for some queries and off for others, and
 * no pre-activation lies near zero. Returns the smallest |pre-activation|.
 */
async function placeBiasesAwayFromKinks(): Promise<number> {
  weights['mlp.bias'] = new Float32Array(config.m);
  const model = modelFromArrays(config, weights);
  const pre = tf.tidy(() => forwardActivations(model, tf.tensor1d(subjects, 'int32'), tf.tensor2d(relations, undefined, 'int32')).preActivation);
  const values = (await pre.array()) as number[][];
  pre.dispose();
  disposeModel(model);
  for (let j = 0; j < config.m; j++) {
    const column = values.map((row) => row[j]).sort((a, b) => a - b);
    let best = 0;
    for (let i = 1; i < column.length; i++) if (column[i] - column[i - 1] > column[best + 1] - column[best]) best = i - 1;
    weights['mlp.bias'][j] = -(column[best] + column[best + 1]) / 2;
  }
  return Math.min(...values.flatMap((row) => row.map((v, j) => Math.abs(v + weights['mlp.bias'][j]))));
}

afterAll(async () => {
  await startBackend('wasm');
});

describe('gradients', () => {
  it('agree with central finite differences (cpu backend)', async () => {
    await startBackend('cpu');
    const margin = await placeBiasesAwayFromKinks();
    expect(margin).toBeGreaterThan(0.02); // a perturbation of 3e-3 cannot cross a kink
    const analytic = await analyticGradients(weights);
    const model = modelFromArrays(config, weights);
    const eps = 3e-3;
    let checked = 0;
    for (const name of WEIGHT_NAMES) {
      const base = weights[name];
      const shape = model.weights[name].shape;
      for (let i = 0; i < base.length; i++) {
        const probe = async (delta: number) => {
          const moved = base.slice();
          moved[i] += delta;
          tf.tidy(() => model.weights[name].assign(tf.tensor(moved, shape)));
          const loss = tf.tidy(() => lossOf(model));
          const v = (await loss.data())[0];
          loss.dispose();
          return v;
        };
        const numeric = ((await probe(eps)) - (await probe(-eps))) / (2 * eps);
        tf.tidy(() => model.weights[name].assign(tf.tensor(base, shape)));
        expect(Math.abs(numeric - analytic[name][i]), `${name}[${i}]: numeric ${numeric}, analytic ${analytic[name][i]}`).toBeLessThan(
          2e-3 + 2e-2 * Math.abs(analytic[name][i]),
        );
        checked++;
      }
    }
    disposeModel(model);
    expect(checked).toBeGreaterThan(150);
    // Gradients are not trivially zero.
    expect(Math.max(...Array.from(analytic.subjectEmbedding, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('are the same on wasm (with the kernel repairs) as on cpu', async () => {
    await startBackend('cpu');
    const onCpu = await analyticGradients(weights);
    await startBackend('wasm');
    const onWasm = await analyticGradients(weights);
    for (const name of WEIGHT_NAMES) {
      const a = onCpu[name];
      const b = onWasm[name];
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${name}[${i}]`).toBeLessThan(1e-5 + 1e-4 * Math.abs(a[i]));
    }
  });
});
