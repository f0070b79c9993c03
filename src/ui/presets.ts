/**
 * Teaching presets: named settings that show one idea each, chosen from a menu or linked as
 * `?preset=<id>`. A preset only sets the run's settings; those then live in the
 * URL as usual, so a copied link reproduces the run, and `preset=<id>` stays in it while the settings
 * are the preset's. Most presets start playing (autoplay).
 */
import { OPTIMIZER_DEFAULTS } from '../core/training/optimizerSettings';
import type { RunSettings } from '../worker/protocol';
import { DEFAULT_SETTINGS, NUMERIC, OPTIMIZER_KEYS, optimizerFields, withConstructionSizes } from './urlState';

export interface Preset {
  id: string;
  title: string;
  /** One sentence, shown with the preset. */
  explanation: string;
  settings: RunSettings;
  /** Start training at once (false: the preset is something to look at, e.g. the construction). */
  autoplay: boolean;
}

/** The Adam presets: Adam at its defaults. */
const BASE = { ...optimizerFields('adam'), seed: 1, freezeSubjects: false, uniformAttention: false } as const;

export const PRESETS: readonly Preset[] = [
  {
    id: 'geometry',
    title: 'The geometry appears',
    explanation:
      'N = 256 subjects, R = 2 relations, d = 32, m = 256, trained by full-batch SGD with momentum (learning rate 0.1, 30 times that on the subject embeddings and U): every fact is right in about 60 steps, and by step 100 the held-out probes read both attributes of subjects they never saw off their embeddings — about 0.96 on each relation, against 1/256 by chance. Each embedding has become a superposition of its attribute vectors. Switch the optimizer to Adam and it blurs: about 0.7.',
    settings: DEFAULT_SETTINGS,
    autoplay: true,
  },
  {
    id: 'geometry4',
    title: 'Four relations: uniform attention',
    explanation:
      'N = 256, R = 4, d = 64: four attributes per subject. SGD (learning rate 0.05, 20 times that on the subject embeddings and U, weight decay 0.005) with the attention fixed at ½, ½ as in the construction. Every fact is right in about 210 steps, but the geometry keeps sharpening long after: in our runs the weakest held-out probe was about 0.6 at step 250, 0.8 at 1,000 and 0.9 at 3,000 (seeds 1–3). With learned attention it stalls near 0.75.',
    settings: { ...optimizerFields('sgd'), lr: 0.05, embedLrMult: 20, weightDecay: 0.005, uniformAttention: true, n: 256, r: 4, d: 64, m: 256, seed: 1, freezeSubjects: false },
    autoplay: true,
  },
  {
    id: 'tiny',
    title: 'Tiny: every fact in a second',
    explanation:
      '32 subjects, 2 relations, 16 dimensions, Adam: every fact is right in about 40 steps, a second or two. Too small to read the geometry from: each relation has only 6 held-out subjects, so the probe bars move in steps of 0.17 — the geometry preset has a table large enough.',
    settings: { ...BASE, n: 32, r: 2, d: 16, m: 64 },
    autoplay: true,
  },
  {
    id: 'logd',
    title: 'Log dimension is enough',
    explanation:
      '1,024 facts (N = 256 subjects, R = 4 relations) in d = (R+1)·log₂N = 40 dimensions: the embedding needs to grow only like log N, and Adam gets every fact right in about 55 steps. Stored, but not cleanly as geometry: the held-out probes stay between 0.25 and 0.5.',
    settings: { ...BASE, n: 256, r: 4, d: 40, m: 256 },
    autoplay: true,
  },
  {
    id: 'construction',
    title: 'Built by hand, no training',
    explanation:
      "The paper's construction loaded as weights, no training: press Step and all 4,096 facts (N = 1,024, R = 4) are right at step 0, in d = (R+1)⌈log₂N⌉ + R = 54 dimensions, each subject a sum of its attribute vectors.",
    settings: withConstructionSizes({ ...BASE, n: 1024, r: 4, d: 54, m: 80, construction: true }),
    autoplay: false,
  },
  {
    id: 'learned',
    title: 'Learned embeddings succeed',
    explanation:
      'N = 128, R = 4, d = 12 and an MLP of only m = 4 units, Adam: with the subject embeddings learned, every fact is right in about 550 steps — compare with “frozen embeddings fail”.',
    settings: { ...BASE, n: 128, r: 4, d: 12, m: 4 },
    autoplay: true,
  },
  {
    id: 'frozen',
    title: 'Frozen embeddings fail',
    explanation:
      'The same table, d and 4-unit MLP as “learned embeddings succeed”, with the subject embeddings frozen at random: the rest of the network has to store the facts as an associative memory, and accuracy stalls near 50% (0.46 to 0.59 per relation after 5,000 steps).',
    settings: { ...BASE, n: 128, r: 4, d: 12, m: 4, freezeSubjects: true },
    autoplay: true,
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

export function sameSettings(a: RunSettings, b: RunSettings): boolean {
  return (
    a.n === b.n &&
    a.r === b.r &&
    a.d === b.d &&
    a.m === b.m &&
    a.optimizer === b.optimizer &&
    OPTIMIZER_KEYS.every((key) => a[key] === b[key]) &&
    a.seed === b.seed &&
    a.freezeSubjects === b.freezeSubjects &&
    a.uniformAttention === b.uniformAttention &&
    Boolean(a.construction) === Boolean(b.construction)
  );
}

/** The preset whose settings these are, if any. */
export function presetOf(settings: RunSettings): Preset | undefined {
  return PRESETS.find((p) => sameSettings(p.settings, settings));
}

/**
 * A preset as URL parameters (the keys urlState reads), autoplay included. The optimiser's settings
 * are written only where they differ from its defaults, so that a link adding its own `opt` gets that
 * optimiser's defaults, not the preset's numbers.
 */
export function presetParams(preset: Preset): [string, string][] {
  const s = preset.settings;
  const params: [string, string][] = [
    ['n', String(s.n)],
    ['r', String(s.r)],
  ];
  if (s.construction) params.push(['construction', '1']);
  else params.push(['d', String(s.d)], ['m', String(s.m)]);
  params.push(['opt', s.optimizer]);
  for (const [name, { key }] of Object.entries(NUMERIC)) {
    if ((OPTIMIZER_KEYS as readonly string[]).includes(key) && s[key] !== OPTIMIZER_DEFAULTS[s.optimizer][key as (typeof OPTIMIZER_KEYS)[number]]) params.push([name, String(s[key])]);
  }
  params.push(['seed', String(s.seed)], ['freeze', s.freezeSubjects ? '1' : '0'], ['ua', s.uniformAttention ? '1' : '0'], ['autoplay', preset.autoplay ? '1' : '0']);
  return params;
}
