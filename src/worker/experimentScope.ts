/// <reference lib="webworker" />
/**
 * The experiment worker (entry: experimentWorker.ts): runs the chapters' experiments over src/core, one job at a time, apart from
 * the training worker so the playground keeps its own model. It knows no experiment: a job names its
 * kind, and the worker loads that experiment's run.ts through src/experiments/registry.ts (its check,
 * then its run). It picks its backend as the training worker does (backendChoice.ts), yields to its
 * message queue after every chunk of steps so a cancel lands at once, posts progress at most ~10
 * times a second, and reports every job's end — finished, cancelled or failed — as a message, with
 * tfjs's live tensor count.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnyJobRunner, JobContext, JobProgressBase } from '../experiments/kit';
import { EXPERIMENTS, isLiveName, type Experiment } from '../experiments/registry';
import { chooseBackend } from './backendChoice';
import { Throttle } from './throttle';
import type { ExperimentToPage, PageToExperiment, RunRequest } from './experimentProtocol';
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
          await runJob(command.jobId, command);
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

/** An experiment's worker side, loaded once, on its first job. */
async function runnerOf(kind: string): Promise<AnyJobRunner> {
  if (!isLiveName(kind)) throw new Error(`there is no experiment called ${JSON.stringify(kind)}`);
  return (await (EXPERIMENTS[kind] as Experiment).run!()).default;
}

async function runJob(jobId: number, { kind, job }: RunRequest): Promise<void> {
  if (cancelledEarly.delete(jobId)) {
    post({ type: 'done', jobId, result: null, cancelled: true, warnings: [], seconds: 0, tensors: tf.memory().numTensors, backend: backend?.name ?? 'wasm' });
    return;
  }
  const state = { jobId, cancelled: false };
  current = state; // from here a cancel lands on this job, also while its experiment loads
  const throttle = new Throttle<JobProgressBase>((progress) => post({ type: 'progress', jobId, progress }), PROGRESS_EVERY_MS);
  const ctx: JobContext<JobProgressBase> = {
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
    const runner = await runnerOf(kind);
    const refused = runner.check(job);
    if (refused) {
      post({ type: 'error', jobId, message: refused, tensors: tf.memory().numTensors });
      return;
    }
    const info = await ensureBackend();
    post({ type: 'started', jobId, kind, backend: info.name });
    const { result, warnings } = await runner.run(job, ctx);
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
