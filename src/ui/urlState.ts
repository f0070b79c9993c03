/**
 * The page's settings in the URL (`?n=128&r=4&d=24&autoplay=1`), parsed strictly with the same
 * ranges as the CLI (core/params.ts). A bad value never stops the page: it falls back to the
 * default and yields a notice naming the parameter.
 */
import { constructionDim, constructionWidth } from '../core/model/construct';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_LABELS, OPTIMIZERS, isOptimizerName, type OptimizerChoice, type OptimizerName } from '../core/training/optimizerSettings';
import { PARAMS, parseParam, type NumberParam } from '../core/model/params';
import type { BackendChoice, RunSettings } from '../worker/protocol';

/** The settings each optimiser brings along (its defaults), as RunSettings fields. */
export type OptimizerKey = 'lr' | 'momentum' | 'embedLrMult' | 'weightDecay';
export const OPTIMIZER_KEYS: readonly OptimizerKey[] = ['lr', 'momentum', 'embedLrMult', 'weightDecay'];

/** An optimiser's default settings as RunSettings fields. */
export function optimizerFields(optimizer: OptimizerName): Pick<RunSettings, 'optimizer' | OptimizerKey> {
  const { lr, momentum, embedLrMult, weightDecay } = OPTIMIZER_DEFAULTS[optimizer];
  return { optimizer, lr, momentum, embedLrMult, weightDecay };
}

/**
 * The playground opens where the geometry appears (docs/science.md §9, the `geometry` preset): 512 facts,
 * full-batch SGD with momentum at its defaults. Seed 5: every fact right at about step 60 and the
 * held-out probes at 0.98/0.96 by step 100 (`npm run cli -- train`; of seeds 1–6 all but seed 3,
 * whose second relation stays at 0.82, reach 0.9 on both relations by step 150).
 */
export const DEFAULT_SETTINGS: RunSettings = {
  n: 256,
  r: 2,
  d: 32,
  m: 256,
  ...optimizerFields('sgd'),
  seed: 5,
  freezeSubjects: false,
  uniformAttention: false,
};

/**
 * The settings with another optimiser: each of lr, momentum, embedding multiplier and weight decay
 * still at the old optimiser's default (so not in the URL) takes the new one's default; a value the
 * reader chose stays. Plain GD has no momentum.
 */
export function withOptimizer(settings: RunSettings, optimizer: OptimizerName): RunSettings {
  if (optimizer === settings.optimizer) return settings;
  const before = OPTIMIZER_DEFAULTS[settings.optimizer];
  const after = OPTIMIZER_DEFAULTS[optimizer];
  const out: RunSettings = { ...settings, optimizer };
  for (const key of OPTIMIZER_KEYS) if (settings[key] === before[key]) out[key] = after[key];
  if (optimizer === 'gd') out.momentum = 0;
  return out;
}

/** In the browser a full-batch step holds N·R·N logits: keep that under ~64 MB. */
export const BROWSER_MAX_LOGIT_CELLS = 2 ** 24;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface PageState {
  settings: RunSettings;
  backend: BackendChoice;
  autoplay: boolean;
  /** Large type for projectors (`large=1`): bigger page and figure text. */
  large: boolean;
  /** Test-only: let WebGPU run on a software adapter (SwiftShader). */
  allowSoftwareWebGpu: boolean;
  /** A second run B beside the playground's (`compare=opt:adam`): what B changes; null or absent: none. */
  compare?: CompareChanges | null;
  /** Time travel (`view=1200`): the training step the figures show; null or absent: live. */
  view?: number | null;
}

/** The largest step `view=` takes: the most steps a run trains (worker/sessionRun.ts MAX_STEPS) and then some. */
const MAX_VIEW_STEP = 1_000_000;

/**
 * What run B changes from run A (`compare=`): settings of training and of the model's size. The
 * facts (n, r, seed) are the same for both, and so are the initial weights where the sizes are.
 */
export interface CompareChanges extends OptimizerChoice {
  uniformAttention?: boolean;
  freezeSubjects?: boolean;
  d?: number;
  m?: number;
}

