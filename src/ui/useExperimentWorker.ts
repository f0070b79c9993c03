/**
 * The page's side of the experiment worker (src/worker/experimentWorker.ts): one worker for all the
 * chapters, created on the first job (not at page load), and a hook per chapter that runs its jobs
 * and turns their messages into React state, typed by the experiment's own job, progress and result
 * (src/experiments/registry.ts). Jobs queue in the worker and run one at a time.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BackendName } from '../core/training/backends';
import type { JobProgressBase } from '../experiments/kit';
import type { JobOf, LiveName, ProgressOf, ResultOf } from '../experiments/registry';
import type { ExperimentToPage, JobMessage, PageToExperiment, RunRequest } from '../worker/experimentProtocol';
import type { BackendChoice } from '../worker/protocol';

export class ExperimentClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly listeners = new Map<number, (message: JobMessage) => void>();
  private backend: BackendChoice;
  private readonly allowSoftwareWebGpu: boolean;
  private held = false;

  constructor(init: { backend: BackendChoice; allowSoftwareWebGpu: boolean }) {
    this.backend = init.backend;
    this.allowSoftwareWebGpu = init.allowSoftwareWebGpu;
  }

  /** Whether the worker has been started (it is started by the first job). */
  get started(): boolean {
    return this.worker !== null;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('../worker/experimentWorker.ts', import.meta.url), { type: 'module', name: 'experiments' });
    worker.onmessage = (event: MessageEvent<ExperimentToPage>) => {
      const message = event.data;
      if (message.type === 'backend') return;
      const listener = this.listeners.get(message.jobId);
      if (message.type === 'done' || message.type === 'error') this.listeners.delete(message.jobId);
      listener?.(message);
    };
    worker.onerror = (event) => {
      // A worker that failed to load or crashed: every job ends with an error; the next job starts a new one.
      event.preventDefault();
      const text = `The experiment worker failed: ${event.message || 'it could not start'}`;
      for (const [jobId, listener] of this.listeners) listener({ type: 'error', jobId, message: text, tensors: NaN });
      this.listeners.clear();
      worker.terminate();
      if (this.worker === worker) this.worker = null;
    };
    worker.postMessage({ type: 'init', backend: this.backend, allowSoftwareWebGpu: this.allowSoftwareWebGpu } satisfies PageToExperiment);
    if (this.held) worker.postMessage({ type: 'hold', held: true } satisfies PageToExperiment);
    this.worker = worker;
    return worker;
  }

  /** Queues a job; its messages go to `listener`. Returns the job's id. */
  run(request: RunRequest, listener: (message: JobMessage) => void, transfer: Transferable[] = []): number {
    const jobId = this.nextId++;
    this.listeners.set(jobId, listener);
    this.ensureWorker().postMessage({ type: 'run', jobId, ...request } satisfies PageToExperiment, transfer);
    return jobId;
  }

  cancel(jobId: number): void {
    this.worker?.postMessage({ type: 'cancel', jobId } satisfies PageToExperiment);
  }

  /** Forget a job's messages (its chapter went away). */
  detach(jobId: number): void {
    this.listeners.delete(jobId);
  }

  /** Hold the job under way at its next chunk of steps, or let it go on (sent only once the worker exists). */
  hold(held: boolean): void {
    this.held = held;
    this.worker?.postMessage({ type: 'hold', held } satisfies PageToExperiment);
  }

  setBackend(choice: BackendChoice): void {
    if (choice === this.backend) return;
    this.backend = choice;
    this.worker?.postMessage({ type: 'setBackend', backend: choice } satisfies PageToExperiment);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.listeners.clear();
  }
}

/** One client for the page; its worker follows the page's backend choice from the next job on. */
export function useExperimentWorker(init: { backend: BackendChoice; allowSoftwareWebGpu: boolean }): ExperimentClient {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const client = useMemo(() => new ExperimentClient(init), []);
  useEffect(() => client.setBackend(init.backend), [client, init.backend]);
  useEffect(() => () => client.dispose(), [client]);
  return client;
}

export type ExperimentStatus = 'idle' | 'queued' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'error';

export interface ExperimentState<P extends JobProgressBase = JobProgressBase, R = unknown> {
  status: ExperimentStatus;
  kind: LiveName | null;
  progress: P | null;
  /** The last job's result (also after a cancel: the results so far). */
  result: R | null;
  /** Error text, when status is 'error'. */
  message: string | null;
  warnings: string[];
  seconds: number;
  /** tfjs's live tensors in the worker after the last job (NaN before one). */
  tensors: number;
  backend: BackendName | null;
}

const IDLE: ExperimentState = { status: 'idle', kind: null, progress: null, result: null, message: null, warnings: [], seconds: 0, tensors: NaN, backend: null };

export interface ExperimentControls<J> {
  run(job: J, transfer?: Transferable[]): void;
  cancel(): void;
  /** Mark the chapter busy before its job can be sent (e.g. while the weights are fetched). */
  fail(message: string): void;
}

/** A chapter's jobs of the experiment `kind`: at most one at a time; a new run replaces the state of the previous one. */
export function useExperiment<K extends LiveName>(client: ExperimentClient, kind: K): [ExperimentState<ProgressOf<K>, ResultOf<K>>, ExperimentControls<JobOf<K>>] {
  type State = ExperimentState<ProgressOf<K>, ResultOf<K>>;
  const [state, setState] = useState<State>(IDLE as State);
  const jobRef = useRef<number | null>(null);

  const run = useCallback(
    (job: JobOf<K>, transfer: Transferable[] = []) => {
      if (jobRef.current !== null) {
        client.cancel(jobRef.current);
        client.detach(jobRef.current);
      }
      setState({ ...(IDLE as State), status: 'queued', kind });
      const id = client.run(
        { kind, job } as RunRequest,
        (message) => {
          if (jobRef.current !== id) return;
          if (message.type === 'done' || message.type === 'error') jobRef.current = null;
          setState((s) => {
            switch (message.type) {
              case 'started':
                return { ...s, status: s.status === 'cancelling' ? s.status : 'running', backend: message.backend };
              case 'progress':
                return { ...s, progress: message.progress as ProgressOf<K> };
              case 'done':
                return {
                  ...s,
                  status: message.cancelled ? 'cancelled' : 'done',
                  result: message.result as ResultOf<K> | null,
                  warnings: message.warnings,
                  seconds: message.seconds,
                  tensors: message.tensors,
                  backend: message.backend,
                };
              case 'error':
                return { ...s, status: 'error', message: message.message, tensors: message.tensors };
            }
          });
        },
        transfer,
      );
      jobRef.current = id;
    },
    [client, kind],
  );

  const cancel = useCallback(() => {
    if (jobRef.current === null) return;
    client.cancel(jobRef.current);
    setState((s) => (s.status === 'queued' || s.status === 'running' ? { ...s, status: 'cancelling' } : s));
  }, [client]);

  const fail = useCallback((message: string) => setState({ ...(IDLE as State), status: 'error', message }), []);

  useEffect(
    () => () => {
      if (jobRef.current !== null) {
        client.cancel(jobRef.current);
        client.detach(jobRef.current);
        jobRef.current = null;
      }
    },
    [client],
  );

  const controls = useMemo(() => ({ run, cancel, fail }), [run, cancel, fail]);
  return [state, controls];
}

/** Whether a job is queued or under way. */
export function isBusy(status: ExperimentStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'cancelling';
}
