/**
 * `npm run screenshot`: the README's picture, taken in headless Chromium from the built site:
 * `?n=128&r=4&d=24&autoplay=1`, captured once training has paused after reaching 100%.
 */
import { mkdirSync } from 'node:fs';
import { buildSite, launch, openPage, serveSite, statusOf } from './harness';

const out = process.argv[2] ?? 'docs/explorable.png';
const site = await serveSite(await buildSite());
const browser = await launch();
try {
  const { page, log } = await openPage(browser, `${site.url}?n=128&r=4&d=24&autoplay=1`, { width: 1200, height: 900 });
  const until = Date.now() + 180_000;
  while ((await statusOf(page)).status !== 'done' && Date.now() < until) await page.waitForTimeout(250);
  await page.waitForTimeout(500);
  const status = await statusOf(page);
  mkdirSync(out.replace(/\/[^/]*$/, '') || '.', { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(JSON.stringify({ out, ...status, consoleErrors: log.consoleErrors.length }));
} finally {
  await browser.close();
  await site.close();
}
