/**
 * One run of the training session (trainingSession.ts): the model, its Trainer and where playing
 * pauses by itself; how a run starts (random weights, the construction, or plain arrays of weights)
 * and the stop rule of docs/science.md: pause a while after 100%, and not while the held-out probes
 * still rise. No DOM or worker globals: Node tests drive it on tfjs's wasm and cpu backends.
 */
import { makeFacts, type Facts } from '../core/model/facts';
import { disposeModel, initialWeights, modelFromArrays, type Model, type ModelConfig, type WeightArrays } from '../core/model/model';
import { buildConstruction } from '../core/model/construct';
import { Trainer, type StepStats } from '../core/training/train';
import { trainingOptionsOf, type MetricChunk, type RunSettings } from './protocol';
import { LossWatch } from './lossWatch';

/** Keep training this many steps after every fact is right, so the geometry settles; then pause. */
export const STEPS_AFTER_100 = 300;
/**
 * …and, after 100%, this many steps past the last rise (by ≥ 0.01) of the mean held-out probe: with SGD
 * the geometry keeps sharpening for thousands of steps after every fact is right (R = 4: the weakest
 * probe 0.6 at step 250, 0.8 at 1,000, 0.9 at 3,000), slowly and with steps of 1/51 (the held-out
 * subjects at N = 256), and the page should not pause in the middle of it.
 */
export const STEPS_AFTER_PROBE_RISE = 1500;
/** The most steps one press of play (or a fresh run) trains before pausing by itself. */
export const MAX_STEPS = 50_000;

/** Weights as plain arrays and the updates applied to them: enough to rebuild a run anywhere. */
export interface SavedWeights {
  step: number;
  weights: WeightArrays;
}

export interface Run {
  settings: RunSettings;
  config: ModelConfig;
  facts: Facts;
  model: Model;
  trainer: Trainer;
  stepsTo100: number | null;
  /** Where playing pauses by itself (a while after 100%, or a step cap); null: never. */
  autoPauseAt: number | null;
  /** The mean held-out probe accuracy at its best so far after 100%, and the step. */
  probeBest: { value: number; step: number } | null;
  /** Weights read back recently, to resume elsewhere if the GPU device is lost. */
  snapshot: SavedWeights | null;
  /** Pauses the run, once, when its loss explodes or sits at chance (lossWatch.ts). */
  watch: LossWatch;
}

/** A run on the current backend from plain weights: the model, a fresh optimiser, the step count. */
export function makeRun(settings: RunSettings, config: ModelConfig, facts: Facts, saved: SavedWeights, stepsTo100: number | null, autoPauseAt: number | null): Run {
  const model = modelFromArrays(config, saved.weights);
  const trainer = new Trainer(model, facts, trainingOptionsOf(settings));
  trainer.stepsDone = saved.step;
  return { settings, config, facts, model, trainer, stepsTo100, autoPauseAt, probeBest: null, snapshot: saved, watch: new LossWatch(settings) };
}

/** A fresh run for `settings`: random weights (seeded), or the hand-built construction of docs/science.md §3. */
export function newRun(settings: RunSettings): Run {
  const facts = makeFacts(settings.n, settings.r, settings.seed);
  if (settings.construction) {
    const built = buildConstruction(facts);
    const fitted = { ...settings, d: built.config.d, m: built.config.m };
    return makeRun(fitted, built.config, facts, { step: 0, weights: built.weights }, null, MAX_STEPS);
  }
  const config: ModelConfig = { n: settings.n, r: settings.r, d: settings.d, m: settings.m, heads: 1, seqLen: 2 };
  const weights = initialWeights(config, settings.seed, { frozenSubjects: settings.freezeSubjects });
  return makeRun(settings, config, facts, { step: 0, weights }, null, MAX_STEPS);
}

/** Frees a run's tensors. On a lost device disposal itself may throw; the memory is gone with the device anyway. */
export function disposeRunTensors(run: Run): void {
  try {
    run.trainer.dispose();
    disposeModel(run.model);
  } catch {
    /* nothing left to free */
  }
}

/** Every fact was first right at `step`: note it, and pause a while later. */
export function markReached100(run: Run, step: number): void {
  run.stepsTo100 = step;
  run.autoPauseAt = Math.min(run.autoPauseAt ?? Infinity, step + STEPS_AFTER_100);
}

/** After 100%, pushes the auto-pause on while the mean held-out probe still rises (by ≥ 0.01). */
export function extendWhileProbesRise(run: Run, step: number, heldOutAccuracy: ArrayLike<number>): void {
  const probeMean = Array.from(heldOutAccuracy).reduce((a, b) => a + b, 0) / heldOutAccuracy.length;
  if (run.stepsTo100 === null || run.autoPauseAt === null || !Number.isFinite(probeMean)) return;
  if (run.probeBest && probeMean < run.probeBest.value + 0.01) return;
  run.probeBest = { value: probeMean, step };
  run.autoPauseAt = Math.max(run.autoPauseAt, Math.min(step + STEPS_AFTER_PROBE_RISE, MAX_STEPS));
}

/** Pressing play after an automatic pause keeps training until the reader pauses. */
export function playOn(run: Run): void {
  if (run.autoPauseAt !== null && run.trainer.stepsDone >= run.autoPauseAt) run.autoPauseAt = run.trainer.stepsDone + MAX_STEPS;
}

/** The status line of an automatic pause at step `done`. */
export function autoPauseMessage(run: Run, done: number): string {
  if (run.stepsTo100 === null) return `Paused after ${done} steps without reaching 100% — try a larger d or m, or press play to go on.`;
  const best = run.probeBest;
  const rose = best && best.step > run.stepsTo100 ? `, and the mean held-out probe rose until step ${best.step} (${best.value.toFixed(2)})` : '';
  return `Every fact was right at step ${run.stepsTo100}${rose}; paused at step ${done} to let you look. Press play to keep training.`;
}

/** The status line of a divergence, with what to try: the embedding multiplier first where it is large (docs/science.md §9). */
export function divergenceMessage(settings: RunSettings, diverged: { step: number; loss: number }): string {
  const hint =
    settings.optimizer !== 'adam' && settings.embedLrMult > 1
      ? `Try a smaller learning rate or embedding multiplier (×${settings.embedLrMult} now: each embedding row's share of the gradient grows as N shrinks, so small tables need less), then reset.`
      : 'Try a smaller learning rate, then reset.';
  return `The loss became ${diverged.loss} at step ${diverged.step}: training diverged and has stopped. ${hint}`;
}

/** Per-step loss and accuracy gathered between two 'metrics' messages. */
export class MetricBuffer {
  private steps: number[] = [];
  private loss: number[] = [];
  private accuracy: number[] = [];

  get size(): number {
    return this.steps.length;
  }

  push(read: readonly StepStats[]): void {
    for (const s of read) {
      this.steps.push(s.step);
      this.loss.push(s.loss);
      this.accuracy.push(...s.accuracyByRelation);
    }
  }

  /** The gathered steps as a chunk (fresh arrays, free to transfer), and an empty buffer. */
  take(): MetricChunk {
    const chunk = { steps: Int32Array.from(this.steps), loss: Float32Array.from(this.loss), accuracy: Float32Array.from(this.accuracy) };
    this.clear();
    return chunk;
  }

  clear(): void {
    this.steps = [];
    this.loss = [];
    this.accuracy = [];
  }
}