/** The keys `compare=` accepts (the page's own URL keys), in the order the canonical link writes them. */
export const COMPARE_KEYS = ['opt', 'lr', 'mom', 'elr', 'wd', 'ua', 'freeze', 'd', 'm'] as const;
export type CompareKey = (typeof COMPARE_KEYS)[number];

const COMPARE_FIELD: Record<CompareKey, keyof CompareChanges> = {
  opt: 'optimizer',
  lr: 'lr',
  mom: 'momentum',
  elr: 'embedLrMult',
  wd: 'weightDecay',
  ua: 'uniformAttention',
  freeze: 'freezeSubjects',
  d: 'd',
  m: 'm',
};

/**
 * Run B's settings: A's, with the changes. A changed optimiser brings its own learning rate, momentum
 * and embedding multiplier (its defaults) unless the changes name them too; weight decay stays A's.
 * Plain GD has no momentum.
 */
export function compareSettings(a: RunSettings, changes: CompareChanges): RunSettings {
  let b: RunSettings = { ...a };
  if (changes.optimizer !== undefined && changes.optimizer !== a.optimizer) b = { ...b, ...optimizerFields(changes.optimizer), weightDecay: a.weightDecay };
  for (const key of ['lr', 'momentum', 'embedLrMult', 'weightDecay', 'd', 'm'] as const) {
    const v = changes[key];
    if (v !== undefined) b[key] = v;
  }
  if (changes.uniformAttention !== undefined) b.uniformAttention = changes.uniformAttention;
  if (changes.freezeSubjects !== undefined) b.freezeSubjects = changes.freezeSubjects;
  if (b.optimizer === 'gd') b.momentum = 0;
  return b;
}

/** The changes as `compare=`'s value: `key:value` items, comma-separated, in COMPARE_KEYS order. */
export function compareValue(changes: CompareChanges): string {
  const items: string[] = [];
  for (const key of COMPARE_KEYS) {
    const v = changes[COMPARE_FIELD[key]];
    if (v === undefined) continue;
    items.push(`${key}:${typeof v === 'boolean' ? (v ? '1' : '0') : String(v)}`);
  }
  return items.join(',');
}

const COMPARE_HELP = `B changes one or more of ${COMPARE_KEYS.join(', ')}, written key:value and comma-separated, e.g. compare=opt:adam`;

/**
 * Reads `compare=`'s value strictly: each item `key:value`, the value checked as the key's own URL
 * value. Good items are kept; the rest are named in one notice. `optimizer` is run A's, for the check
 * that plain GD takes no momentum.
 */
export function parseCompare(raw: string, optimizer: OptimizerName): { changes: CompareChanges | null; problems: string[] } {
  const changes: CompareChanges = {};
  const problems: string[] = [];
  const items = raw.split(',');
  if (items.length > 4 * COMPARE_KEYS.length) return { changes: null, problems: [`${items.length} items is too many (${COMPARE_HELP}); got ${showRaw(raw)}`] };
  const seen = new Set<string>();
  const pending: [CompareKey, string][] = [];
  for (const item of items) {
    const text = item.trim();
    if (text === '') continue;
    const colon = text.indexOf(':');
    const key = colon < 0 ? text : text.slice(0, colon).trim();
    if (!(COMPARE_KEYS as readonly string[]).includes(key)) {
      const hint = ['n', 'r', 'seed'].includes(key) ? ' (n, r and seed define the facts both runs share)' : '';
      problems.push(`${showRaw(key, 24)} is not a setting B can change${hint}`);
      continue;
    }
    if (colon < 0) {
      problems.push(`${key} needs a value, written ${key}:value`);
      continue;
    }
    if (seen.has(key)) {
      problems.push(`${key} was given more than once; only the first is read`);
      continue;
    }
    seen.add(key);
    pending.push([key as CompareKey, text.slice(colon + 1)]);
  }
  // The optimiser first, so that a momentum is checked against B's optimiser.
  pending.sort(([a], [b]) => Number(b === 'opt') - Number(a === 'opt'));
  for (const [key, value] of pending) {
    if (key === 'opt') {
      const name = value.trim().toLowerCase();
      if (isOptimizerName(name)) changes.optimizer = name;
      else problems.push(`opt must be one of ${OPTIMIZERS.join(', ')}; got ${showRaw(value)}`);
    } else if (key === 'ua' || key === 'freeze') {
      const flag = parseFlag(value);
      if (flag === null) problems.push(`${key} ${FLAG_HELP}; got ${showRaw(value)}`);
      else changes[COMPARE_FIELD[key] as 'uniformAttention' | 'freezeSubjects'] = flag;
    } else {
      const parsed = parseParam(key, NUMERIC[key].param, value);
      if (!parsed.ok) problems.push(parsed.message);
      else if (key === 'mom' && (changes.optimizer ?? optimizer) === 'gd' && parsed.value !== 0) problems.push('mom: plain gradient descent has no momentum');
      else changes[COMPARE_FIELD[key] as 'lr' | 'momentum' | 'embedLrMult' | 'weightDecay' | 'd' | 'm'] = parsed.value === 0 ? 0 : parsed.value;
    }
  }
  if (items.every((item) => item.trim() === '')) problems.push(`nothing to change: ${COMPARE_HELP}`);
  return { changes: Object.keys(changes).length ? changes : null, problems };
}

