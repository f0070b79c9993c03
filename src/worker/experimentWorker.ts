/// <reference lib="webworker" />
/**
 * The experiment worker: runs the chapters' experiments (capacity §5, zero-shot transfer §4,
 * multi-hop §6) over src/core, one job at a time, apart from the training worker so the playground
 * keeps its own model. It picks its backend as the training worker does (backendChoice.ts), yields to
 * its message queue after every chunk of steps so a cancel lands at once, posts progress at most
 * ~10 times a second, and reports every job's end — finished, cancelled or failed — as a message,
 * with tfjs's live tensor count.
 */
import * as tf from '@tensorflow/tfjs';
import { capacitySweep, type CapacityReport } from '../experiments/capacity/capacity';
import { evaluateAccuracy } from '../core/measure/evaluate';
import { makeFacts } from '../core/model/facts';
import { disposeModel, modelFromArrays } from '../core/model/model';
import { multihopExperiment } from '../experiments/multihop/multihop';
import { compareOptimizers, type OptimizerRun } from '../experiments/optimizers/optimizerSweep';
import { retrainEmbeddingsOnly, zeroShotTransfer, type RetrainRun } from '../experiments/transfer/transfer';
import { chooseBackend } from './backendChoice';
import { Throttle } from './throttle';
import {
  capacityFraction,
  checkJob,
  multihopFraction,
  multihopPoint,
  transferFraction,
  type CapacityJob,
  type ExperimentJob,
  type ExperimentToPage,
  type JobProgress,
  type JobResult,
  type MultihopJob,
  type MultihopPoint,
  type OptimizersJob,
  type PageToExperiment,
  type RetrainSummary,
  type TransferJob,
  type TransferJobProgress,
  type TransferJobResult,
} from './experimentProtocol';
import type { BackendChoice, BackendInfo } from './protocol';
import { yieldToEvents } from './yieldToEvents';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: ExperimentToPage) => scope.postMessage(message);

/** At most one progress message per this many ms (the latest is never lost: a timer sends it). */
const PROGRESS_EVERY_MS = 100;

type Command = Exclude<PageToExperiment, { type: 'cancel' } | { type: 'hold' }>;

let backendRequest: { choice: BackendChoice; allowSoftware: boolean } = { choice: 'auto', allowSoftware: false };
let backend: BackendInfo | null = null;
let backendStale = true;
const queue: Command[] = [];
let pumping = false;
/** The job under way. */
let current: { jobId: number; cancelled: boolean } | null = null;
/** Jobs cancelled while still queued. */
const cancelledEarly = new Set<number>();
/** While held, a job waits at its next yield until released (or cancelled). */
let held = false;
let releaseHeld: (() => void)[] = [];
const release = () => {
  for (const resolve of releaseHeld.splice(0)) resolve();
};

scope.onmessage = (event: MessageEvent<PageToExperiment>) => {
  const message = event.data;
  if (message.type === 'cancel') {
    if (current?.jobId === message.jobId) {
      current.cancelled = true;
      release();
    } else if (queue.some((c) => c.type === 'run' && c.jobId === message.jobId)) cancelledEarly.add(message.jobId);
    return;
  }
  if (message.type === 'hold') {
    held = message.held;
    if (!held) release();
    return;
  }
  queue.push(message);
  void pump();
};

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (let command = queue.shift(); command; command = queue.shift()) {
      switch (command.type) {
        case 'init':
          backendRequest = { choice: command.backend, allowSoftware: command.allowSoftwareWebGpu };
          backendStale = true;
          break;
        case 'setBackend':
          if (command.backend !== backendRequest.choice) {
            backendRequest = { ...backendRequest, choice: command.backend };
            backendStale = true;
          }
          break;
        case 'run':
          await runJob(command.jobId, command.job);
          break;
      }
    }
  } finally {
    pumping = false;
  }
}

async function ensureBackend(): Promise<BackendInfo> {
  if (!backend || backendStale) {
    backend = await chooseBackend(backendRequest.choice, backendRequest.allowSoftware);
    backendStale = false;
    post({ type: 'backend', info: backend });
  }
  return backend;
}

/** What a running job may call: progress (throttled), yield, and whether it was cancelled. */
interface JobContext {
  readonly cancelled: boolean;
  progress(p: JobProgress): void;
  /** Posts the pending progress now (before a message that must follow it). */
  flush(): void;
  yield(): Promise<void>;
}

