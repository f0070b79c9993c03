/**
 * At most one message per `everyMs`, and the latest one is never lost: an update that comes too
 * soon is kept and sent by a timer (or by `flush`). Time and timers are injectable for tests.
 */
export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ThrottleClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Throttle<T> {
  private last = -Infinity;
  private pending: { value: T } | null = null;
  private timer: unknown = null;

  constructor(
    private readonly send: (value: T) => void,
    private readonly everyMs: number,
    private readonly clock: ThrottleClock = realClock,
  ) {}

  update(value: T): void {
    this.pending = { value };
    const wait = this.last + this.everyMs - this.clock.now();
    if (wait <= 0) this.flush();
    else if (this.timer === null) this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Sends the pending value now, if any. */
  flush(): void {
    this.cancel();
    if (!this.pending) return;
    const { value } = this.pending;
    this.pending = null;
    this.last = this.clock.now();
    this.send(value);
  }

  /** Drops the pending value and its timer. */
  cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  discard(): void {
    this.cancel();
    this.pending = null;
  }
}
