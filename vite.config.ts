/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The built site's TensorFlow.js: every `@tensorflow/tfjs` import becomes src/core/tfjs.ts (tfjs-core
 * and the cpu backend, without the umbrella's Layers, converter, tf.data and WebGL). Builds only:
 * Node (CLI, tests, bench) and the dev server keep the umbrella, whose tfjs-core is the same code.
 */
const TFJS_ON_A_CPU = /[\\/](?:@tensorflow[\\/]tfjs-(?:core|backend-cpu|backend-wasm)[\\/]|src[\\/]core[\\/]tfjs\.ts$)/;
const TFJS_FOR_THE_PAGE = fileURLToPath(new URL('./src/core/tfjs.ts', import.meta.url));
function tfjsWithoutLayers(): Plugin {
  return {
    name: 'tfjs-without-layers',
    apply: 'build',
    enforce: 'pre',
    resolveId(source) {
      return source === '@tensorflow/tfjs' ? TFJS_FOR_THE_PAGE : null;
    },
  };
}

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
  plugins: [react(), onlyOwnSide('page', /\/(run|cli)$/), tfjsWithoutLayers()],
  worker: {
    format: 'es',
    plugins: () => [onlyOwnSide('worker', /\/(chapter|cli)$/), tfjsWithoutLayers()],
    // TensorFlow.js as the workers run it on a CPU (tfjs-core, the cpu and wasm backends) in one chunk,
    // `tfjs-<hash>.js`, shared by both workers (src/worker/workerStart.ts says how). The WebGPU and WebGL
    // backends stay in chunks of their own, loaded only when chosen.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'tfjs', test: TFJS_ON_A_CPU },
            { name: 'tfjs-webgpu', test: /[\\/]@tensorflow[\\/]tfjs-backend-webgpu[\\/]/ },
            { name: 'tfjs-webgl', test: /[\\/]@tensorflow[\\/]tfjs-backend-webgl[\\/]/ },
          ],
        },
      },
    },
  },
  // No source maps in dist/ unless asked: `SOURCEMAP=1 npm run build` (or `npx vite build --sourcemap`).
  // With them dist/ is ~45 MB, almost all maps of tfjs; without, a few MB.
  // The workers' tfjs chunk is ~1 MB raw (~135 KB gzipped) and one chunk on purpose.
  build: { target: 'es2022', sourcemap: process.env.SOURCEMAP === '1', chunkSizeWarningLimit: 1100 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