async function runJob(jobId: number, job: ExperimentJob): Promise<void> {
  if (cancelledEarly.delete(jobId)) {
    post({ type: 'done', jobId, result: null, cancelled: true, warnings: [], seconds: 0, tensors: tf.memory().numTensors, backend: backend?.name ?? 'wasm' });
    return;
  }
  const refused = checkJob(job);
  if (refused) {
    post({ type: 'error', jobId, message: refused, tensors: tf.memory().numTensors });
    return;
  }
  const state = { jobId, cancelled: false };
  current = state;
  const throttle = new Throttle<JobProgress>((progress) => post({ type: 'progress', jobId, progress }), PROGRESS_EVERY_MS);
  const ctx: JobContext = {
    get cancelled() {
      return state.cancelled;
    },
    progress: (p) => throttle.update(p),
    flush: () => throttle.flush(),
    yield: async () => {
      await yieldToEvents();
      while (held && !state.cancelled) await new Promise<void>((resolve) => releaseHeld.push(resolve));
    },
  };
  const started = performance.now();
  try {
    const info = await ensureBackend();
    post({ type: 'started', jobId, kind: job.kind, backend: info.name });
    const { result, warnings } =
      job.kind === 'capacity'
        ? await runCapacity(job, ctx)
        : job.kind === 'multihop'
          ? await runMultihop(job, ctx)
          : job.kind === 'optimizers'
            ? await runOptimizers(job, ctx)
            : await runTransfer(job, ctx);
    throttle.flush();
    post({
      type: 'done',
      jobId,
      result,
      cancelled: state.cancelled,
      warnings,
      seconds: (performance.now() - started) / 1000,
      tensors: tf.memory().numTensors,
      backend: info.name,
    });
  } catch (error) {
    throttle.discard();
    post({ type: 'error', jobId, message: `The experiment failed: ${(error as Error).message ?? String(error)}`, tensors: tf.memory().numTensors });
  } finally {
    current = null;
  }
}

const diverged = (what: string) => `${what}: the loss became NaN or infinite, so that run stopped (counted as not reaching 100%).`;

// ---------------------------------------------------------------------------------------------

async function runCapacity(job: CapacityJob, ctx: JobContext): Promise<{ result: JobResult; warnings: string[] }> {
  let cellsSeen = 0;
  let trialsAtCellStart = 0;
  const report: CapacityReport = await capacitySweep(job.settings, {
    shouldStop: () => ctx.cancelled,
    onProgress: async (p) => {
      if (p.cellsDone !== cellsSeen) {
        cellsSeen = p.cellsDone;
        trialsAtCellStart = p.trials.length;
      }
      const c = p.current;
      ctx.progress({
        kind: 'capacity',
        fraction: capacityFraction(p.cellsDone, p.cells, p.trials.length - trialsAtCellStart, c?.step ?? 0, c?.steps ?? 1),
        cellsDone: p.cellsDone,
        cells: p.cells,
        current: c ? { ...c } : null,
        trials: p.trials.length,
        points: p.points.map((x) => ({ ...x })),
      });
      await ctx.yield();
    },
  });
  const warnings = report.trials.filter((t) => t.diverged).map((t) => diverged(`${t.arm === 'frozen' ? 'frozen' : 'learned'} embeddings, N = ${t.n}, d = ${t.d}`));
  return { result: { kind: 'capacity', report }, warnings };
}

// ---------------------------------------------------------------------------------------------

async function runMultihop(job: MultihopJob, ctx: JobContext): Promise<{ result: JobResult; warnings: string[] }> {
  const points: MultihopPoint[] = [];
  const warnings: string[] = [];
  const { kind: _kind, ...config } = job;
  for (let index = 0; index < job.ds.length && !ctx.cancelled; index++) {
    const d = job.ds[index];
    const base = { kind: 'multihop' as const, index, count: job.ds.length, d, steps: job.steps, points: points.slice() };
    ctx.progress({ ...base, fraction: multihopFraction(index, job.ds.length, 'singleHop', 0, job.steps), model: 'singleHop', step: 0, accuracy: NaN, loss: NaN });
    const result = await multihopExperiment({
      n: job.n,
      r: job.r,
      d,
      m: job.m,
      steps: job.steps,
      seed: job.seed,
      lr: job.lr,
      shouldStop: () => ctx.cancelled,
      onProgress: async (model, step, loss, accuracy) => {
        ctx.progress({ ...base, fraction: multihopFraction(index, job.ds.length, model, step + 1, job.steps), model, step: step + 1, accuracy, loss });
        await ctx.yield();
      },
    });
    if (result.cancelled) break; // a half-trained point says nothing about d
    const point = multihopPoint(result);
    points.push(point);
    if (point.singleHopTraining.diverged) warnings.push(diverged(`single hop at d = ${d}`));
    if (point.directTraining.diverged) warnings.push(diverged(`direct 2-hop model at d = ${d}`));
    ctx.progress({ ...base, points: points.slice(), fraction: (index + 1) / job.ds.length, model: 'direct', step: job.steps, accuracy: NaN, loss: NaN });
    await ctx.yield();
  }
  return { result: { kind: 'multihop', job: config, points }, warnings };
}

