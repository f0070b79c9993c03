/**
 * What every experiment shares, with no React and no DOM (the experiment worker, the CLI and the
 * tests import it): the shape of a job's worker side (its check and its run), what a run may call
 * while it works, and small helpers for checking jobs and reading precomputed files.
 */

/** Every job's progress carries how far it is, 0…1, never going back. */
export interface JobProgressBase {
  fraction: number;
}

/** What a running job may call: progress (throttled), yield, and whether it was cancelled. */
export interface JobContext<P> {
  readonly cancelled: boolean;
  progress(p: P): void;
  /** Posts the pending progress now (before a message that must follow it). */
  flush(): void;
  /** Lets the worker read its messages (a cancel, a hold); waits here while held. */
  yield(): Promise<void>;
}

/** A finished (or cancelled: the results so far) job. `warnings` name runs whose loss became NaN or infinite. */
export interface JobOutcome<R> {
  result: R;
  warnings: string[];
}

/** An experiment's worker side, the default export of its run.ts. */
export interface JobRunner<J, P extends JobProgressBase, R> {
  /** Why a job is refused, or null when it is within the experiment's live limits. */
  check(job: J): string | null;
  run(job: J, ctx: JobContext<P>): Promise<JobOutcome<R>>;
}

/** A runner whose job, progress and result types are not known here (the worker's dispatch). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobRunner = JobRunner<any, JobProgressBase, unknown>;

export const positiveInt = (x: number) => Number.isInteger(x) && x >= 1;

/** step / steps, clamped to 0…1 (0 when there are no steps). */
export const stepFraction = (step: number, steps: number) => (steps > 0 ? Math.min(1, Math.max(0, step / steps)) : 0);

/** The warning for a run whose loss became NaN or infinite. */
export const diverged = (what: string) => `${what}: the loss became NaN or infinite, so that run stopped (counted as not reaching 100%).`;

// ---------------------------------------------------------------------------------------------
// Precomputed files.

/** A precomputed file read: its data, or why it cannot be used. */
export type Parsed<T> = { ok: true; data: T } | { ok: false; message: string };

export type Obj = Record<string, unknown>;
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
