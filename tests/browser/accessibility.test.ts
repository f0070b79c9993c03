/**
 * Accessibility and comfort, in headless Chromium: axe (WCAG 2.1 A/AA rules) finds no serious or
 * critical violation on the page, light and dark, and on each embed view; every figure has an
 * accessible name and a text summary; every control is reached by Tab with a visible focus ring;
 * the keyboard shortcuts; the dark theme, reduced motion, large type, and a 375 px wide phone.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EMBEDS, type EmbedName } from '../../src/ui/share';
import { openPage, statusOf } from './harness';
import { useSite } from './fixture';

const fixture = useSite();

const SMALL = 'n=32&r=2&d=8&m=32&opt=adam&backend=wasm';

/** A figure each embed shows as it opens (the optimiser chapter's curves wait for a run; its tables do not). */
/** The figure that shows an embed is drawn: `figure-<embed>` unless named here. */
const READY_FIGURE: Partial<Record<EmbedName, string>> = { optimizers: 'optimizer-table-256', assoc: 'figure-assoc-map', graph: 'figure-graph-pca' };
const embedReady = (embed: EmbedName) => `[data-testid="${READY_FIGURE[embed] ?? `figure-${embed}`}"]`;

/** axe's serious and critical violations, one line each (rule, impact, first targets). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function waitForFigures(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="figure-gating"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="figure-capacity"]', { timeout: 60_000 });
  await page.waitForTimeout(300);
}

/** The page is no wider than its viewport (no horizontal scroll bar). */
async function horizontalOverflow(page: Page): Promise<{ overflow: number; widest: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const widest = [...document.querySelectorAll('body *')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        if (r.right <= width + 1) return false;
        // Inside a scroll box that holds it (e.g. a wide table in overflow-x: auto), it is fine.
        for (let p = e.parentElement; p; p = p.parentElement) if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return false;
        return true;
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} in ${e.closest('[data-testid]')?.getAttribute('data-testid') ?? 'the page'} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { overflow: document.documentElement.scrollWidth - width, widest };
  });
}

