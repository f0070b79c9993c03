/**
 * The training worker, started as the page's script starts rather than after React's first render,
 * and told its backend at once: it loads its code (TensorFlow.js, the training core) and starts its
 * backend while the page renders, which brings the first plotted step ~1 s sooner on a cold load
 * (BENCHMARKS.md, cold start).
 *
 * One spare worker at most; the first live run asking for the same start takes it, later ones start
 * their own. An error the spare meets before it is taken (a chunk that failed to load) is kept and
 * handed to the taker, so the page still says the worker failed.
 */
import type { BackendChoice, PageToWorker } from '../worker/protocol';

export interface WorkerStart {
  backend: BackendChoice;
  allowSoftwareWebGpu: boolean;
}

let spare: { worker: Worker; start: WorkerStart; errors: ErrorEvent[] } | null = null;

function startTrainingWorker(start: WorkerStart): Worker {
  const worker = new Worker(new URL('../worker/trainingWorker.ts', import.meta.url), { type: 'module', name: 'training' });
  worker.postMessage({ type: 'init', backend: start.backend, allowSoftwareWebGpu: start.allowSoftwareWebGpu } satisfies PageToWorker);
  return worker;
}

/** Starts the spare training worker now (no-op without Worker support or when one is waiting). */
export function prestartTrainingWorker(start: WorkerStart): void {
  if (spare || typeof Worker === 'undefined') return;
  const worker = startTrainingWorker(start);
  const errors: ErrorEvent[] = [];
  worker.onerror = (event) => {
    event.preventDefault();
    errors.push(event);
  };
  spare = { worker, start, errors };
}

/**
 * A training worker already sent its `init`: the spare when it was started the same way (with the
 * errors it met while waiting), else a new one.
 */
export function takeTrainingWorker(start: WorkerStart): { worker: Worker; earlyErrors: ErrorEvent[] } {
  const taken = spare;
  spare = null;
  if (taken && taken.start.backend === start.backend && taken.start.allowSoftwareWebGpu === start.allowSoftwareWebGpu) {
    taken.worker.onerror = null;
    return { worker: taken.worker, earlyErrors: taken.errors };
  }
  taken?.worker.terminate();
  return { worker: startTrainingWorker(start), earlyErrors: [] };
}
