/**
 * The message protocol between the page and the experiment worker, which runs the chapters' longer
 * experiments one job at a time, apart from the training worker. It knows no experiment: a job is
 * `{kind, job}`, kind a name in src/experiments/registry.ts, and the worker dispatches it to that
 * experiment's run.ts; progress and results are the experiment's own types (JobOf, ProgressOf and
 * ResultOf in the registry).
 *
 * Flow: the page sends `init` (backend choice) and `run` jobs with ids; the worker answers `started`,
 * `progress` (at most ~10 per second), and one `done` (also after a cancel, with the results so far)
 * or `error` per job. `cancel` stops the job at its next chunk of steps.
 */
import type { BackendName } from '../core/training/backends';
import type { JobProgressBase } from '../experiments/kit';
import type { JobOf, LiveName } from '../experiments/registry';
import type { BackendChoice, BackendInfo } from './protocol';

/** A job for the experiment `kind`. */
export type RunRequest = { [K in LiveName]: { kind: K; job: JobOf<K> } }[LiveName];

export type PageToExperiment =
  | { type: 'init'; backend: BackendChoice; allowSoftwareWebGpu: boolean }
  /** Applies from the next job on. */
  | { type: 'setBackend'; backend: BackendChoice }
  | ({ type: 'run'; jobId: number } & RunRequest)
  | { type: 'cancel'; jobId: number }
  /** Hold the job under way at its next chunk of steps (an embedded figure off screen), or let it go on. */
  | { type: 'hold'; held: boolean };

/** A job's messages; P and R are its experiment's progress and result (unknown to the worker). */
export type JobMessage<P = JobProgressBase, R = unknown> =
  | { type: 'started'; jobId: number; kind: LiveName; backend: BackendName }
  | { type: 'progress'; jobId: number; progress: P }
  /**
   * The job ended: finished, or cancelled with the results so far (null: cancelled before it
   * began). `warnings` name runs whose loss became NaN or infinite. `tensors`: tfjs's live tensor
   * count in the worker after the job (it must be the same after two identical jobs).
   */
  | { type: 'done'; jobId: number; result: R | null; cancelled: boolean; warnings: string[]; seconds: number; tensors: number; backend: BackendName }
  | { type: 'error'; jobId: number; message: string; tensors: number };

export type ExperimentToPage = { type: 'backend'; info: BackendInfo } | JobMessage;
