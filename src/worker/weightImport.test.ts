import { describe, expect, it } from 'vitest';
import { parseWeightText, serializeWeights } from '../core/model/weights';
import { initialWeights, type ModelConfig } from '../core/model/model';
import { adoptWeightFile, checkWeightFileSize, weightFileOf } from './weightImport';
import type { RunSettings } from './protocol';

const LIMITS = { maxLogitCells: 2 ** 24, maxBytes: 1_000_000 };
const ADAM = { optimizer: 'adam', lr: 0.01, momentum: 0.9, embedLrMult: 1, weightDecay: 0 } as const;
const FALLBACK: RunSettings = { n: 128, r: 4, d: 24, m: 256, optimizer: 'sgd', lr: 0.05, momentum: 0.8, embedLrMult: 20, weightDecay: 0, seed: 9, freezeSubjects: false, uniformAttention: false };
const config: ModelConfig = { n: 16, r: 2, d: 8, m: 12, heads: 1, seqLen: 2 };

describe('weight files in the playground', () => {
  it('a file the page writes reads back with its settings and step', () => {
    for (const settings of [
      { n: 16, r: 2, d: 8, m: 12, ...ADAM, lr: 0.003, seed: 7, freezeSubjects: true, uniformAttention: false },
      { n: 16, r: 2, d: 8, m: 12, optimizer: 'sgd', lr: 0.1, momentum: 0.5, embedLrMult: 30, weightDecay: 0.001, seed: 7, freezeSubjects: false, uniformAttention: true },
      { n: 16, r: 2, d: 8, m: 12, optimizer: 'gd', lr: 0.2, momentum: 0, embedLrMult: 10, weightDecay: 0, seed: 7, freezeSubjects: false, uniformAttention: false },
    ] satisfies RunSettings[]) {
      const file = weightFileOf(config, 7, settings, 42, 'wasm', initialWeights(config, 7));
      const parsed = parseWeightText(serializeWeights(file));
      const adopted = adoptWeightFile(parsed, FALLBACK, LIMITS);
      expect(adopted).toEqual({ ok: true, settings, step: 42 });
    }
  });

  it('a CLI file with the optimiser flags (train writes them in meta)', () => {
    const weights = initialWeights(config, 1);
    const meta = { madeBy: 'train', backend: 'wasm', steps: 300, optimizer: 'sgd', lr: 0.1, momentum: 0.9, embedLrMult: 30, weightDecay: 0, uniformAttention: true, batch: 32, seed: 3, freezeSubjects: false, freezeAttributes: false };
    const adopted = adoptWeightFile({ config, facts: { n: 16, r: 2, seed: 3 }, meta, weights }, FALLBACK, LIMITS);
    expect(adopted).toEqual({ ok: true, settings: { n: 16, r: 2, d: 8, m: 12, optimizer: 'sgd', lr: 0.1, momentum: 0.9, embedLrMult: 30, weightDecay: 0, seed: 3, freezeSubjects: false, uniformAttention: true }, step: 300 });
    // An unknown optimiser or bad numbers fall back to the defaults, never to NaN.
    const odd = adoptWeightFile({ config, facts: { n: 16, r: 2, seed: 3 }, meta: { optimizer: 'gd', momentum: 0.9, embedLrMult: -1, weightDecay: 'x' }, weights }, FALLBACK, LIMITS);
    expect(odd).toEqual({ ok: true, settings: { n: 16, r: 2, d: 8, m: 12, optimizer: 'gd', lr: 0.1, momentum: 0, embedLrMult: 30, weightDecay: 0, seed: 3, freezeSubjects: false, uniformAttention: false }, step: 0 });
  });

  it('a CLI file (meta: steps, lr, freezeSubjects) and a file without meta', () => {
    const weights = initialWeights(config, 1);
    const cli = adoptWeightFile({ config, facts: { n: 16, r: 2, seed: 3 }, meta: { madeBy: 'train', steps: 60, lr: 0.01, freezeSubjects: false }, weights }, FALLBACK, LIMITS);
    // Written before the optimiser was a setting: Adam.
    expect(cli).toEqual({ ok: true, settings: { n: 16, r: 2, d: 8, m: 12, ...ADAM, lr: 0.01, seed: 3, freezeSubjects: false, uniformAttention: false }, step: 60 });
    const bare = adoptWeightFile({ config, facts: { n: 16, r: 2, seed: 3 }, meta: { lr: -1, steps: 1.5 }, weights }, FALLBACK, LIMITS);
    expect(bare).toEqual({ ok: true, settings: { ...FALLBACK, n: 16, r: 2, d: 8, m: 12, seed: 3 }, step: 0 });
  });

  it('refuses models the playground cannot run, saying why', () => {
    const file = (c: Partial<ModelConfig>) => ({ config: { ...config, ...c }, facts: { n: 16, r: 2, seed: 0 }, meta: {}, weights: initialWeights(config, 1) });
    const why = (c: Partial<ModelConfig>, limits = LIMITS) => {
      const a = adoptWeightFile(file(c), FALLBACK, limits);
      return a.ok ? '' : a.message;
    };
    expect(why({ heads: 2 })).toMatch(/2 attention heads/);
    expect(why({ seqLen: 3 })).toMatch(/multi-hop/);
    expect(why({ m: 20_000 })).toMatch(/MLP width/);
    expect(why({}, { ...LIMITS, maxLogitCells: 100 })).toMatch(/too large/);
    expect(checkWeightFileSize(0, LIMITS)).toMatch(/empty/);
    expect(checkWeightFileSize(2_000_000, LIMITS)).toMatch(/2 MB.*up to 1 MB/);
    expect(checkWeightFileSize(10, LIMITS)).toBeNull();
  });
});
