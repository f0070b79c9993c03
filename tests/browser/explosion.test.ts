/**
 * Never misleads (issue 16): a learning rate far too high stops the run with a message naming it, and
 * one click restarts with a safe one (src/worker/lossWatch.ts). Adam at lr 1 on the playground's
 * N = 256 explodes from step 1 (loss 10⁶–10⁷ at 0.5% accuracy) without ever reaching NaN; plain `?lr=1`
 * (SGD, the default optimiser) reaches NaN within a dozen steps.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EXPLODE_STEPS } from '../../src/worker/lossWatch';
import { openPage, statusOf } from './harness';
import { expectCleanLog } from './chapterChecks';
import { useSite } from './fixture';

const fixture = useSite();

async function waitFor(page: Page, what: string, predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await predicate().catch(() => false)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; status ${JSON.stringify(await statusOf(page))}`);
}

const alarmText = (page: Page) => page.$eval('[data-testid="status-alarm"]', (el) => el.textContent ?? '');
const recipe = (page: Page) => page.$eval('[data-testid="status-recipe"]', (el) => el.textContent ?? '');
const urlLr = (page: Page) => new URL(page.url()).searchParams.get('lr');

describe('a learning rate far too high', () => {
  it('?opt=adam&lr=1 (N=256) pauses with the cause and a fix; the fix restarts at lr 0.01 and the loss falls', async () => {
    const opened = Date.now();
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?opt=adam&lr=1&autoplay=1&backend=wasm`);
    await waitFor(page, 'the first step', async () => (await statusOf(page)).step > 0 || (await page.$('[data-testid="status-alarm"]')) !== null, 60_000);
    const training = Date.now();
    await waitFor(page, 'the explosion message', async () => (await page.$('[data-testid="status-alarm"]')) !== null, 60_000);
    const [fromOpen, fromTraining] = [opened, training].map((t) => ((Date.now() - t) / 1000).toFixed(1));
    // A figure, not a bound (issue 16 asks for 10 s): most of it is the page and the backend starting.
    console.log(`explosion message ${fromOpen} s after opening the page, ${fromTraining} s after the first step was shown`);
    const text = await alarmText(page);
    console.log(`message: ${text}`);
    expect(text).toContain('the learning rate 1 is too high for Adam; try 0.01');
    const paused = await statusOf(page);
    expect(paused.status).toBe('paused');
    // Caught at once: within the chunk of steps after the rule's EXPLODE_STEPS (a chunk is at most 50 steps).
    expect(paused.step).toBeGreaterThanOrEqual(EXPLODE_STEPS);
    expect(paused.step).toBeLessThanOrEqual(EXPLODE_STEPS + 50);
    expect(paused.lastLoss).toBeGreaterThan(1000);
    await page.waitForTimeout(1000);
    expect((await statusOf(page)).step).toBe(paused.step); // it stays paused

    await page.click('[data-testid="status-fix"]');
    // 0.01 is Adam's default, which the URL leaves out; it keeps opt=adam.
    await waitFor(page, 'the URL to drop lr=1', async () => urlLr(page) === null, 10_000);
    await waitFor(page, 'training at lr 0.01', async () => (await statusOf(page)).status === 'running' && (await recipe(page)).includes('lr 0.01'), 30_000);
    expect(await page.$('[data-testid="status-alarm"]')).toBeNull();
    await waitFor(page, 'the loss to fall', async () => (await statusOf(page)).lastLoss < 1, 120_000);
    const after = await statusOf(page);
    console.log(`after the fix: step ${after.step}, loss ${after.lastLoss.toPrecision(3)}, lowest accuracy ${after.accuracyMin}`);
    expect(after.lastLoss).toBeLessThan(1);
    expect(new URL(page.url()).searchParams.get('opt')).toBe('adam');
    expectCleanLog(log);
    await page.context().close();
  }, 240_000);

  it('?lr=1 (SGD) stops on the NaN with the same kind of fix: the default 0.1', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?lr=1&autoplay=1&backend=wasm`);
    await waitFor(page, 'the message', async () => (await page.$('[data-testid="status-alarm"]')) !== null, 60_000);
    expect((await statusOf(page)).status).toBe('diverged');
    expect(await alarmText(page)).toMatch(/training diverged/);
    await page.click('[data-testid="status-fix"]');
    await waitFor(page, 'training at lr 0.1', async () => urlLr(page) === null && (await statusOf(page)).status === 'running', 30_000);
    await waitFor(page, 'the loss to fall', async () => (await statusOf(page)).lastLoss < 1, 120_000);
    expectCleanLog(log);
    await page.context().close();
  }, 240_000);
});
