import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parsePageState, toSearch } from './urlState';

describe('URL state', () => {
  it('reads the settings', () => {
    const { state, notices } = parsePageState('?n=128&r=4&d=24&m=64&lr=0.02&seed=7&backend=wasm&autoplay=1&freeze=1');
    expect(notices).toEqual([]);
    expect(state.settings).toEqual({ n: 128, r: 4, d: 24, m: 64, lr: 0.02, seed: 7, freezeSubjects: true });
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
});
