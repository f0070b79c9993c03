/// <reference types="vitest/config" />
// The browser tests: one site build for the run (globalSetup.ts), one file at a time.
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import base from '../../vite.config';

const config = mergeConfig(base, {
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { globalSetup: ['tests/browser/globalSetup.ts'], fileParallelism: false },
});
// Replaced, not merged (mergeConfig concatenates arrays): only the browser tests.
config.test!.include = ['tests/browser/**/*.test.ts'];
export default config;
