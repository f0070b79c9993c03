/**
 * One screen (issue 16): at 1280×800, and at 1024×768 with large type (a projector), the
 * playground's controls, its status and the three live figures (with the time-travel scrubber)
 * lie within the first viewport once the first measurement has arrived, with no scrolling.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './harness';
import { expectCleanLog } from './chapterChecks';
import { useSite } from './fixture';

const fixture = useSite();

const PARTS = {
  controls: 'section.controls',
  transport: '.transport',
  status: '[data-testid="status"]',
  training: '[data-testid="figure-training"]',
  scrubber: '[data-testid="history"]',
  projection: '[data-testid="figure-projection"]',
  gating: '[data-testid="figure-gating"]',
};

/** Each part's box, and how far it reaches past the viewport on any side (0: inside). */
const boxes = (page: Page) =>
  page.evaluate((parts) => {
    const out: Record<string, { top: number; left: number; bottom: number; right: number; outside: number }> = {};
    for (const [name, sel] of Object.entries(parts)) {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      const outside = Math.max(0, -r.top, -r.left, r.bottom - window.innerHeight, r.right - window.innerWidth);
      out[name] = { top: Math.round(r.top), left: Math.round(r.left), bottom: Math.round(r.bottom), right: Math.round(r.right), outside: Math.ceil(outside) };
    }
    return { out, scrollY: window.scrollY, scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth };
  }, PARTS);

const CASES = [
  { name: '1280×800', viewport: { width: 1280, height: 800 }, query: '' },
  { name: '1024×768, large type', viewport: { width: 1024, height: 768 }, query: '&large=1' },
];

describe('one screen', () => {
  for (const c of CASES) {
    for (const settings of ['backend=wasm', 'n=128&r=4&d=24&m=128&backend=wasm']) {
      it(`${c.name} (${settings}): controls, status and the three live figures in the first viewport`, async () => {
        const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${settings}${c.query}`, c.viewport);
        // The first measurement: the projection and gating figures replace their placeholders.
        await page.waitForSelector('[data-testid="figure-gating"]', { timeout: 60_000 });
        await page.waitForSelector('[data-testid="figure-projection"]', { timeout: 60_000 });
        await page.waitForTimeout(300); // the figures measure their width and draw
        const { out, scrollY, scrollWidth, width } = await boxes(page);
        console.log(`one screen ${c.name} (${settings}): ${Object.entries(out).map(([k, b]) => `${k} ${b.left},${b.top}–${b.right},${b.bottom}`).join('; ')}`);
        expect(scrollY).toBe(0);
        expect(scrollWidth).toBeLessThanOrEqual(width);
        for (const [name, b] of Object.entries(out)) expect(b.outside, `${name} reaches ${b.outside} px past the viewport`).toBe(0);
        // The three figures side by side, the scrubber under the loss chart.
        expect(out.projection.left).toBeGreaterThan(out.training.right - 1);
        expect(out.gating.left).toBeGreaterThan(out.projection.right - 1);
        expect(out.scrubber.top).toBeGreaterThanOrEqual(out.training.bottom);
        expectCleanLog(log);
        await page.context().close();
      }, 120_000);
    }
  }
});
