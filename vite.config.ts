/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * src/experiments/registry.ts names each chapter's parts for every side: its chapter (the page), its
 * run (the experiment worker) and its command line (Node). Each build keeps only its own side: the
 * registry's imports of the others become an empty module there, never loaded — so the worker's
 * bundle holds no React and the page's no worker code. (Builds only: the dev server and the tests
 * load what they call.)
 */
function onlyOwnSide(side: string, drop: RegExp): Plugin {
  const prefix = `\0other-side:${side}:`;
  return {
    name: `experiment-side-${side}`,
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /[\\/]src[\\/]experiments[\\/]registry\.ts$/.test(importer) && drop.test(source)) return prefix + source;
      return null;
    },
    load(id) {
      return id.startsWith(prefix) ? 'export default undefined;' : null;
    },
  };
}

// `base: './'` makes the built site work from any sub-path of a static server.
export default defineConfig({
  base: './',
  plugins: [react(), onlyOwnSide('page', /\/(run|cli)$/)],
  worker: { format: 'es', plugins: () => [onlyOwnSide('worker', /\/(chapter|cli)$/)] },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
