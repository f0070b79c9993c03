import { describe, expect, it } from 'vitest';
import { parseWeightText, serializeWeights } from '../core/weights';
import { initialWeights, type ModelConfig } from '../core/model';
import { adoptWeightFile, checkWeightFileSize, weightFileOf } from './weightImport';
import type { RunSettings } from './protocol';

const LIMITS = { maxLogitCells: 2 ** 24, maxBytes: 1_000_000 };
const FALLBACK: RunSettings = { n: 128, r: 4, d: 24, m: 256, lr: 0.05, seed: 9, freezeSubjects: false };
const config: ModelConfig = { n: 16, r: 2, d: 8, m: 12, heads: 1, seqLen: 2 };

describe('weight files in the playground', () => {
  it('a file the page writes reads back with its settings and step', () => {
    const settings: RunSettings = { n: 16, r: 2, d: 8, m: 12, lr: 0.003, seed: 7, freezeSubjects: true };
    const file = weightFileOf(config, 7, settings, 42, 'wasm', initialWeights(config, 7));
    const parsed = parseWeightText(serializeWeights(file));
    const adopted = adoptWeightFile(parsed, FALLBACK, LIMITS);
    expect(adopted).toEqual({ ok: true, settings, step: 42 });
  });

  it('a CLI file (meta: steps, lr, freezeSubjects) and a file without meta', () => {
    const weights = initialWeights(config, 1);
    const cli = adoptWeightFile({ config, facts: { n: 16, r: 2, seed: 3 }, meta: { madeBy: 'train', steps: 60, lr: 0.01, freezeSubjects: false }, weights }, FALLBACK, LIMITS);
    expect(cli).toEqual({ ok: true, settings: { n: 16, r: 2, d: 8, m: 12, lr: 0.01, seed: 3, freezeSubjects: false }, step: 60 });
    const bare = adoptWeightFile({ config, facts: { n: 16, r: 2, seed: 3 }, meta: { lr: -1, steps: 1.5 }, weights }, FALLBACK, LIMITS);
    expect(bare).toEqual({ ok: true, settings: { n: 16, r: 2, d: 8, m: 12, lr: 0.05, seed: 3, freezeSubjects: false }, step: 0 });
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