export type NumericSetting = 'n' | 'r' | 'd' | 'm' | OptimizerKey | 'seed';

/** The numeric URL keys, in the order the canonical link writes them, and the setting each sets. */
export const NUMERIC: Record<string, { key: NumericSetting; param: NumberParam }> = {
  n: { key: 'n', param: PARAMS.n },
  r: { key: 'r', param: PARAMS.r },
  d: { key: 'd', param: PARAMS.d },
  m: { key: 'm', param: PARAMS.m },
  lr: { key: 'lr', param: PARAMS.lr },
  mom: { key: 'momentum', param: PARAMS.momentum },
  elr: { key: 'embedLrMult', param: PARAMS.embedLrMult },
  wd: { key: 'weightDecay', param: PARAMS.weightDecay },
  seed: { key: 'seed', param: PARAMS.seed },
};

/** The default of a numeric setting: the optimiser's own for lr, momentum, multiplier and decay. */
function defaultOf(settings: RunSettings, key: NumericSetting): number {
  return (OPTIMIZER_KEYS as readonly string[]).includes(key) ? OPTIMIZER_DEFAULTS[settings.optimizer][key as OptimizerKey] : DEFAULT_SETTINGS[key];
}

/** The hand-built construction fixes d and m to d* = (R+1)⌈log2 N⌉ + R and m* = 2R⌈log2 N⌉. */
export function withConstructionSizes(settings: RunSettings): RunSettings {
  if (!settings.construction) return settings;
  return { ...settings, d: constructionDim(settings.n, settings.r), m: constructionWidth(settings.n, settings.r) };
}

