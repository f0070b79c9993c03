/**
 * `npm run screenshot`: the README's pictures, taken in headless Chromium from the built site:
 * `?autoplay=1` (the default playground: SGD, N=256, R=2, d=32), captured once training has paused
 * by itself after every fact is right and the mean held-out probe stopped rising.
 *
 *   npm run screenshot                  all five below
 *   npm run screenshot -- dark 375      only those
 *   npm run screenshot -- out.png       the light one, to out.png
 *
 * light: docs/explorable.png (1200 px wide, the whole page); dark: docs/explorable-dark.png
 * (prefers-color-scheme: dark) and 375: docs/explorable-375.png (a 375 px wide phone, light), both
 * cut after the playground's figures. one-screen: docs/playground-1280x800.png and projector:
 * docs/playground-1024x768-large.png (large type), each the first viewport only: the one-screen
 * layout's controls, status and three live figures.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContextOptions } from 'playwright-core';
import { buildSite, launch, openPage, serveSite, statusOf } from './harness';

interface Shot {
  out: string;
  viewport: { width: number; height: number };
  options: BrowserContextOptions;
  /** Only the playground (intro, controls, status, the three live figures), not the chapters. */
  playgroundOnly?: boolean;
  /** Only what the first viewport shows (the one-screen layout). */
  viewportOnly?: boolean;
  /** Added to the link (e.g. `&large=1`). */
  query?: string;
}

const SHOTS: Record<string, Shot> = {
  light: { out: 'docs/explorable.png', viewport: { width: 1200, height: 900 }, options: { colorScheme: 'light' } },
  dark: { out: 'docs/explorable-dark.png', viewport: { width: 1200, height: 900 }, options: { colorScheme: 'dark' }, playgroundOnly: true },
  'one-screen': { out: 'docs/playground-1280x800.png', viewport: { width: 1280, height: 800 }, options: { colorScheme: 'light' }, viewportOnly: true },
  projector: { out: 'docs/playground-1024x768-large.png', viewport: { width: 1024, height: 768 }, options: { colorScheme: 'light' }, viewportOnly: true, query: '&large=1' },
  '375': { out: 'docs/explorable-375.png', viewport: { width: 375, height: 812 }, options: { colorScheme: 'light', deviceScaleFactor: 1, isMobile: true, hasTouch: true }, playgroundOnly: true },
};

const args = process.argv.slice(2);
const shots: Shot[] = args.length
  ? args.map((a) => {
      if (a.endsWith('.png')) return { ...SHOTS.light, out: a };
      const shot = SHOTS[a];
      if (!shot) throw new Error(`unknown screenshot ${JSON.stringify(a)}: use ${Object.keys(SHOTS).join(', ')} or a .png path`);
      return shot;
    })
  : Object.values(SHOTS);

const site = await serveSite(await buildSite());
const browser = await launch();
try {
  for (const shot of shots) {
    const { page, log } = await openPage(browser, `${site.url}?autoplay=1${shot.query ?? ''}`, shot.viewport, shot.options);
    const until = Date.now() + 180_000;
    while ((await statusOf(page)).status !== 'done' && Date.now() < until) await page.waitForTimeout(250);
    await page.waitForTimeout(500);
    const status = await statusOf(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    mkdirSync(shot.out.replace(/\/[^/]*$/, '') || '.', { recursive: true });
    const bottom = shot.playgroundOnly ? await page.evaluate(() => (document.querySelector('.figures')?.getBoundingClientRect().bottom ?? 0) + window.scrollY) : 0;
    if (shot.viewportOnly) await page.screenshot({ path: shot.out });
    else await page.screenshot({ path: shot.out, fullPage: true, clip: bottom > 0 ? { x: 0, y: 0, width: shot.viewport.width, height: Math.ceil(bottom + 16) } : undefined });
    console.log(JSON.stringify({ out: shot.out, ...status, horizontalOverflowPx: overflow, consoleErrors: log.consoleErrors.length }));
    await page.context().close();
  }
} finally {
  await browser.close();
  await site.close();
}
