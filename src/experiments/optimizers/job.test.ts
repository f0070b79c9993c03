import { describe, expect, it } from 'vitest';
import { checkOptimizersJob, type OptimizersJob } from './job';

describe('optimisers job', () => {
  const job = (over: Partial<OptimizersJob> = {}): OptimizersJob => ({
    n: 256,
    r: 2,
    d: 32,
    m: 256,
    steps: 600,
    seed: 1,
    optimizers: ['adam', 'sgd', 'gd', 'sign'],
    probeEvery: 20,
    ...over,
  });
  it('accepts the chapter’s default and names what is out of range', () => {
    expect(checkOptimizersJob(job())).toBeNull();
    expect(checkOptimizersJob(job({ n: 1024 }))).toMatch(/N must/);
    expect(checkOptimizersJob(job({ n: 512, r: 8 }))).toMatch(/too large/);
    expect(checkOptimizersJob(job({ r: 0 }))).toMatch(/R must/);
    expect(checkOptimizersJob(job({ d: 0 }))).toMatch(/d must/);
    expect(checkOptimizersJob(job({ m: 1024 }))).toMatch(/m must/);
    expect(checkOptimizersJob(job({ steps: 0 }))).toMatch(/step budget/);
    expect(checkOptimizersJob(job({ seed: -1 }))).toMatch(/seed/);
    expect(checkOptimizersJob(job({ probeEvery: 2.5 }))).toMatch(/probeEvery/);
    expect(checkOptimizersJob(job({ optimizers: [] }))).toMatch(/optimiser/);
    expect(checkOptimizersJob(job({ optimizers: ['adam', 'adam'] }))).toMatch(/optimiser/);
  });
});