// ---------------------------------------------------------------------------------------------

/** A run as a message carries it: its own arrays, so later chunks do not change what was posted. */
function copyRun(run: OptimizerRun): OptimizerRun {
  return { ...run, curve: run.curve.slice(), probes: run.probes.slice() };
}

async function runOptimizers(job: OptimizersJob, ctx: JobContext): Promise<{ result: JobResult; warnings: string[] }> {
  const { kind: _kind, ...settings } = job;
  const comparison = await compareOptimizers(settings, {
    shouldStop: () => ctx.cancelled,
    onProgress: async (p) => {
      ctx.progress({ kind: 'optimizers', fraction: p.fraction, phase: p.phase, steps: job.steps, runs: p.runs.map(copyRun) });
      await ctx.yield();
    },
  });
  const warnings = comparison.runs.filter((run) => run.divergedAt !== null).map((run) => diverged(`${run.optimizer} at step ${run.divergedAt}`));
  return { result: { kind: 'optimizers', settings: comparison.settings, runs: comparison.runs }, warnings };
}

// ---------------------------------------------------------------------------------------------

function retrainSummary(run: RetrainRun): RetrainSummary {
  return {
    steps: run.steps,
    stepsTo100: run.stepsTo100,
    accuracyByRelation: run.accuracyByRelation,
    loss: run.loss,
    trainedParameters: run.trainedParameters,
    seconds: run.seconds,
    diverged: run.diverged,
  };
}

async function runTransfer(job: TransferJob, ctx: JobContext): Promise<{ result: JobResult; warnings: string[] }> {
  const { config } = job;
  const facts = makeFacts(config.n, config.r, job.factSeed);
  const model = modelFromArrays(config, job.weights);
  const warnings: string[] = [];
  const partial: TransferJobProgress['partial'] = { config, modelStep: job.modelStep, chance: 1 / config.n };
  const report = (phase: TransferJobProgress['phase'], step: number, accuracy: number, loss: number) =>
    ctx.progress({ kind: 'transfer', fraction: transferFraction(phase, step, job.steps, job.retrain), phase, step, steps: job.steps, accuracy, loss, partial: { ...partial } });
  try {
    report('zeroShot', 0, NaN, NaN);
    await ctx.yield();
    const own = await evaluateAccuracy(model, facts);
    const zero = await zeroShotTransfer(model, facts, { seed: job.seed });
    partial.ownAccuracyByRelation = own.accuracyByRelation;
    const { newFacts, maps: _maps, lambda: _lambda, ...numbers } = zero;
    partial.zeroShot = { ...numbers, newFactsSeed: newFacts.seed };
    report('zeroShot', job.steps, NaN, NaN);
    ctx.flush(); // the zero-shot numbers show at once, before the retraining's first chunk
    await ctx.yield();
    let retrain: TransferJobResult['retrain'] = null;
    if (job.retrain && !ctx.cancelled) {
      const result = await retrainEmbeddingsOnly(model, facts, {
        ...job.optimizer,
        seed: job.seed,
        steps: job.steps,
        lr: job.lr,
        shouldStop: () => ctx.cancelled,
        onProgress: async (run, last) => {
          const accuracy = last.accuracyByRelation.reduce((a, b) => a + b, 0) / last.accuracyByRelation.length;
          report(run, last.step + 1, accuracy, last.loss);
          await ctx.yield();
        },
      });
      const embeddingsOnly = retrainSummary(result.embeddingsOnly);
      // Cancelled before the from-scratch run took a step: it has nothing to show.
      const fromScratch = result.cancelled && result.fromScratch.steps === 0 ? null : retrainSummary(result.fromScratch);
      retrain = { steps: job.steps, lr: job.lr, ...(job.optimizer ? { optimizer: job.optimizer } : {}), embeddingsOnly, fromScratch };
      if (embeddingsOnly.diverged) warnings.push(diverged('retraining the subject embeddings only'));
      if (fromScratch?.diverged) warnings.push(diverged('training from scratch'));
    }
    const result: TransferJobResult = {
      kind: 'transfer',
      config,
      modelStep: job.modelStep,
      chance: 1 / config.n,
      ownAccuracyByRelation: partial.ownAccuracyByRelation,
      zeroShot: partial.zeroShot,
      retrain,
    };
    return { result, warnings };
  } finally {
    disposeModel(model);
  }
}
