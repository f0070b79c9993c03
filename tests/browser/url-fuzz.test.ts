/**
 * The URL is the page's whole state: a link reproduces a run, and no link, however broken or
 * hostile, stops the page from loading. A seeded generator makes 200+ query strings (valid, broken,
 * hostile, huge); for each one the page must render its heading and status panel with no uncaught
 * error, show a notice for each problem, and leave in the address bar only valid, canonical values:
 * exactly what src/ui/share.ts and src/ui/urlState.ts make of that query in Node (embed views have
 * their own tests: the generator only makes bad `embed` values, which show the whole page).
 *
 * A failure prints the case's index and query; FUZZ_SEED=<n> reruns with another seed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { presetOf } from '../../src/ui/presets';
import { readShareParams, withShareParams } from '../../src/ui/share';
import { parsePageState, toSearch, type PageState } from '../../src/ui/urlState';
import { openPage, statusOf } from './harness';
import { useSite } from './fixture';

const fixture = useSite();

/** What the page should make of a query string: the App's own pipeline (share keys, then settings). */
function expectedFor(search: string): { state: PageState; notices: string[]; canonical: string } {
  const share = readShareParams(search);
  const { state, notices } = parsePageState(share.search);
  return { state, notices: [...share.notices, ...notices], canonical: withShareParams(toSearch(state), share.embed, presetOf(state.settings)) };
}

/** mulberry32: a small seeded generator, so that a failing case can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

// Valid values, kept small enough that the model the page builds on load is cheap.
const VALID: Record<string, readonly string[]> = {
  n: ['2', '3', '16', '64', '100', '128', '255', '1000'],
  r: ['1', '2', '4', '8', '64'],
  d: ['1', '2', '8', '24', '64'],
  m: ['1', '8', '64', '256'],
  lr: ['0.001', '0.01', '0.5', '1', '1e-3', '.5', '2E-2'],
  seed: ['0', '1', '42', '4294967295', '1e3'],
  opt: ['adam', 'sgd', 'gd', 'sign', 'SGD'],
  mom: ['0', '0.5', '0.9', '0.999'],
  elr: ['1', '10', '30', '1e3'],
  wd: ['0', '1e-3', '0.5'],
  ua: ['1', '0', 'true', ''],
  backend: ['auto', 'wasm', 'cpu', 'webgl', 'webgpu', 'WASM'],
  freeze: ['1', '0', 'true', 'false', ''],
  construction: ['1', '0', ''],
  large: ['1', '0', 'true', ''],
  softwaregpu: ['0', 'false'],
  // Never a true autoplay: the fuzz loads pages, it does not train them.
  autoplay: ['0', 'false'],
  preset: ['construction', 'tiny', 'LOGD', 'frozen', 'geometry', 'nope', ''],
  // Only names that are not figures: the page shows the whole explorable with a notice.
  embed: ['nope', 'Training2', '', 'gating%00'],
};

const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
  '__proto__[n]', 'constructor[prototype][n]', 'n[]', 'n.x', '', 'N', 'D', 'LR', ' n', 'n ', 'n%00', '%00',
  '%ZZ', '%', '%E2%80%AE', 'ñ', '😀', 'a'.repeat(300), 'embedd', 'x', 'x-y', '<b>', '"', "'", '\\',
];

const HOSTILE_VALUES = [
  '', '-5', '1e9', 'abc', '%ZZ', '%00', '%', '%%', '+', '++5', '%2B5', '+64+', ' ', '0', '-0', '1.5', '1e-400',
  '1e400', 'NaN', 'Infinity', '-Infinity', '0x10', '0b11', '0o7', '1_000', '1,5', '５', '٣', '😀', '%E2%80%AE5',
  '%F0%9F', '%C0%AF', '%FF%FE', '<script>alert(1)</script>', '"', "'", '\\', '%5C', '%3D', '%26', '?', '??',
  'null', 'undefined', '[]', '{}', '__proto__', 'constructor', '9'.repeat(400), '1'.repeat(20), '-'.repeat(50),
  '2'.repeat(5) + 'e-3', '4294967296', '8193', '65', '1025', '16385', '1.0000000000000002', '.', 'e5', '5e',
];

const KNOWN = Object.keys(VALID);

function pair(g: ReturnType<typeof generator>): string {
  const roll = g.next();
  const key = roll < 0.7 ? g.pick(KNOWN) : g.pick(HOSTILE_KEYS);
  const valid = VALID[key];
  if (key === 'autoplay') return `autoplay=${g.pick(VALID.autoplay)}`; // see VALID
  const value = valid && g.next() < 0.5 ? g.pick(valid) : g.pick(HOSTILE_VALUES);
  return g.next() < 0.05 ? key : `${key}=${value}`; // sometimes a bare key
}

/** One query string (without the leading '?'), of one of several shapes, at most 12,000 characters. */
function queryFor(g: ReturnType<typeof generator>, i: number): string {
  return shapedQuery(g, i).slice(0, 12_000); // the test server takes request lines up to 16 KB
}

