/**
 * The page's settings in the URL (`?n=128&r=4&d=24&autoplay=1`), parsed strictly with the same
 * ranges as the CLI (core/params.ts). A bad value never stops the page: it falls back to the
 * default and yields a notice naming the parameter.
 */
import { constructionDim, constructionWidth } from '../core/construct';
import { PARAMS, parseParam, type NumberParam } from '../core/params';
import type { BackendChoice, RunSettings } from '../worker/protocol';

export const DEFAULT_SETTINGS: RunSettings = { n: 128, r: 4, d: 24, m: 256, lr: 0.01, seed: 1, freezeSubjects: false };

/** In the browser a full-batch step holds N·R·N logits: keep that under ~64 MB. */
export const BROWSER_MAX_LOGIT_CELLS = 2 ** 24;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface PageState {
  settings: RunSettings;
  backend: BackendChoice;
  autoplay: boolean;
  /** Test-only: let WebGPU run on a software adapter (SwiftShader). */
  allowSoftwareWebGpu: boolean;
}

const NUMERIC: Record<'n' | 'r' | 'd' | 'm' | 'lr' | 'seed', NumberParam> = {
  n: PARAMS.n,
  r: PARAMS.r,
  d: PARAMS.d,
  m: PARAMS.m,
  lr: PARAMS.lr,
  seed: PARAMS.seed,
};

const FLAGS = ['autoplay', 'freeze', 'softwaregpu', 'construction'] as const;

/** The hand-built construction fixes d and m to d* = (R+1)⌈log2 N⌉ + R and m* = 2R⌈log2 N⌉. */
export function withConstructionSizes(settings: RunSettings): RunSettings {
  if (!settings.construction) return settings;
  return { ...settings, d: constructionDim(settings.n, settings.r), m: constructionWidth(settings.n, settings.r) };
}

function parseFlag(raw: string): boolean | null {
  if (raw === '1' || raw === 'true' || raw === '') return true;
  if (raw === '0' || raw === 'false') return false;
  return null;
}

/** Checks the combination of values; returns a message for what had to change, if anything. */
export function fitSettings(settings: RunSettings): { settings: RunSettings; message?: string } {
  if (settings.n * settings.n * settings.r <= BROWSER_MAX_LOGIT_CELLS) return { settings };
  const n = Math.floor(Math.sqrt(BROWSER_MAX_LOGIT_CELLS / settings.r));
  return {
    settings: { ...settings, n },
    message: `n = ${settings.n} with r = ${settings.r} is too large to train in a browser tab (N·R·N must stay under ${BROWSER_MAX_LOGIT_CELLS}); using n = ${n}.`,
  };
}

export function parsePageState(search: string): { state: PageState; notices: string[] } {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const settings: RunSettings = { ...DEFAULT_SETTINGS };
  const state: PageState = { settings, backend: 'auto', autoplay: false, allowSoftwareWebGpu: false };
  for (const [key, raw] of params) {
    if (key in NUMERIC) {
      const name = key as keyof typeof NUMERIC;
      const parsed = parseParam(name, NUMERIC[name], raw);
      if (parsed.ok) settings[name] = parsed.value;
      else notices.push(`${parsed.message}. Using ${name}=${DEFAULT_SETTINGS[name]}.`);
    } else if (key === 'backend') {
      if ((BACKEND_CHOICES as readonly string[]).includes(raw)) state.backend = raw as BackendChoice;
      else notices.push(`backend must be one of ${BACKEND_CHOICES.join(', ')}; got ${JSON.stringify(raw.slice(0, 40))}. Using auto.`);
    } else if ((FLAGS as readonly string[]).includes(key)) {
      const value = parseFlag(raw);
      if (value === null) notices.push(`${key} must be 0 or 1; got ${JSON.stringify(raw.slice(0, 40))}. Ignored.`);
      else if (key === 'autoplay') state.autoplay = value;
      else if (key === 'freeze') settings.freezeSubjects = value;
      else if (key === 'construction') settings.construction = value;
      else state.allowSoftwareWebGpu = value;
    }
    // Unknown keys are left alone: an embedding page may add its own.
  }
  const fitted = fitSettings(settings);
  if (fitted.message) notices.push(fitted.message);
  state.settings = withConstructionSizes(fitted.settings);
  return { state, notices };
}

/** The query string for a state: defaults are left out so links stay short. */
export function toSearch(state: PageState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(NUMERIC) as (keyof typeof NUMERIC)[]) {
    if (state.settings.construction && (key === 'd' || key === 'm')) continue; // implied by n and r
    if (state.settings[key] !== DEFAULT_SETTINGS[key]) params.set(key, String(state.settings[key]));
  }
  if (state.settings.construction) params.set('construction', '1');
  if (state.settings.freezeSubjects) params.set('freeze', '1');
  if (state.backend !== 'auto') params.set('backend', state.backend);
  if (state.autoplay) params.set('autoplay', '1');
  if (state.allowSoftwareWebGpu) params.set('softwaregpu', '1');
  const text = params.toString();
  return text ? `?${text}` : '';
}
