/**
 * The page's record of loss and accuracy per step, appended from the worker's MetricChunks.
 * Plain arrays, no React: the hook owns one and bumps a version number when it changes.
 */
import type { MetricChunk } from '../worker/protocol';

export class MetricHistory {
  steps: number[] = [];
  loss: number[] = [];
  accuracy: number[][] = [];

  clear(): void {
    this.steps = [];
    this.loss = [];
    this.accuracy = [];
  }

  append(chunk: MetricChunk, relations: number): void {
    if (chunk.steps.length === 0) return;
    // After a backend fallback the run resumes from an earlier snapshot: drop what is redone.
    const first = chunk.steps[0];
    if (this.steps.length && this.steps[this.steps.length - 1] >= first) {
      let keep = this.steps.length;
      while (keep > 0 && this.steps[keep - 1] >= first) keep--;
      this.steps.length = this.loss.length = this.accuracy.length = keep;
    }
    for (let i = 0; i < chunk.steps.length; i++) {
      this.steps.push(chunk.steps[i]);
      this.loss.push(chunk.loss[i]);
      this.accuracy.push(Array.from(chunk.accuracy.subarray(i * relations, (i + 1) * relations)));
    }
  }

  get lastAccuracy(): number[] | null {
    return this.accuracy.length ? this.accuracy[this.accuracy.length - 1] : null;
  }

  get lastLoss(): number | null {
    return this.loss.length ? this.loss[this.loss.length - 1] : null;
  }
}

/** Numbers in a CSV cell: the shortest form that reads back the same; NaN, Infinity as such. */
const csvNumber = (x: number) => String(x);

/**
 * The history as CSV: a header `step,loss,accuracy_r0,…` and one row per recorded step. `step` is
 * the number of updates applied before the row's loss and accuracy were measured.
 */
export function metricsCsv(history: MetricHistory, relations: number): string {
  const header = ['step', 'loss', ...Array.from({ length: relations }, (_, r) => `accuracy_r${r}`)].join(',');
  const rows = [header];
  for (let i = 0; i < history.steps.length; i++) {
    const acc = history.accuracy[i] ?? [];
    rows.push([String(history.steps[i]), csvNumber(history.loss[i]), ...Array.from({ length: relations }, (_, r) => csvNumber(acc[r] ?? NaN))].join(','));
  }
  return rows.join('\n') + '\n';
}