function shapedQuery(g: ReturnType<typeof generator>, i: number): string {
  const shape = i % 10;
  if (shape === 0) {
    // A well-formed link.
    return KNOWN.filter(() => g.next() < 0.5)
      .map((k) => `${k}=${g.pick(VALID[k].filter((v) => /^[0-9a-z.]+$/.test(v)))}`)
      .join('&');
  }
  if (shape === 1) {
    // Random characters, percent signs and separators.
    const alphabet = ['&', '=', '%', '%2', '%G', '%00', '%7F', '%C3%A9', '%80', '+', ';', '?', '/', 'n', 'r', 'd', '1', '0', '-', '.', 'e', '😀', 'é', '\\', '"', "'", '<', '>', '[', ']', '`', '|', '^', '~', '#'];
    return Array.from({ length: 1 + g.int(60) }, () => g.pick(alphabet)).join('');
  }
  if (shape === 2) {
    // Long: one huge value or hundreds of pairs (under the test server's 16 KB header limit).
    return g.next() < 0.5 ? `${g.pick(KNOWN)}=${g.pick(['9', 'x', '%41', '😀'])}`.padEnd(2000 + g.int(6000), '9') : Array.from({ length: 200 + g.int(300) }, () => pair(g)).join('&');
  }
  if (shape === 3) {
    // Every key repeated.
    const k = g.pick(KNOWN);
    const values = k === 'autoplay' ? VALID[k] : [...VALID[k], ...HOSTILE_VALUES.slice(0, 12)];
    return Array.from({ length: 2 + g.int(5) }, () => `${k}=${g.pick(values)}`).join('&');
  }
  const sep = g.next() < 0.1 ? '&&' : g.next() < 0.05 ? ';' : '&';
  return Array.from({ length: g.int(9) }, () => pair(g)).join(sep);
}

interface Loaded {
  heading: string;
  statusVisible: boolean;
  search: string;
  notices: string[];
}

/** Waits (in the page, in one round trip) for the heading and status panel, then two more frames. */
async function afterLoad(page: Page): Promise<Loaded> {
  await page.waitForFunction(() => document.querySelector('h1') && document.querySelector('[data-testid="status"]'), undefined, { timeout: 20_000, polling: 'raf' });
  // The address bar is rewritten in an effect after the first paint: wait two frames.
  return page.evaluate(
    () =>
      new Promise<Loaded>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const status = document.querySelector('[data-testid="status"]') as HTMLElement;
            const box = status.getBoundingClientRect();
            resolve({
              heading: document.querySelector('h1')?.textContent ?? '',
              statusVisible: box.width > 0 && box.height > 0 && getComputedStyle(status).visibility !== 'hidden',
              search: location.search,
              notices: [...document.querySelectorAll('[data-testid="notices"] li > span')].map((e) => e.textContent ?? ''),
            });
          }),
        ),
      ),
  );
}