function parseFlag(raw: string): boolean | null {
  const text = raw.trim().toLowerCase();
  if (text === '1' || text === 'true' || text === '') return true;
  if (text === '0' || text === 'false') return false;
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

/**
 * A raw string from the address bar as it may be shown in a notice: at most `max` characters, in
 * quotes, with control, format (e.g. right-to-left overrides) and unpaired surrogate characters
 * written as \u{…} so that a hostile link cannot garble the page's text.
 */
export function showRaw(raw: string, max = 40): string {
  const chars = Array.from(raw.slice(0, 2 * max + 2));
  const cut = chars.length > max ? chars.slice(0, max).join('') + '…' : chars.join('');
  return `"${cut.replace(/["\\]/g, '\\$&').replace(INVISIBLE, escapeChar)}"`;
}

/** Control, format, private-use, unassigned and lone surrogate characters. */
const INVISIBLE = /\p{C}/gu;
const escapeChar = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

const FLAG_HELP = 'must be 1 or 0 (true or false)';

/** At most this many problems of one `compare` value are named; the rest are counted. */
const MAX_COMPARE_PROBLEMS = 3;

/** What each URL key does to the state; a string return is the notice for a bad value. */
const HANDLERS: Record<string, (state: PageState, raw: string) => string | undefined> = {
  // Read before every other key (parsePageState), so that lr, mom and elr default to its settings.
  opt: (state, raw) => {
    const name = raw.trim().toLowerCase();
    if (!isOptimizerName(name)) {
      return `opt (optimizer) must be one of ${OPTIMIZERS.join(', ')}; got ${showRaw(raw)}. Using ${state.settings.optimizer} (${OPTIMIZER_LABELS[state.settings.optimizer]}).`;
    }
    state.settings = withOptimizer(state.settings, name);
    return undefined;
  },
  ...Object.fromEntries(
    Object.entries(NUMERIC).map(([name, { key, param }]) => [
      name,
      (state: PageState, raw: string) => {
        const parsed = parseParam(name, param, raw);
        if (!parsed.ok) return `${parsed.message}. Using ${name}=${defaultOf(state.settings, key)}.`;
        if (key === 'momentum' && state.settings.optimizer === 'gd' && parsed.value !== 0) {
          return `mom: plain gradient descent (opt=gd) has no momentum; got ${showRaw(raw)}. Ignored (use opt=sgd for momentum).`;
        }
        state.settings[key] = parsed.value === 0 ? 0 : parsed.value; // no −0
        return undefined;
      },
    ]),
  ),
  // Read after every other key (parsePageState): it needs run A's optimiser and construction switch.
  compare: (state, raw) => {
    const { changes, problems } = parseCompare(raw, state.settings.optimizer);
    const shown = problems.slice(0, MAX_COMPARE_PROBLEMS).join('; ') + (problems.length > MAX_COMPARE_PROBLEMS ? `; and ${problems.length - MAX_COMPARE_PROBLEMS} more` : '');
    if (changes && state.settings.construction) return `compare: the hand-built construction is shown alone, with no second run; ignored.`;
    state.compare = changes;
    if (!problems.length) return undefined;
    return changes ? `compare: ${shown}. Kept ${compareValue(changes)}.` : `compare: ${shown}. No second run.`;
  },
  view: (state, raw) => {
    const text = raw.trim();
    const step = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
    if (!(step <= MAX_VIEW_STEP)) return `view must be a training step, a whole number from 0 to ${MAX_VIEW_STEP}; got ${showRaw(raw)}. Showing the live view.`;
    state.view = step;
    return undefined;
  },
  backend: (state, raw) => {
    const choice = raw.trim().toLowerCase();
    if ((BACKEND_CHOICES as readonly string[]).includes(choice)) state.backend = choice as BackendChoice;
    else return `backend must be one of ${BACKEND_CHOICES.join(', ')}; got ${showRaw(raw)}. Using auto.`;
    return undefined;
  },
  ...Object.fromEntries(
    (
      [
        ['autoplay', (s: PageState, v: boolean) => (s.autoplay = v)],
        ['freeze', (s: PageState, v: boolean) => (s.settings.freezeSubjects = v)],
        ['construction', (s: PageState, v: boolean) => (s.settings.construction = v)],
        ['ua', (s: PageState, v: boolean) => (s.settings.uniformAttention = v)],
        ['large', (s: PageState, v: boolean) => (s.large = v)],
        ['softwaregpu', (s: PageState, v: boolean) => (s.allowSoftwareWebGpu = v)],
      ] as const
    ).map(([name, set]) => [
      name,
      (state: PageState, raw: string) => {
        const value = parseFlag(raw);
        if (value === null) return `${name} ${FLAG_HELP}; got ${showRaw(raw)}. Ignored.`;
        set(state, value);
        return undefined;
      },
    ]),
  ),
};

/** Every key the page reads from its URL; any other key is dropped with a notice. */
export const URL_KEYS: readonly string[] = Object.keys(HANDLERS);

/** At most this many notices for one link; the rest are counted in a last one. */
export const MAX_URL_NOTICES = 8;

/**
 * Reads the page state from a query string. Never throws: a bad value falls back to its default,
 * an unknown key is dropped, a repeated key keeps its first value, each with a notice naming the
 * parameter. `__proto__`, `constructor` and the like are unknown keys like any other.
 */
export function parsePageState(search: string): { state: PageState; notices: string[] } {
  const notices: string[] = [];
  const state: PageState = { settings: { ...DEFAULT_SETTINGS }, backend: 'auto', autoplay: false, large: false, allowSoftwareWebGpu: false, compare: null };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(typeof search === 'string' ? search : '');
  } catch {
    params = new URLSearchParams();
  }
  const seen = new Map<string, { count: number; first: string }>();
  const unknown = new Map<string, number>();
  // The optimiser first: the keys after it override its defaults, wherever they stand in the link.
  // `compare` last: it reads run A's optimiser and construction switch.
  const entries = [...params];
  const firstOpt = entries.findIndex(([key]) => key === 'opt');
  if (firstOpt > 0) entries.unshift(...entries.splice(firstOpt, 1));
  const compares = entries.filter(([key]) => key === 'compare');
  if (compares.length) entries.splice(0, entries.length, ...entries.filter(([key]) => key !== 'compare'), ...compares);
  for (const [key, raw] of entries) {
    if (key === '' && raw === '') continue; // a stray '&'
    if (!Object.prototype.hasOwnProperty.call(HANDLERS, key)) {
      unknown.set(key, (unknown.get(key) ?? 0) + 1);
      continue;
    }
    const previous = seen.get(key);
    if (previous) {
      previous.count++;
      continue;
    }
    seen.set(key, { count: 1, first: raw });
    const problem = HANDLERS[key](state, raw);
    if (problem) notices.push(problem);
  }
  for (const [key, { count, first }] of seen) {
    if (count > 1) notices.push(`${key} was given ${count} times; only the first (${key}=${showRaw(first, 20)}) is read.`);
  }
  if (unknown.size) {
    const names = [...unknown.keys()];
    const shown = names.slice(0, 4).map((k) => {
      const lower = k.trim().toLowerCase();
      const hint = lower !== k && Object.prototype.hasOwnProperty.call(HANDLERS, lower) ? ` (did you mean ${lower}?)` : '';
      return showRaw(k, 24) + hint;
    });
    const more = names.length > 4 ? ` and ${names.length - 4} more` : '';
    notices.push(`Unknown parameter${names.length > 1 ? 's' : ''} ${shown.join(', ')}${more} ignored. The page reads ${URL_KEYS.join(', ')}.`);
  }
  const fitted = fitSettings(state.settings);
  if (fitted.message) notices.push(fitted.message);
  state.settings = withConstructionSizes(fitted.settings);
  for (let i = 0; i < notices.length; i++) notices[i] = notices[i].replace(INVISIBLE, escapeChar);
  if (notices.length > MAX_URL_NOTICES) {
    const rest = notices.length - (MAX_URL_NOTICES - 1);
    notices.splice(MAX_URL_NOTICES - 1, rest, `…and ${rest} more problems with this link.`);
  }
  return { state, notices };
}

