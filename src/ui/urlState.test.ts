import { describe, expect, it } from 'vitest';
import { OPTIMIZER_DEFAULTS } from '../core/training/optimizerSettings';
import { DEFAULT_SETTINGS, MAX_URL_NOTICES, URL_KEYS, compareSettings, parsePageState, showRaw, toSearch, withOptimizer } from './urlState';
import oddUrlValues from './oddUrlValues.json';

describe('URL state', () => {
  it('reads the settings', () => {
    const { state, notices } = parsePageState('?n=128&r=4&d=24&m=64&lr=0.02&seed=7&backend=wasm&autoplay=1&freeze=1&opt=sgd&mom=0.5&elr=10&wd=0.001&ua=1');
    expect(notices).toEqual([]);
    expect(state.settings).toEqual({ n: 128, r: 4, d: 24, m: 64, optimizer: 'sgd', lr: 0.02, momentum: 0.5, embedLrMult: 10, weightDecay: 0.001, seed: 7, freezeSubjects: true, uniformAttention: true });
    expect(state.backend).toBe('wasm');
    expect(state.autoplay).toBe(true);
  });

  it.each([
    ['?n=-5', 'n'],
    ['?d=1e9', 'd'],
    ['?r=abc', 'r'],
    ['?lr=0', 'lr'],
    ['?backend=quantum', 'backend'],
    ['?autoplay=maybe', 'autoplay'],
    ['?n=' + '9'.repeat(5000), 'n'],
  ])('falls back to the default for %s, naming %s', (search, name) => {
    const { state, notices } = parsePageState(search);
    expect(notices).toHaveLength(1);
    expect(notices[0].startsWith(name)).toBe(true);
    expect(notices[0].length).toBeLessThan(300);
    expect(state.settings.n).toBe(DEFAULT_SETTINGS.n);
  });

  it('an optimiser brings its defaults, wherever opt stands; the link’s own numbers win', () => {
    for (const opt of ['adam', 'sgd', 'gd', 'sign'] as const) {
      const { state, notices } = parsePageState(`?opt=${opt}`);
      expect(notices).toEqual([]);
      expect(state.settings).toMatchObject(OPTIMIZER_DEFAULTS[opt]);
      expect(parsePageState(toSearch(state)).state).toEqual(state);
    }
    const late = parsePageState('?lr=0.05&opt=adam&OPT=x');
    expect(late.state.settings).toMatchObject({ optimizer: 'adam', lr: 0.05, momentum: 0.9, embedLrMult: 1 });
    expect(toSearch(late.state)).toBe('?opt=adam&lr=0.05');
    // Only the values that differ from the optimiser's defaults are written; SGD is the default.
    expect(toSearch(parsePageState('?opt=adam&lr=0.01&elr=1&mom=0.9&wd=0').state)).toBe('?opt=adam');
    expect(toSearch(parsePageState('?opt=sgd&lr=0.1&elr=30&mom=0.9&wd=0').state)).toBe('');
    expect(DEFAULT_SETTINGS).toMatchObject(OPTIMIZER_DEFAULTS.sgd);
  });

  // Each bad optimiser key: the notice's key, and how it shows the value.
  const optimiserKeyCases: Record<string, [string, string]> = {
    '?opt=rmsprop': ['opt', '"rmsprop"'],
    '?opt=gd&mom=0.5': ['mom', 'no momentum'],
    '?mom=1': ['mom', '"1"'],
    '?elr=0': ['elr', '"0"'],
    '?wd=-1': ['wd', '"-1"'],
    '?ua=2': ['ua', '"2"'],
  };
  it.each(Object.entries(optimiserKeyCases).map(([search, [name, shown]]) => [search, name, shown]))('optimiser keys: %s gives one notice naming %s', (search, name, shown) => {
    const { state, notices } = parsePageState(search);
    expect(notices).toHaveLength(1);
    expect(notices[0].startsWith(name)).toBe(true);
    expect(notices[0]).toContain(shown);
    expect(parsePageState(toSearch(state)).notices).toEqual([]);
  });

  it('a changed optimiser keeps what the reader chose and takes its own defaults for the rest', () => {
    const chosen = { ...DEFAULT_SETTINGS, ...OPTIMIZER_DEFAULTS.adam, lr: 0.02 };
    expect(withOptimizer(chosen, 'sgd')).toMatchObject({ optimizer: 'sgd', lr: 0.02, momentum: 0.9, embedLrMult: 30, weightDecay: 0 });
    expect(withOptimizer({ ...DEFAULT_SETTINGS, ...OPTIMIZER_DEFAULTS.sgd }, 'adam')).toMatchObject(OPTIMIZER_DEFAULTS.adam);
    expect(withOptimizer({ ...DEFAULT_SETTINGS, ...OPTIMIZER_DEFAULTS.sgd, momentum: 0.5 }, 'gd').momentum).toBe(0);
  });

  it('compare: a second run B with the settings it changes, written back as given', () => {
    const { state, notices } = parsePageState('?compare=opt:adam&n=128');
    expect(notices).toEqual([]);
    expect(state.compare).toEqual({ optimizer: 'adam' });
    expect(toSearch(state)).toBe('?n=128&compare=opt:adam');
    // B takes Adam's own learning rate and multiplier; everything else is A's.
    expect(compareSettings(state.settings, state.compare!)).toEqual({ ...state.settings, ...OPTIMIZER_DEFAULTS.adam });
    const many = parsePageState('?compare=m:64,%20ua:1,lr:0.05,opt:gd&opt=adam');
    expect(many.notices).toEqual([]);
    expect(many.state.compare).toEqual({ optimizer: 'gd', lr: 0.05, uniformAttention: true, m: 64 });
    expect(toSearch(many.state)).toBe('?opt=adam&compare=opt:gd,lr:0.05,ua:1,m:64');
    const b = compareSettings(many.state.settings, many.state.compare!);
    expect(b).toMatchObject({ optimizer: 'gd', lr: 0.05, momentum: 0, embedLrMult: 30, uniformAttention: true, m: 64, d: DEFAULT_SETTINGS.d, seed: DEFAULT_SETTINGS.seed });
    expect(parsePageState(toSearch(many.state)).state).toEqual(many.state);
    expect(compareSettings(DEFAULT_SETTINGS, { freezeSubjects: true })).toEqual({ ...DEFAULT_SETTINGS, freezeSubjects: true });
    // The first of a repeated compare is read, wherever it stands.
    const twice = parsePageState('?compare=d:16&n=64&compare=d:8');
    expect(twice.state.compare).toEqual({ d: 16 });
    expect(twice.notices).toEqual(['compare was given 2 times; only the first (compare="d:16") is read.']);
  });

  it.each([
    ['?compare=seed:2', /^compare: "seed" is not a setting B can change \(n, r and seed define the facts/, null],
    ['?compare=opt', /^compare: opt needs a value/, null],
    ['?compare=opt:rmsprop', /^compare: opt must be one of adam, sgd, gd, sign; got "rmsprop"\. No second run\.$/, null],
    ['?compare=', /^compare: nothing to change/, null],
    ['?compare=lr:2,ua:1', /^compare: lr: .*got "2"\. Kept ua:1\.$/, { uniformAttention: true }],
    ['?compare=opt:gd,mom:0.5', /^compare: mom: plain gradient descent has no momentum\. Kept opt:gd\.$/, { optimizer: 'gd' }],
    ['?compare=d:16,d:8', /^compare: d was given more than once/, { d: 16 }],
    ['?construction=1&compare=opt:adam', /^compare: the hand-built construction/, null],
    ['?compare=' + 'x:1,'.repeat(2000), /^compare: 2001 items is too many/, null],
    ['?compare=a,b,c,d,e', /; and 2 more\. No second run\.$/, null],
  ])('compare: %s gives one notice and keeps what is good', (search, notice, compare) => {
    const { state, notices } = parsePageState(search);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(notice);
    expect(notices[0].length).toBeLessThan(400);
    expect(state.compare).toEqual(compare);
    expect(parsePageState(toSearch(state)).notices).toEqual([]);
    expect(parsePageState(toSearch(state)).state).toEqual(state);
  });

  it('shrinks a table too large for a tab', () => {
    const { state, notices } = parsePageState('?n=8192&r=64');
    expect(notices).toHaveLength(1);
    expect(state.settings.n * state.settings.n * state.settings.r).toBeLessThanOrEqual(2 ** 24);
  });

  it('the construction fixes d and m to d* and m*', () => {
    const { state } = parsePageState('?n=256&r=4&construction=1&d=3');
    expect(state.settings).toMatchObject({ n: 256, r: 4, d: 5 * 8 + 4, m: 2 * 4 * 8, construction: true });
    expect(parsePageState(toSearch(state)).state).toEqual(state);
  });

  it('round-trips through toSearch', () => {
    const { state } = parsePageState('?n=64&d=16&autoplay=1&backend=cpu');
    expect(parsePageState(toSearch(state)).state).toEqual(state);
    expect(toSearch(parsePageState('').state)).toBe('');
  });

  it('reads large=1 and keeps it in the link', () => {
    const { state, notices } = parsePageState('?large=1');
    expect(notices).toEqual([]);
    expect(state.large).toBe(true);
    expect(toSearch(state)).toBe('?large=1');
    expect(parsePageState('').state.large).toBe(false);
  });

  it('reads the viewed step (view=1200) and keeps it in the link; a bad one gives a notice and the live view', () => {
    const { state, notices } = parsePageState('?view=1200');
    expect(notices).toEqual([]);
    expect(state.view).toBe(1200);
    expect(toSearch(state)).toBe('?view=1200');
    expect(parsePageState('?view=0').state.view).toBe(0);
    for (const bad of ['-5', '1.5', 'abc', '', '1e3', '99999999']) {
      const parsed = parsePageState(`?view=${bad}`);
      expect(parsed.state.view ?? null).toBeNull();
      expect(parsed.notices).toHaveLength(1);
      expect(parsed.notices[0]).toMatch(/^view must be a training step.*Showing the live view\.$/);
    }
  });

  it.each([
    ['?__proto__=1', '__proto__'],
    ['?constructor=5', 'constructor'],
    ['?toString=1', 'toString'],
    ['?hasOwnProperty=x', 'hasOwnProperty'],
    ['?__proto__[n]=5', '__proto__[n]'],
    ['?foo=bar', 'foo'],
  ])('drops the unknown key in %s with a notice naming it, touching no prototype', (search, key) => {
    const { state, notices } = parsePageState(search);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`"${key}"`);
    expect(notices[0]).toMatch(/^Unknown parameter/);
    expect(state.settings).toEqual(DEFAULT_SETTINGS);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(state.settings)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).n).toBeUndefined();
    expect(toSearch(state)).toBe('');
  });

  it('hints at the lower-case name of a known key', () => {
    expect(parsePageState('?N=64').notices[0]).toContain('did you mean n?');
  });

  it('gathers many unknown keys into one notice', () => {
    const search = '?' + Array.from({ length: 500 }, (_, i) => `k${i}=${i}`).join('&');
    const { notices } = parsePageState(search);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('and 496 more');
    expect(notices[0].length).toBeLessThan(400);
  });

  it('reads the first of a repeated key and says so', () => {
    const { state, notices } = parsePageState('?n=64&n=32&n=abc');
    expect(state.settings.n).toBe(64);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^n was given 3 times/);
    // The first value is checked like any other.
    const bad = parsePageState('?d=abc&d=8');
    expect(bad.state.settings.d).toBe(DEFAULT_SETTINGS.d);
    expect(bad.notices.map((t) => t.split(/[: ]/)[0])).toEqual(['d', 'd']);
  });

  // Odd encodings from oddUrlValues.json ([search, the key the notice names, how it shows the value]), and one very long value.
  it.each([...(oddUrlValues as [string, string, string][]), ['?backend=' + 'x'.repeat(100_000), 'backend', '…']])('odd encodings: %s names %s and shows the value safely', (search, name, shown) => {
    const { state, notices } = parsePageState(search);
    expect(notices).toHaveLength(1);
    expect(notices[0].startsWith(name)).toBe(true);
    expect(notices[0]).toContain(shown);
    expect(notices[0].length).toBeLessThan(300);
    expect(notices[0]).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(toSearch(state)).toBe('');
  });

  it.each([
    ['?n=+64', 64], // '+' is a space in a query string; spaces around a number are allowed
    ['?n=%2B64', 64],
    ['?n=%2064%20', 64],
    ['?n=6.4e1', 64],
    ['?n=064', 64],
  ])('accepts %s as n=%d and writes it canonically', (search, n) => {
    const { state, notices } = parsePageState(search);
    expect(notices).toEqual([]);
    expect(state.settings.n).toBe(n);
    expect(toSearch(state)).toBe(`?n=${n}`);
  });

  it('writes −0 as 0 and lower-cases the backend and flags', () => {
    const { state, notices } = parsePageState('?seed=-0&backend=WASM&freeze=TRUE');
    expect(notices).toEqual([]);
    expect(Object.is(state.settings.seed, 0)).toBe(true);
    expect(toSearch(state)).toBe('?seed=0&freeze=1&backend=wasm');
  });

  it('ignores stray separators and empty pairs, but names an empty key with a value', () => {
    expect(parsePageState('?&&n=64&&').notices).toEqual([]);
    expect(parsePageState('?&&n=64&&').state.settings.n).toBe(64);
    expect(parsePageState('?=5').notices[0]).toMatch(/^Unknown parameter ""/);
  });

  it('caps the number of notices', () => {
    const search = '?' + URL_KEYS.map((k) => `${k}=%ZZ`).join('&') + '&zzz=1&n=1';
    const { notices } = parsePageState(search);
    expect(notices).toHaveLength(MAX_URL_NOTICES);
    expect(notices[MAX_URL_NOTICES - 1]).toMatch(/more problems with this link/);
  });

  it('never throws, and its output always reads back with no notice', () => {
    // A seeded generator of hostile strings: whatever comes in, what goes out is canonical.
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pieces = ['n', 'r', 'd', 'm', 'lr', 'seed', 'backend', 'freeze', 'large', 'construction', 'opt', 'mom', 'elr', 'wd', 'ua', 'adam', 'gd', 'sign', 'sgd', 'compare', ':', ',', '__proto__', '=', '&', '%', '%Z', '%00', '+', '-', '.', 'e', '1', '0', '9', '😀', '\u202e', 'wasm', 'true', '#', '?', ';', '\\'];
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 30);
      let search = '?';
      for (let j = 0; j < len; j++) search += pieces[Math.floor(rand() * pieces.length)];
      const { state } = parsePageState(search);
      const out = toSearch(state);
      const again = parsePageState(out);
      expect(again.notices, `${search} -> ${out}`).toEqual([]);
      expect(again.state, search).toEqual(state);
      expect(toSearch(again.state)).toBe(out);
    }
  });

  it('showRaw quotes, cuts and escapes', () => {
    expect(showRaw('abc')).toBe('"abc"');
    expect(showRaw('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(showRaw('x'.repeat(50), 10)).toBe(`"${'x'.repeat(10)}…"`);
    expect(showRaw('\u0000\u202e\ud800')).toBe('"\\u{0}\\u{202e}\\u{d800}"');
    expect(showRaw('😀'.repeat(3), 2)).toBe('"😀😀…"');
  });
});