describe('the URL', () => {
  it('reproduces a run: the same link gives the same losses step by step, another seed does not', async () => {
    const lossesOf = async (query: string) => {
      const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${query}`);
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-backend') === 'wasm', undefined, { timeout: 60_000 });
      const losses: number[] = [];
      for (let i = 1; i <= 6; i++) {
        await page.click('[data-testid="step"]');
        await page.waitForFunction((n) => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-step')) >= n, i, { timeout: 60_000 });
        losses.push((await statusOf(page)).lastLoss);
      }
      const search = await page.evaluate(() => location.search);
      expect(log.consoleErrors).toEqual([]);
      await page.context().close();
      return { losses, search };
    };
    const query = 'n=48&r=3&d=12&m=48&lr=0.02&seed=7&backend=wasm';
    const first = await lossesOf(query);
    expect(first.search).toBe(`?${query}`);
    // The link as the address bar shows it, opened again.
    const again = await lossesOf(first.search.slice(1));
    expect(again.losses).toEqual(first.losses);
    expect(first.losses.every(Number.isFinite)).toBe(true);
    const other = await lossesOf(query.replace('seed=7', 'seed=8'));
    expect(other.losses).not.toEqual(first.losses);
  }, 180_000);

  it('shows a dismissible notice naming each bad parameter', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=-5&d=1e9&__proto__=1&backend=wasm`);
    const items = page.locator('[data-testid="notices"] li');
    await items.first().waitFor();
    expect(await items.count()).toBe(3);
    const texts = await items.locator('span').allTextContents();
    expect(texts[0]).toMatch(/^n: .*"-5".*Using n=256/);
    expect(texts[1]).toMatch(/^d: .*"1e9".*Using d=32/);
    expect(texts[2]).toMatch(/^Unknown parameter "__proto__"/);
    expect(await items.first().isVisible()).toBe(true);
    expect(await page.evaluate(() => location.search)).toBe('?backend=wasm');
    await items.nth(1).getByRole('button', { name: 'Dismiss notice' }).click();
    expect(await items.locator('span').allTextContents()).toEqual([texts[0], texts[2]]);
    // By keyboard too: focus the dismiss button, press Enter.
    await items.first().getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab'); // nothing breaks when the focused element goes away
    expect(await items.locator('span').allTextContents()).toEqual([texts[2]]);
    await items.first().getByRole('button').click();
    await page.locator('[data-testid="notices"]').waitFor({ state: 'detached' });
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('survives 200 random and hostile query strings, leaving only canonical values in the address bar', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20260705);
    const g = generator(seed);
    const context = await fixture.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    const started = Date.now();
    const cases = 200;
    let withNotices = 0;
    for (let i = 0; i < cases; i++) {
      let query = queryFor(g, i);
      // A preset may ask to play: the link's own autoplay=0 wins over it.
      if (expectedFor(`?${query}`).state.autoplay) query += '&autoplay=0';
      const url = `${fixture.site.url}?${query}${i % 17 === 5 ? '#frag' : ''}`;
      const expected = expectedFor(new URL(url).search);
      expect(expected.state.autoplay).toBe(false); // the generator never asks to train
      const what = `case ${i} (FUZZ_SEED=${seed}): ?${query.length > 300 ? query.slice(0, 300) + `… (${query.length} chars)` : query}`;
      errors.length = 0;
      let response = await page.goto(url, { waitUntil: 'commit' });
      if (!response) {
        // Only the fragment differed from the page before: Chromium did not load a new document.
        await page.goto('about:blank');
        response = await page.goto(url, { waitUntil: 'commit' });
      }
      expect(response?.status(), what).toBe(200);
      const { heading, statusVisible, search, notices: shown } = await afterLoad(page).catch((e: Error) => {
        throw new Error(`${what}: ${e.message}; errors ${JSON.stringify(errors)}`);
      });
      expect(heading, what).toBe('How a transformer memorizes facts');
      expect(statusVisible, what).toBe(true);
      // Only canonical, valid values remain: reading them back changes nothing and says nothing.
      const back = expectedFor(search);
      expect(back.notices, what).toEqual([]);
      expect(back.canonical, what).toBe(search);
      expect(search, what).toBe(expected.canonical);
      expect(search.length, what).toBeLessThan(200);
      // Each problem is on the page.
      if (expected.notices.length) {
        withNotices++;
        for (const notice of expected.notices) expect(shown, what).toContain(notice);
      }
      expect(errors, what).toEqual([]);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`url fuzz: ${cases} cases, ${withNotices} with notices, ${seconds.toFixed(1)} s`);
    expect(withNotices).toBeGreaterThan(cases / 2);
    await context.close();
  }, 300_000);
});
