/**
 * Builds the site once for the whole browser-test run (every test file serves the same build), and
 * removes it afterwards. Test files get the folder through `inject('siteRoot')` (fixture.ts).
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildSite } from './harness';

export default async function setup(project: TestProject): Promise<() => void> {
  const root = await buildSite();
  project.provide('siteRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    siteRoot: string;
  }
}
