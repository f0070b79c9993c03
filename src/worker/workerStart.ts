/// <reference lib="webworker" />
/**
 * Both page workers start here, so they share their chunks. Vite bundles each worker on its own, and
 * each bundle would carry its own copy of TensorFlow.js (~1 MB). Instead each worker's entry file is
 * a stub that calls startWorker with its kind; this module reaches both workers' code through
 * dynamic imports, so the two bundles see the same graph and split it into the same chunks (same
 * content, same hashed file names): one tfjs chunk in dist/, downloaded once for both workers
 * (tests/browser/hosting.test.ts checks it).
 */
export type WorkerKind = 'training' | 'experiments';

const SCOPES: Record<WorkerKind, () => Promise<unknown>> = {
  training: () => import('./trainingScope'),
  experiments: () => import('./experimentScope'),
};

/**
 * Loads `kind`'s code. Messages that arrive while it loads are kept and handed, in order, to the
 * handler its module installs.
 */
export function startWorker(kind: WorkerKind): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  const early: MessageEvent[] = [];
  const keep = (event: MessageEvent) => early.push(event);
  scope.onmessage = keep;
  SCOPES[kind]()
    .then(() => {
      if (scope.onmessage === keep) throw new Error(`the ${kind} worker installed no message handler`);
      for (const event of early.splice(0)) scope.onmessage?.(event);
    })
    .catch((error: unknown) => {
      // Thrown from a task, not a promise: the page's Worker gets an 'error' event, as for a script that failed to load.
      setTimeout(() => {
        throw error;
      });
    });
}
