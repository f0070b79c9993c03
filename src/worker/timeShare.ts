/**
 * Keeps a recurring job between training chunks (the live figures' measurements, the weight
 * snapshots) to a share of the worker's wall time, so it does not stall the step loop: after a job
 * that took c ms, the next waits c·(1 − share)/share ms (never less than the job's own floor). At
 * N = 256 one measurement takes ~0.2–0.4 s and at N = 1,024 ~2–4 s (Node wasm, this machine), so a
 * fixed 350 ms cadence spent half the worker's time, or more, measuring.
 */
export class TimeShare {
  private costMs: number | null = null;

  /** `share`: the most of the wall time the job may take (0–1]; `floorMs`: the shortest wait between runs. */
  constructor(
    private readonly share: number,
    private readonly floorMs: number,
  ) {}

  /** Records how long one run of the job took (a moving average: one slow run does not halt it for long). */
  took(ms: number): void {
    this.costMs = this.costMs === null ? ms : 0.5 * this.costMs + 0.5 * ms;
  }

  /** How long to wait after the last run ended before the next. */
  get waitMs(): number {
    if (this.costMs === null || this.share >= 1) return this.floorMs;
    return Math.max(this.floorMs, (this.costMs * (1 - this.share)) / this.share);
  }
}
