/**
 * The explorable in real headless Chromium (Debian's, through playwright-core), served as built
 * static files from 127.0.0.1.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREEZE_MS, launch, longestTaskSince, marksOf, openPage, statusOf } from './harness';
import { useSite } from './fixture';

const fixture = useSite();
let webgpuBrowser: Browser;

beforeAll(async () => {
  webgpuBrowser = await launch({ webgpu: true });
}, 180_000);

afterAll(async () => {
  await webgpuBrowser?.close();
});

async function waitFor(page: Page, predicate: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await predicate()) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; status ${JSON.stringify(await statusOf(page))}`);
}

/** Presses Step `count` times, waiting for each step to land, and returns the loss of the last. */
async function stepTimes(page: Page, count: number): Promise<number> {
  for (let i = 1; i <= count; i++) {
    await page.click('[data-testid="step"]');
    await waitFor(page, async () => (await statusOf(page)).step >= i, 60_000, `step ${i}`);
  }
  return (await statusOf(page)).lastLoss;
}

describe('the explorable in headless Chromium', () => {
  it('trains N=128, R=4, d=24 to 100% on wasm, fills both §4 figures, and keeps the page responsive', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=128&r=4&d=24&autoplay=1&backend=wasm`);
    await page.waitForSelector('[data-testid="figure-projection"]', { timeout: 60_000 });
    const startedAt = await page.evaluate(() => performance.now());
    await waitFor(page, async () => (await statusOf(page)).accuracyMin === 1, 120_000, '100% accuracy');
    const status = await statusOf(page);
    expect(status.backend).toBe('wasm');
    expect(status.accuracyMin).toBe(1);
    // The figures refresh a few times a second; wait for the first one after 100%.
    await page.waitForTimeout(1500);
    expect(await marksOf(page, 'figure-training')).toBeGreaterThan(10);
    expect(await marksOf(page, 'figure-projection')).toBeGreaterThan(100);
    expect(await marksOf(page, 'figure-gating')).toBeGreaterThan(100);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/explorable-wasm.png', fullPage: true });

    expect(await longestTaskSince(page, startedAt, 'explorable, training N=128')).toBeLessThan(FREEZE_MS);
    expect(log.consoleErrors).toEqual([]);
    expect(log.failedRequests).toEqual([]);
    expect(log.foreignRequests).toEqual([]);
    expect(fixture.site.requests.some((p) => p.endsWith('.wasm'))).toBe(true); // wasm served by the page's own origin
    await page.context().close();
  }, 240_000);

  it('runs WebGPU on the SwiftShader adapter (test switch) and matches the wasm loss at step 5 to 1e-3', async () => {
    const query = 'n=32&r=2&d=8&m=32&seed=3';
    const gpu = await openPage(webgpuBrowser, `${fixture.site.url}?${query}&backend=webgpu&softwaregpu=1`);
    await waitFor(gpu.page, async () => (await statusOf(gpu.page)).backend !== '', 60_000, 'a backend');
    expect((await statusOf(gpu.page)).backend).toBe('webgpu');
    const gpuLoss = await stepTimes(gpu.page, 5);
    expect(gpu.log.consoleErrors).toEqual([]);
    await gpu.page.context().close();

    const cpu = await openPage(fixture.browser, `${fixture.site.url}?${query}&backend=wasm`);
    const wasmLoss = await stepTimes(cpu.page, 5);
    expect((await statusOf(cpu.page)).backend).toBe('wasm');
    await cpu.page.context().close();
    expect(Number.isFinite(gpuLoss)).toBe(true);
    expect(Math.abs(gpuLoss - wasmLoss)).toBeLessThanOrEqual(1e-3);
  }, 240_000);

  it('without a WebGPU adapter falls back and names its backend', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=32&r=2&d=8`);
    await waitFor(page, async () => (await statusOf(page)).backend !== '', 60_000, 'a backend');
    expect((await statusOf(page)).backend).toBe('wasm');
    const reason = await page.textContent('.backend-reason');
    expect(reason).toMatch(/Training on wasm: .*WebGPU/);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('keeps the worker\'s tensor count flat over 2,000 steps (pausing at 100%, then playing on)', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=32&r=2&d=8&m=32&opt=adam&autoplay=1&backend=wasm`);
    const tensors = () => page.$eval('[data-testid="status"]', (el) => Number(el.getAttribute('data-tensors')));
    await waitFor(page, async () => (await statusOf(page)).status === 'done', 120_000, 'the automatic pause after 100%');
    const atPause = await tensors();
    const pausedAt = (await statusOf(page)).step;
    expect(atPause).toBeGreaterThan(0);
    await page.click('[data-testid="play"]');
    await waitFor(page, async () => (await statusOf(page)).step >= pausedAt + 2000, 180_000, '2,000 more steps');
    await page.click('[data-testid="pause"]');
    await waitFor(page, async () => (await statusOf(page)).status === 'paused', 30_000, 'pause');
    expect(await tensors()).toBe(atPause);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 300_000);

  it('on a lost GPU device continues on another backend from the last weights, with a message', async () => {
    const { page } = await openPage(webgpuBrowser, `${fixture.site.url}?n=32&r=2&d=8&m=32&opt=adam&backend=webgpu&softwaregpu=1`);
    await waitFor(page, async () => (await statusOf(page)).backend === 'webgpu', 60_000, 'webgpu');
    await stepTimes(page, 2);
    await page.evaluate(() => (window as unknown as { __explorable: { simulateDeviceLoss(): void } }).__explorable.simulateDeviceLoss());
    await waitFor(page, async () => (await statusOf(page)).backend === 'wasm', 60_000, 'fallback to wasm');
    expect(await page.textContent('[data-testid="notices"]')).toMatch(/webgpu backend stopped working .* continues on wasm/);
    await page.click('[data-testid="play"]');
    await waitFor(page, async () => (await statusOf(page)).accuracyMin === 1, 120_000, '100% after the fallback');
    await page.context().close();
  }, 240_000);
});
