/** The chapters of the explorable in headless Chromium: each one drives the live model and figures. */
import { describe, expect, it } from 'vitest';
import { openPage, statusOf } from './harness';
import { useSite } from './fixture';

const fixture = useSite();

describe('chapters', () => {
  it('"Build it by hand" loads the exact construction into the live model and figures', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=64&r=3&backend=wasm`);
    await page.waitForSelector('[data-testid="figure-gating"]', { timeout: 60_000 });
    await page.click('[data-testid="load-construction"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('construction') === '1');
    // d* = 4·6 + 3 = 27 and m* = 2·3·6 = 36 appear in the controls.
    await page.waitForFunction(() => (document.getElementById('field-d') as HTMLInputElement)?.value === '27');
    expect(await page.inputValue('#field-m')).toBe('36');
    await page.click('[data-testid="step"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-step') === '1');
    expect((await statusOf(page)).accuracyMin).toBe(1); // the forward pass of step 0 ran on the construction
    await page.waitForFunction(() => /Mean selectivity 1\.00/.test(document.querySelector('[data-testid="figure-gating"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    const projection = await page.textContent('[data-testid="figure-projection"]');
    expect(projection).toMatch(/Held-out probe accuracy 1\.00/);
    await page.click('[data-testid="figure-gating"] button:has-text("Knock out units by relation")');
    await page.waitForFunction(() => /zeroed \(baseline accuracy 1\.00\)/.test(document.querySelector('[data-testid="figure-gating"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    // The construction's selector (measured after the one step Step applied): zeroing a relation's own
    // units breaks that relation and leaves the others whole.
    expect(await page.textContent('[data-testid="figure-gating"]')).toMatch(/drops to 0\.[0-4]\d on average and the other relations stay at 1\.00/);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
