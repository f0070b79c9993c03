/**
 * Weight files in the playground: what the page writes (core's format, with the run's settings in
 * `meta`, as the CLI writes them) and whether a parsed file can become the playground's run. Pure;
 * used by the training worker, tested in Node.
 */
import { OPTIMIZER_DEFAULTS, isOptimizerName, type OptimizerName } from '../core/training/optimizerSettings';
import { PARAMS, parseParam, type NumberParam } from '../core/model/params';
import type { WeightFile } from '../core/model/weights';
import type { ModelConfig, WeightArrays } from '../core/model/model';
import { trainingOptionsOf, type RunSettings, type WeightFileLimits } from './protocol';

/** The `meta` of a weight file the page writes: the keys the CLI's `train` writes, plus the page's. */
export function exportMeta(settings: RunSettings, step: number, backend: string | null): Record<string, unknown> {
  return {
    madeBy: 'explorable',
    ...(backend ? { backend } : {}),
    steps: step,
    ...trainingOptionsOf(settings),
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
 * head, single-hop sequences, sizes within the page's ranges and the tab's memory. The seed is the
 * seed of the file's facts (the page regenerates the table from it). The optimiser and its settings
 * come from the file's meta (the keys the CLI's `train` and the page write): a valid `optimizer`
 * with each valid number, the rest at its defaults; a file without one but with a learning rate was
 * trained with Adam (every run was, before the optimiser became a setting); a file with neither keeps
 * `fallback`'s. The freeze and uniform-attention switches are off unless the meta turns them on.
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
  const read = (key: string) => meta[key] ?? settingsMeta[key];
  const number = (key: string, param: NumberParam): number | null => {
    const raw = read(key);
    const parsed = typeof raw === 'number' ? parseParam(key, param, String(raw)) : null;
    return parsed?.ok ? parsed.value : null;
  };
  const flag = (key: string) => read(key) === true;
  const optimizerRaw = read('optimizer');
  const lr = number('lr', PARAMS.lr);
  let optimizer: OptimizerName;
  let base: { lr: number; momentum: number; embedLrMult: number; weightDecay: number };
  if (isOptimizerName(optimizerRaw)) [optimizer, base] = [optimizerRaw, OPTIMIZER_DEFAULTS[optimizerRaw]];
  else if (lr !== null) [optimizer, base] = ['adam', OPTIMIZER_DEFAULTS.adam];
  else [optimizer, base] = [fallback.optimizer, fallback];
  const momentum = optimizer === 'gd' ? 0 : (number('momentum', PARAMS.momentum) ?? base.momentum);
  const stepRaw = meta.steps ?? meta.step;
  const step = typeof stepRaw === 'number' && Number.isInteger(stepRaw) && stepRaw >= 0 && stepRaw <= 1e9 ? stepRaw : 0;
  const settings: RunSettings = {
    n: c.n,
    r: c.r,
    d: c.d,
    m: c.m,
    optimizer,
    lr: lr ?? base.lr,
    momentum,
    embedLrMult: number('embedLrMult', PARAMS.embedLrMult) ?? base.embedLrMult,
    weightDecay: number('weightDecay', PARAMS.weightDecay) ?? base.weightDecay,
    seed: file.facts.seed,
    freezeSubjects: flag('freezeSubjects'),
    uniformAttention: flag('uniformAttention'),
  };
  return { ok: true, settings, step };
}

/** The size check done before a file is read at all. */
export function checkWeightFileSize(bytes: number, limits: WeightFileLimits): string | null {
  if (bytes === 0) return 'The file is empty.';
  if (bytes > limits.maxBytes) return `The file is ${fmt(Math.round(bytes / 1e6))} MB; weight files up to ${fmt(Math.round(limits.maxBytes / 1e6))} MB can be loaded here.`;
  return null;
}