/** The query string for a state: defaults are left out so links stay short. */
export function toSearch(state: PageState): string {
  const params = new URLSearchParams();
  const s = state.settings;
  for (const [name, { key }] of Object.entries(NUMERIC)) {
    if (s.construction && (key === 'd' || key === 'm')) continue; // implied by n and r
    if (key === 'lr' && s.optimizer !== DEFAULT_SETTINGS.optimizer) params.set('opt', s.optimizer);
    if (s[key] !== defaultOf(s, key)) params.set(name, String(s[key]));
  }
  if (s.construction) params.set('construction', '1');
  if (s.freezeSubjects) params.set('freeze', '1');
  if (s.uniformAttention) params.set('ua', '1');
  if (state.backend !== 'auto') params.set('backend', state.backend);
  if (state.autoplay) params.set('autoplay', '1');
  if (state.large) params.set('large', '1');
  if (state.allowSoftwareWebGpu) params.set('softwaregpu', '1');
  if (state.view !== null && state.view !== undefined) params.set('view', String(state.view));
  // Written by hand: its ':' and ',' need no escaping in a query, and read better as they are.
  const compare = state.compare && !s.construction ? compareValue(state.compare) : '';
  const text = [params.toString(), compare && `compare=${compare}`].filter(Boolean).join('&');
  return text ? `?${text}` : '';
}
