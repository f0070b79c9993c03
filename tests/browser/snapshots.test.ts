/**
 * Figure snapshot tests, as Observable Plot has them: the gallery (`?gallery=1`, src/ui/gallery/) draws
 * every figure from fixture files written by the CLI (`npm run cli -- fixtures --out src/ui/gallery/fixtures`),
 * with no worker and no training; each figure's drawing is serialised in the page (src/ui/gallery/snapshot.ts:
 * the SVG export's markup with computed styles inline, canvases as PNG data URLs, tables as XHTML,
 * coordinates rounded to 2 decimals, React's ids renamed) and compared with tests/browser/snapshots/<figure>.svg.
 *
 * When a figure's drawing changes on purpose, rewrite the snapshots and look at them (they open in a browser):
 *   UPDATE_SNAPSHOTS=1 npx vitest run --config tests/browser/vitest.config.ts tests/browser/snapshots.test.ts
 *
 * Stable by construction: a fixed viewport (1100 × 900) at device scale 1, light scheme, reduced motion
 * and every CSS transition and animation off, fonts loaded, and each drawing read until two reads
 * 250 ms apart agree. The snapshots hold the fonts' metrics of the machine that wrote them (Debian's
 * Chromium and fonts here).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openPage, type PageLog } from './harness';
import { useSite } from './fixture';
import { GALLERY_FIGURES, snapshotDifference } from '../../src/ui/gallery/snapshotText';

const SNAPSHOTS = fileURLToPath(new URL('./snapshots/', import.meta.url));
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const VIEWPORT = { width: 1100, height: 900 };

const fixture = useSite();

/** The figure's snapshot once its drawing has settled: two reads 250 ms apart agree. */
async function settledSnapshot(page: Page, name: string): Promise<string> {
  let last: string | null = null;
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const now = await page.evaluate((n) => window.__gallerySnapshot?.(n) ?? null, name);
    if (now !== null && now === last) return now;
    last = now;
    await page.waitForTimeout(250);
  }
  throw new Error(`the ${name} figure did not settle within 20 s${last === null ? ' (not drawn at all)' : ''}`);
}

describe('figure snapshots (?gallery=1)', () => {
  let page: Page;
  let log: PageLog;

  beforeAll(async () => {
    ({ page, log } = await openPage(fixture.browser, `${fixture.site.url}?gallery=1`, VIEWPORT, {
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    }));
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }' });
    await page.waitForSelector('[data-testid="gallery"]', { timeout: 30_000 }).catch((e: Error) => {
      throw new Error(`the gallery did not render: ${e.message}\npage errors: ${log.consoleErrors.join('\n') || 'none'}`);
    });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  }, 60_000);

  it('draws every figure from the fixtures, with no worker, no training and no other origin', async () => {
    for (const name of GALLERY_FIGURES) {
      const drawn = await page.$eval(`[data-testid="gallery-${name}"]`, (section) => {
        const figure = section.querySelector('figure');
        return {
          figure: !!figure,
          marks: section.querySelectorAll('figure svg path, figure svg circle, figure svg rect, figure canvas, figure tbody tr').length,
          error: section.querySelector('.gallery-error')?.textContent ?? null,
        };
      });
      expect(drawn, name).toEqual({ figure: true, marks: expect.any(Number), error: null });
      expect(drawn.marks, `${name}: marks drawn`).toBeGreaterThan(0);
    }
    expect(await page.evaluate(() => typeof Worker !== 'undefined' && performance.getEntriesByType('resource').filter((e) => /worker/i.test(e.name)).length)).toBe(0);
    expect(fixture.site.requests.filter((p) => /worker/i.test(p))).toEqual([]);
    expect(log.foreignRequests).toEqual([]);
    expect(log.failedRequests).toEqual([]);
    expect(log.consoleErrors).toEqual([]);
  });

  for (const name of GALLERY_FIGURES) {
    it(`${name} is drawn as in tests/browser/snapshots/${name}.svg`, async () => {
      const actual = await settledSnapshot(page, name);
      const file = `${SNAPSHOTS}${name}.svg`;
      if (UPDATE) {
        mkdirSync(SNAPSHOTS, { recursive: true });
        writeFileSync(file, actual);
        return;
      }
      expect(existsSync(file), `${file} is missing: write it with UPDATE_SNAPSHOTS=1`).toBe(true);
      const difference = snapshotDifference(readFileSync(file, 'utf8'), actual);
      if (difference !== null) expect.fail(`${name} differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites it, if the change is meant):\n${difference}`);
    });
  }

  it('fails when a drawing changes: a mark moved in the page no longer matches its snapshot', async () => {
    const name = 'capacity';
    const before = await settledSnapshot(page, name);
    // Move the last path of its drawing (a mark, drawn over the axes) 3 px to the right, as a change to the figure's code would.
    const moved = await page.evaluate((n) => {
      const paths = document.querySelectorAll(`[data-testid="gallery-${n}"] figure svg path`);
      const el = paths[paths.length - 1];
      if (!el) return false;
      el.setAttribute('transform', `translate(3,0) ${el.getAttribute('transform') ?? ''}`.trim());
      return true;
    }, name);
    expect(moved).toBe(true);
    const after = await page.evaluate((n) => window.__gallerySnapshot!(n)!, name);
    const difference = snapshotDifference(before, after);
    expect(difference).not.toBeNull();
    expect(difference).toMatch(/^first difference at line \d+, column \d+/);
    expect(difference).toContain('translate(3,0)');
    console.log(`a moved mark is reported as:\n${difference}`);
  });
});
