/**
 * trainAssoc: one model on the noisy-context task, a fresh seeded batch every step. Every curve point
 * is measured on its step's fresh batch before the update, so it is a held-out estimate (the batch has
 * never been seen). The final numbers are measured on a fixed held-out set of HELD_OUT samples.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, makeRng } from '../../core/model/prng';
import { assocParameters, type AssocCurvePoint, type AssocTrainOptions, type AssocTrainResult } from './assoc';
import { crossEntropy, metricsTensor, readMetrics, type AssocMetrics } from './losses';
import { makeFullModel, makeLinearModel, type AssocModel } from './models';
import { batchStream, makeAssocTask, sampleBatch, type AssocBatch, type AssocTask } from './task';

/** The size of the held-out set the final numbers (and the early stop) are measured on. */
export const HELD_OUT = 4096;
/** Steps between two onProgress calls. */
const PROGRESS_EVERY = 25;

export function checkTrainOptions(o: AssocTrainOptions): void {
  const { s, r, answers, noise, seqLen } = o.task;
  const ints: [string, number, number][] = [['s', s, 1], ['r', r, 1], ['answers', answers, 1], ['noise', noise, 1], ['seqLen', seqLen, 3], ['steps', o.steps, 1], ['batch', o.batch, 1]];
  for (const [name, v, min] of ints) if (!Number.isInteger(v) || v < min) throw new Error(`assoc: ${name} must be an integer ≥ ${min}; got ${v}`);
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new Error(`assoc: lr must be a positive number; got ${o.lr}`);
}

function makeModel(task: AssocTask, o: AssocTrainOptions): AssocModel {
  const wd = o.weightDecay ?? 0;
  return o.model.kind === 'linear' ? makeLinearModel(task, o.lr, wd) : makeFullModel(task, o.model, o.lr, wd, o.task.seed);
}

/** Mean metrics of `model` over `batch`, in chunks of at most `chunk` samples. */
function evaluate(model: AssocModel, task: AssocTask, batch: AssocBatch, chunk: number): AssocMetrics {
  const n = batch.answers.length;
  const sums = [0, 0, 0, 0];
  const T = task.settings.seqLen;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const part: AssocBatch = {
      tokens: batch.tokens.subarray(start * T, end * T),
      answers: batch.answers.subarray(start, end),
      subjects: batch.subjects.subarray(start, end),
      relations: batch.relations.subarray(start, end),
    };
    const metrics = tf.tidy(() => metricsTensor(model.logits(part), part.answers, task.settings.r, task.settings.answers));
    const values = metrics.dataSync();
    metrics.dispose();
    for (let i = 0; i < 4; i++) sums[i] += values[i] * (end - start);
  }
  return readMetrics(sums.map((x) => x / n));
}

/** One step: the batch's metrics before the update, then the update. */
function step(model: AssocModel, task: AssocTask, batch: AssocBatch): AssocMetrics {
  let logits: tf.Tensor2D | null = null;
  const y = tf.tensor1d(batch.answers, 'int32');
  const { value, grads } = tf.variableGrads(() => {
    logits = tf.keep(model.logits(batch));
    return crossEntropy(logits, y, task.outputs);
  }, model.variables);
  const metrics = metricsTensor(logits!, batch.answers, task.settings.r, task.settings.answers);
  model.apply(grads);
  const values = metrics.dataSync();
  tf.dispose([value, metrics, logits!, y, ...Object.values(grads)]);
  return readMetrics(values);
}

export async function trainAssoc(o: AssocTrainOptions): Promise<AssocTrainResult> {
  checkTrainOptions(o);
  const started = performance.now();
  const task = makeAssocTask(o.task);
  const next = batchStream(task);
  const heldOut = sampleBatch(task, HELD_OUT, makeRng(deriveSeed(o.task.seed, 'assoc-held-out')));
  const model = makeModel(task, o);
  const every = Math.max(1, Math.floor(o.every ?? 1));
  const curve: AssocCurvePoint[] = [];
  let sent = 0;
  let stepsTo99: number | null = null;
  let done = 0;
  let cancelled = false;
  let lastCheck = -Infinity;
  const flush = async () => {
    if (o.onProgress && sent < curve.length) {
      const fresh = curve.slice(sent);
      sent = curve.length;
      await o.onProgress(fresh);
    }
  };
  try {
    for (let s = 0; s < o.steps; s++) {
      if (o.shouldStop?.()) {
        cancelled = true;
        break;
      }
      const m = step(model, task, next(o.batch));
      done = s + 1;
      if (s % every === 0 || s === o.steps - 1) curve.push({ step: s, ...m });
      if (stepsTo99 === null && m.accuracy >= 0.99) stepsTo99 = s;
      // Early stop: the batch says so, and the held-out set confirms (checked at most every 10 steps).
      if (o.stopAtAccuracy !== undefined && m.accuracy >= o.stopAtAccuracy && s - lastCheck >= 10) {
        lastCheck = s;
        if (evaluate(model, task, heldOut, o.batch).accuracy >= o.stopAtAccuracy) break;
      }
      if (done % PROGRESS_EVERY === 0) await flush();
    }
    await flush();
    const final = evaluate(model, task, heldOut, o.batch);
    return {
      curve,
      steps: done,
      ...final,
      parameters: assocParameters(o.model, task.vocab, task.outputs),
      seconds: (performance.now() - started) / 1000,
      stepsTo99,
      ...(cancelled ? { cancelled: true as const } : {}),
    };
  } finally {
    model.dispose();
  }
}
