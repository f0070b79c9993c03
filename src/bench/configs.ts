/** The benchmark's three training configurations (issue 6) and the FLOPs of one step. */
import type { ModelConfig } from '../core/model/model';

export interface BenchConfig {
  name: 'S' | 'M' | 'L';
  model: ModelConfig;
  lr: number;
  seed: number;
  /** Steps timed for steps/s (after one warm-up step), unless `seconds` runs out first. */
  steps: number;
  /** Wall-clock cap of one timed run. */
  seconds: number;
}

const model = (n: number, r: number, d: number, m: number): ModelConfig => ({ n, r, d, m, heads: 1, seqLen: 2 });

export const BENCH_CONFIGS: BenchConfig[] = [
  { name: 'S', model: model(256, 4, 32, 256), lr: 0.01, seed: 1, steps: 150, seconds: 20 },
  { name: 'M', model: model(1024, 4, 64, 512), lr: 0.01, seed: 1, steps: 80, seconds: 40 },
  { name: 'L', model: model(4096, 8, 64, 512), lr: 0.01, seed: 1, steps: 4, seconds: 60 },
];

/**
 * FLOPs of one full-batch training step of the textbook computation (forward ×3 for forward plus
 * backward, 2 FLOPs per multiply-add), counting the per-fact work: attention projections 6d²
 * (keys and values at two positions, the query, the output), the MLP 2dm, the logits dN. The same
 * count for every implementation, so GFLOP/s compares like with like; a path that skips work (our
 * single-hop path does) shows as more effective GFLOP/s.
 */
export function flopsPerStep(c: ModelConfig): number {
  const facts = c.n * c.r;
  const perFact = 6 * c.d * c.d + 2 * c.d * c.m + c.d * c.n;
  return 6 * facts * perFact;
}
