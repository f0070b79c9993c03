/**
 * Keeps a recurring job between training chunks (the live figures' measurements, the weight
 * snapshots) to a share of the worker's wall time, so it does not stall the step loop: after a job
 * that took c ms, the next waits c·(1 − share)/share ms (never less than the job's own floor). At
 * N = 256 one measurement takes ~0.2–0.4 s and at N = 1,024 ~2–4 s (Node wasm, this machine), so a
 * fixed 350 ms cadence spent half the worker's time, or more, measuring.
 *
 * The cost is the median of the last three runs: one run slowed by something else (the machine
 * busy, a garbage collection) does not hold the figures back for long, nor one quick run let them
 * take more than their share. The very first run is not counted:
 * it pays for compiling the code (in a browser, 3 s where later runs take 0.4 s).
 */
const RECENT = 3;

export class TimeShare {
  private readonly recent: number[] = [];
  private warm = false;

  /** `share`: the most of the wall time the job may take (0–1]; `floorMs`: the shortest wait between runs. */
  constructor(
    private readonly share: number,
    private readonly floorMs: number,
  ) {}

  /** Records how long one run of the job took. */
  took(ms: number): void {
    if (!this.warm) {
      this.warm = true;
      return;
    }
    this.recent.push(ms);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  /** How long to wait after the last run ended before the next. */
  get waitMs(): number {
    if (this.recent.length === 0 || this.share >= 1) return this.floorMs;
    const cost = [...this.recent].sort((a, b) => a - b)[this.recent.length >> 1];
    return Math.max(this.floorMs, (cost * (1 - this.share)) / this.share);
  }
}
