/**
 * The training worker's record of past measurements, for time travel: the page's scrubber asks for
 * the measurements at any recorded step while training goes on.
 *
 * Bounded: at most MAX_SNAPSHOTS (200) snapshots and MAX_BYTES (20 MB) of typed arrays. A
 * measurement is kept when it lies at least `stride` steps after the last kept one; when the store
 * is full, every other snapshot is dropped (the first and the newest stay) and the stride doubles.
 * So a short run keeps every measurement (one every few steps), and a long one keeps an evenly
 * thinned record of its whole course, never more than the caps. One snapshot at N = 256, m = 256,
 * R = 2 is about 40 kB (the projection's 32 × N cosines dominate): 200 of them are 8 MB.
 */
import type { Measurements } from './protocol';

export const MAX_SNAPSHOTS = 200;
export const MAX_BYTES = 20 * 1024 * 1024;

/** Bytes of the typed arrays a snapshot holds (the small number arrays are left out). */
export function measurementBytes(m: Measurements): number {
  const { projection: p, gating: g } = m;
  return p.scores.byteLength + p.subjects.byteLength + p.targets.byteLength + g.active.byteLength + g.preferred.byteLength + g.selectivity.byteLength + g.order.byteLength;
}

/** A deep copy: the original's arrays are transferred to the page and become empty. */
export function copyMeasurements(m: Measurements): Measurements {
  const { projection: p, gating: g, probe, superposition } = m;
  return {
    step: m.step,
    probe: { heldOutAccuracy: [...probe.heldOutAccuracy], trainAccuracy: [...probe.trainAccuracy], lambda: [...probe.lambda] },
    superposition: { ...superposition },
    projection: { ...p, subjects: p.subjects.slice(), targets: p.targets.slice(), scores: p.scores.slice() },
    gating: { ...g, active: g.active.slice(), preferred: g.preferred.slice(), selectivity: g.selectivity.slice(), order: g.order.slice() },
  };
}

export class MeasurementHistory {
  private snapshots: Measurements[] = [];
  private bytes = 0;
  /** Steps between two kept snapshots, at least; doubles each time the store is thinned. */
  private stride = 1;

  constructor(
    private readonly maxSnapshots = MAX_SNAPSHOTS,
    private readonly maxBytes = MAX_BYTES,
  ) {}

  clear(): void {
    this.snapshots = [];
    this.bytes = 0;
    this.stride = 1;
  }

  /**
   * Keeps a copy of `m` if it is far enough from the last kept step; returns whether the recorded steps
   * changed. A measurement at or before the last kept step (a run resumed from an earlier snapshot
   * after a lost device) first drops the record after it: that stretch is trained again.
   */
  record(m: Measurements): boolean {
    let changed = false;
    while (this.snapshots.length && this.snapshots[this.snapshots.length - 1].step > m.step) {
      this.bytes -= measurementBytes(this.snapshots.pop()!);
      changed = true;
    }
    const last = this.snapshots[this.snapshots.length - 1];
    if (last && last.step === m.step) {
      // The same step measured again (a relation chosen, a pause): the newer one wins.
      this.bytes -= measurementBytes(last);
      this.snapshots.pop();
    } else if (last && m.step - last.step < this.stride) return changed;
    const size = measurementBytes(m);
    if (size > this.maxBytes) return changed;
    while (this.snapshots.length > 2 && (this.snapshots.length >= this.maxSnapshots || this.bytes + size > this.maxBytes)) this.thin();
    this.snapshots.push(copyMeasurements(m));
    this.bytes += size;
    return true;
  }

  /** Drops every other snapshot, keeping the first and the newest, and doubles the stride. */
  private thin(): void {
    const n = this.snapshots.length;
    const kept = this.snapshots.filter((_, i) => i % 2 === 0 || i === n - 1);
    this.snapshots = kept;
    this.bytes = kept.reduce((sum, s) => sum + measurementBytes(s), 0);
    this.stride *= 2;
  }

  /** The recorded steps, ascending. */
  steps(): number[] {
    return this.snapshots.map((s) => s.step);
  }

  get size(): number {
    return this.snapshots.length;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** A copy of the snapshot recorded at `step` exactly, or null. */
  at(step: number): Measurements | null {
    const found = this.snapshots.find((s) => s.step === step);
    return found ? copyMeasurements(found) : null;
  }
}
