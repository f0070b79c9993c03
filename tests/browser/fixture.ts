/**
 * The set-up every browser-test file shares: the site built once per run (globalSetup.ts), served by
 * a plain static server (optionally under a sub-path), and a headless Chromium, closed after the file.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launch, serveSite, type SiteServer } from './harness';
import type {} from './globalSetup';

export interface SiteFixture {
  /** The built site's folder (shared by the whole run: add files, do not change the build's own). */
  root: string;
  site: SiteServer;
  browser: Browser;
}

export function useSite(options: { base?: string; webgpu?: boolean; prepare?: (root: string) => void } = {}): SiteFixture {
  const fixture = {} as SiteFixture;
  beforeAll(async () => {
    fixture.root = inject('siteRoot');
    options.prepare?.(fixture.root);
    fixture.site = await serveSite(fixture.root, options.base);
    fixture.browser = await launch({ webgpu: options.webgpu });
  }, 180_000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.site?.close();
  });
  return fixture;
}