describe('accessibility', () => {
  it('axe finds no serious or critical violation on the page, light and dark, once the figures have rendered', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}`, { width: 1200, height: 900 }, { colorScheme });
      await waitForFigures(page);
      // Two steps, so that the figures show a run rather than the initial weights.
      await page.click('[data-testid="step"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-step') === '1', undefined, { timeout: 60_000 });
      await page.waitForTimeout(500);
      expect(await seriousViolations(page), colorScheme).toEqual([]);
      expect(log.consoleErrors).toEqual([]);
      await page.context().close();
    }
  }, 180_000);

  it('axe finds no serious or critical violation on each embed view', async () => {
    const { page, log } = await openPage(fixture.browser, 'about:blank');
    for (const embed of EMBEDS) {
      await page.goto(`${fixture.site.url}?embed=${embed}&${SMALL}`);
      await page.waitForSelector('[data-testid="embed"]', { timeout: 60_000 });
      await page.waitForSelector(embedReady(embed), { timeout: 60_000 });
      await page.waitForTimeout(300);
      expect(await seriousViolations(page), embed).toEqual([]);
    }
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('every figure has an accessible name and a text summary of what it shows', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}`);
    await waitForFigures(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="figure-training"]')?.textContent?.includes('step'), undefined, { timeout: 60_000 });
    const figures = await page.evaluate(() => {
      const text = (ids: string | null) =>
        (ids ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
          .join(' ')
          .trim();
      return [...document.querySelectorAll('figure')].map((f) => ({
        testid: f.getAttribute('data-testid'),
        name: text(f.getAttribute('aria-labelledby')) || f.getAttribute('aria-label') || '',
        images: [...f.querySelectorAll('[role="img"]')].map((img) => ({
          label: img.getAttribute('aria-label') ?? text(img.getAttribute('aria-labelledby')),
          description: text(img.getAttribute('aria-describedby')),
        })),
        summary: f.querySelector('figcaption')?.textContent?.trim() ?? '',
      }));
    });
    const ids = figures.map((f) => f.testid);
    for (const id of ['figure-training', 'figure-projection', 'figure-gating', 'figure-capacity', 'figure-multihop']) expect(ids).toContain(id);
    for (const f of figures) {
      expect(f.name.length, `${f.testid ?? "a figure"} has a name`).toBeGreaterThan(5);
      // A drawn figure (role="img") says what it is and points at a summary of its current state.
      for (const img of f.images) {
        expect(img.label.length, `${f.testid}: an image without a label`).toBeGreaterThan(10);
        if (img.description) expect(img.description.length, f.testid ?? "").toBeGreaterThan(20);
      }
      if (f.images.length) {
        expect(f.images.some((img) => img.description.length > 20), `${f.testid}: no image points at a summary`).toBe(true);
        expect(f.summary.length, `${f.testid}: summary`).toBeGreaterThan(20);
      }
    }
    await page.context().close();
  }, 120_000);

  it('Tab reaches every control, each with a visible focus ring and a name', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}`);
    await waitForFigures(page);
    const focusables = await page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, summary, [tabindex]:not([tabindex="-1"])')].filter(
          (e) => e.getClientRects().length > 0,
        ).length,
    );
    const seen: { tag: string; name: string; ring: boolean }[] = [];
    await page.focus('h1').catch(() => undefined);
    for (let i = 0; i < focusables + 5; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (!e || e === document.body) return null;
        const style = getComputedStyle(e);
        const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none';
        const labelled = (e as HTMLInputElement).labels?.[0]?.textContent ?? '';
        const name = (e.getAttribute('aria-label') ?? '') || labelled || e.textContent || e.getAttribute('title') || '';
        return { tag: `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${(e as HTMLInputElement).type ? `[${(e as HTMLInputElement).type}]` : ''}`, name: name.trim(), ring };
      });
      if (!info) continue;
      seen.push(info);
    }
    const tags = seen.map((s) => s.tag);
    for (const id of ['input#field-n[text]', 'input#field-d[text]', 'input#field-r[text]', 'input#field-m[text]', 'input#field-lr[text]', 'input#field-seed[text]', 'select#field-opt[select-one]', 'input#field-mom[text]', 'input#field-elr[text]', 'input#field-wd[text]', 'select#field-backend[select-one]', 'input#field-ua[checkbox]', 'input#field-freeze[checkbox]', 'input#field-large[checkbox]']) {
      expect(tags, id).toContain(id);
    }
    expect(seen.filter((s) => s.tag.startsWith('button')).length).toBeGreaterThan(4);
    for (const s of seen) {
      expect(s.ring, `${s.tag} shows a focus ring`).toBe(true);
      expect(s.name.length, `${s.tag} has a name`).toBeGreaterThan(0);
    }
    await page.context().close();
  }, 120_000);

  it('keyboard shortcuts: → steps, Space plays and pauses, R resets; none while typing in a field', async () => {
    // A tiny lr: the run never reaches 100% and pauses by itself between the two presses of Space.
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}&lr=0.00001`);
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-backend') === 'wasm', undefined, { timeout: 60_000 });
    expect(await page.textContent('[data-testid="keyboard-note"]')).toMatch(/Space.*play.*→.*step.*R.*reset/);
    const stepIs = (n: number) => page.waitForFunction((k) => document.querySelector('[data-testid="status"]')?.getAttribute('data-step') === String(k), n, { timeout: 60_000 });
    await page.keyboard.press('ArrowRight');
    await stepIs(1);
    await page.keyboard.press('ArrowRight');
    await stepIs(2);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-status') === 'running', undefined, { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-step')) > 5, undefined, { timeout: 60_000 });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-status') === 'paused', undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.scrollY)).toBe(0); // Space did not scroll the page
    await page.keyboard.press('r');
    await stepIs(0);
    // Typing in a field: r, space and → are text, not shortcuts.
    await page.click('#field-seed');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.type(' r');
    expect(await page.inputValue('#field-seed')).toBe('5 r');
    await page.keyboard.press('Escape');
    expect((await statusOf(page)).step).toBe(0);
    expect((await statusOf(page)).status).not.toBe('running');
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('dark theme and reduced motion follow the system settings', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}`, { width: 1200, height: 900 }, { colorScheme: 'dark', reducedMotion: 'reduce' });
    await waitForFigures(page);
    const look = await page.evaluate(() => {
      const lum = (css: string) => {
        const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      const tick = document.querySelector('[data-testid="figure-training"] .tick text');
      // A progress bar's fill, which slides (transition) unless the reader asks for less motion.
      const bar = document.body.appendChild(document.createElement('div'));
      bar.className = 'exp-bar-fill';
      return {
        background: lum(getComputedStyle(document.body).backgroundColor || getComputedStyle(document.documentElement).backgroundColor),
        text: lum(getComputedStyle(document.body).color),
        tickText: tick ? lum(getComputedStyle(tick).fill) : 1,
        transition: getComputedStyle(bar).transitionDuration,
      };
    });
    expect(look.background).toBeLessThan(0.2);
    expect(look.text).toBeGreaterThan(0.7);
    expect(look.tickText).toBeGreaterThan(0.5); // the d3 axes follow the theme
    expect(look.transition.split(',').every((d) => parseFloat(d) === 0)).toBe(true);
    await page.context().close();

    // Without the preference the same bar does move.
    const moving = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}`, { width: 800, height: 600 }, { reducedMotion: 'no-preference' });
    await waitForFigures(moving.page); // the chapters (and their style sheet, with the bar's transition) are on the page
    const duration = await moving.page.evaluate(() => {
      const bar = document.body.appendChild(document.createElement('div'));
      bar.className = 'exp-bar-fill';
      return getComputedStyle(bar).transitionDuration;
    });
    expect(parseFloat(duration)).toBeGreaterThan(0);
    await moving.page.context().close();
  }, 120_000);

  it('large type: large=1 scales page and figure text, and the toggle keeps it in the URL', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${SMALL}&large=1`);
    await waitForFigures(page);
    const sizes = () =>
      page.evaluate(() => ({
        root: parseFloat(getComputedStyle(document.documentElement).fontSize),
        tick: parseFloat(getComputedStyle(document.querySelector('[data-testid="figure-training"] .tick text')!).fontSize),
      }));
    const large = await sizes();
    expect(large.root).toBeGreaterThanOrEqual(20);
    expect(large.tick).toBeGreaterThanOrEqual(13);
    expect(await page.isChecked('#field-large')).toBe(true);
    await page.click('#field-large');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('large'));
    const normal = await sizes();
    expect(normal.root).toBe(16);
    expect(normal.tick).toBeLessThan(large.tick);
    await page.keyboard.press('Space'); // toggles the focused check box, not training
    await page.waitForFunction(() => new URL(location.href).searchParams.get('large') === '1');
    expect((await statusOf(page)).status).not.toBe('running');
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('fits a 375 px wide phone with no horizontal scroll: the page, large type and each embed view', async () => {
    const { page, log } = await openPage(fixture.browser, 'about:blank', { width: 375, height: 800 }, { isMobile: true, hasTouch: true });
    for (const query of [SMALL, `${SMALL}&large=1`, ...EMBEDS.map((e) => `embed=${e}&${SMALL}`)]) {
      await page.goto(`${fixture.site.url}?${query}`);
      const embed = /embed=(\w+)/.exec(query)?.[1] as EmbedName | undefined;
      await page.waitForSelector(embed ? embedReady(embed) : '[data-testid="figure-gating"]', { timeout: 60_000 });
      await page.waitForTimeout(400);
      const { overflow, widest } = await horizontalOverflow(page);
      expect(overflow, `${query}: ${widest.join(', ')}`).toBeLessThanOrEqual(0);
      expect(widest, query).toEqual([]);
      // The figures are there and not squeezed to nothing.
      const boxes = await page.$$eval('figure', (fs) => fs.map((f) => f.getBoundingClientRect().width));
      expect(boxes.length, query).toBeGreaterThan(0);
      for (const w of boxes) expect(w, query).toBeGreaterThan(250);
    }
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 240_000);
});
