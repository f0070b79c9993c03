/**
 * What the chapters' browser tests share: a quiet playground, a chapter's progress block and the wait
 * for its status, and the clean-log check. Test-only (imports vitest); the harness stays usable from
 * plain scripts (the bench, screenshots).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PageLog } from './harness';

/** A small playground model, not playing, so the training worker stays quiet while a chapter is tested. */
export const QUIET = 'n=32&r=2&d=8&m=32&backend=wasm';

/** A chapter's progress block (data-testid `id`): its status, its bar's value, its line, the worker's tensor count. */
export const experimentProgress = (page: Page, id: string) =>
  page.$eval(`[data-testid="${id}"]`, (el) => ({
    status: el.getAttribute('data-status') ?? '',
    value: Number(el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')),
    text: el.querySelector('.exp-status')?.textContent ?? '',
    tensors: Number(el.getAttribute('data-tensors') || 'NaN'),
  }));

/** Waits until the progress block `id` has one of `statuses` and returns it; an 'error' throws with its line. */
export async function waitForExperiment(page: Page, id: string, statuses: string[], timeout: number): Promise<string> {
  const handle = await page.waitForFunction(
    ([sel, want]) => {
      const s = document.querySelector(`[data-testid="${sel}"]`)?.getAttribute('data-status') ?? '';
      return (want as string[]).includes(s) || s === 'error' ? s : false;
    },
    [id, statuses] as const,
    { timeout, polling: 100 },
  );
  const status = (await handle.jsonValue()) as string;
  if (status === 'error') throw new Error(`${id}: ${(await experimentProgress(page, id)).text}`);
  return status;
}

/** No console error, no failed request and no request to another origin. */
export function expectCleanLog(log: PageLog): void {
  expect(log.consoleErrors).toEqual([]);
  expect(log.failedRequests).toEqual([]);
  expect(log.foreignRequests).toEqual([]);
}
