/**
 * Weight files in the playground: what the page writes (core's format, with the run's settings in
 * `meta`, as the CLI writes them) and whether a parsed file can become the playground's run. Pure;
 * used by the training worker, tested in Node.
 */
import { PARAMS, parseParam } from '../core/params';
import type { WeightFile } from '../core/weights';
import type { ModelConfig, WeightArrays } from '../core/model';
import type { RunSettings, WeightFileLimits } from './protocol';

/** The `meta` of a weight file the page writes: the keys the CLI's `train` writes, plus the page's. */
export function exportMeta(settings: RunSettings, step: number, backend: string | null): Record<string, unknown> {
  return {
    madeBy: 'explorable',
    ...(backend ? { backend } : {}),
    steps: step,
    lr: settings.lr,
    seed: settings.seed,
    freezeSubjects: settings.freezeSubjects,
    ...(settings.construction ? { construction: true } : {}),
  };
}

export function weightFileOf(config: ModelConfig, factSeed: number, settings: RunSettings, step: number, backend: string | null, weights: WeightArrays): WeightFile {
  return { config, facts: { n: config.n, r: config.r, seed: factSeed }, meta: exportMeta(settings, step, backend), weights };
}

export type Adoption = { ok: true; settings: RunSettings; step: number } | { ok: false; message: string };

const fmt = (x: number) => x.toLocaleString('en-US');

/**
 * The playground's settings for a parsed weight file, or why it cannot be loaded here: one attention
 * head, single-hop sequences, sizes within the page's ranges and the tab's memory. The learning rate
 * and the freeze switch come from the file's meta when it has valid ones, else from `fallback`; the
 * seed is the seed of the file's facts (the page regenerates the table from it).
 */
export function adoptWeightFile(file: WeightFile, fallback: RunSettings, limits: WeightFileLimits): Adoption {
  const c = file.config;
  if (c.heads !== 1) return { ok: false, message: `The file's model has ${c.heads} attention heads; the playground trains models with one.` };
  if (c.seqLen !== 2) return { ok: false, message: `The file's model reads sequences of ${c.seqLen} tokens (a multi-hop model); the playground trains single-hop models (2).` };
  for (const key of ['n', 'r', 'd', 'm'] as const) {
    const p = PARAMS[key];
    if (c[key] < p.min || c[key] > p.max) return { ok: false, message: `The file's ${p.label} is ${fmt(c[key])}; the playground accepts ${p.min} to ${fmt(p.max)}.` };
  }
  if (c.n * c.n * c.r > limits.maxLogitCells) {
    return { ok: false, message: `The file's model (N = ${fmt(c.n)}, R = ${c.r}) is too large to train in a browser tab (N·R·N must stay under ${fmt(limits.maxLogitCells)}).` };
  }
  const meta = file.meta;
  const settingsMeta = typeof meta.settings === 'object' && meta.settings !== null ? (meta.settings as Record<string, unknown>) : {};
  const lrRaw = meta.lr ?? settingsMeta.lr;
  const lrParsed = typeof lrRaw === 'number' ? parseParam('lr', PARAMS.lr, String(lrRaw)) : null;
  const lr = lrParsed?.ok ? lrParsed.value : fallback.lr;
  const freezeRaw = meta.freezeSubjects ?? settingsMeta.freezeSubjects;
  const freezeSubjects = typeof freezeRaw === 'boolean' ? freezeRaw : false;
  const stepRaw = meta.steps ?? meta.step;
  const step = typeof stepRaw === 'number' && Number.isInteger(stepRaw) && stepRaw >= 0 && stepRaw <= 1e9 ? stepRaw : 0;
  return { ok: true, settings: { n: c.n, r: c.r, d: c.d, m: c.m, lr, seed: file.facts.seed, freezeSubjects }, step };
}

/** The size check done before a file is read at all. */
export function checkWeightFileSize(bytes: number, limits: WeightFileLimits): string | null {
  if (bytes === 0) return 'The file is empty.';
  if (bytes > limits.maxBytes) return `The file is ${fmt(Math.round(bytes / 1e6))} MB; weight files up to ${fmt(Math.round(limits.maxBytes / 1e6))} MB can be loaded here.`;
  return null;
}
