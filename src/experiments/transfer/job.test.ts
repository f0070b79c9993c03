import { describe, expect, it } from 'vitest';
import { checkTransferJob, transferFraction, transferProgressText, type TransferJob } from './job';

describe('transfer job', () => {
  it('refuses a model too large to retrain in a tab', () => {
    const config = { n: 8192, r: 4, d: 8, m: 8, heads: 1, seqLen: 2 };
    const transfer: TransferJob = { config, factSeed: 1, weights: {} as never, modelStep: 0, seed: 1, retrain: false, steps: 100, lr: 0.01 };
    expect(checkTransferJob(transfer)).toMatch(/too large/);
    expect(checkTransferJob({ ...transfer, config: { ...config, n: 128 } })).toBeNull();
  });

  it('progress: zero-shot, then embeddings only, then from scratch', () => {
    const seq = [transferFraction('zeroShot', 0, 10, true), transferFraction('zeroShot', 10, 10, true), transferFraction('embeddingsOnly', 5, 10, true), transferFraction('fromScratch', 0, 10, true), transferFraction('fromScratch', 10, 10, true)];
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1]);
    expect(seq[seq.length - 1]).toBe(1);
    expect(transferFraction('zeroShot', 10, 10, false)).toBe(0.5);
  });

  it('says what the worker is doing', () => {
    expect(transferProgressText({ fraction: 0.3, phase: 'embeddingsOnly', step: 10, steps: 1000, accuracy: NaN, loss: NaN, partial: {} })).toBe(
      'retraining the subject embeddings only: step 10 of 1,000',
    );
  });
});
