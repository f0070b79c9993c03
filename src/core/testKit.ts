/**
 * What the core and experiment unit tests share: the backend they run on, the tensor-leak check,
 * and the hand-built construction as a ready model. Test-only (imported by *.test.ts files).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect } from 'vitest';
import { startBackend } from '../cli/nodeIo';
import type { BackendName } from './training/backends';
import { buildConstruction, type Construction } from './model/construct';
import { makeFacts, type Facts } from './model/facts';
import { createModel, modelFromArrays, type Model } from './model/model';

/** Runs the file's tests on `backend` (wasm by default, the CLI's). */
export function useBackend(backend: BackendName = 'wasm'): void {
  beforeAll(async () => {
    await startBackend(backend);
  });
}

/** Runs `body` and fails the test if it leaves tensors behind. */
export async function leakChecked<T>(body: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await body();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** The construction of docs/science.md §3 for N subjects and R relations of seed `seed`, as a model. */
export function constructedModel(n: number, r: number, seed: number): { facts: Facts; built: Construction; model: Model } {
  const facts = makeFacts(n, r, seed);
  const built = buildConstruction(facts);
  return { facts, built, model: modelFromArrays(built.config, built.weights) };
}

/** A fresh model of the given sizes (one head, single-hop) and its fact table, both of seed `seed`. */
export function smallModel(
  sizes: { n: number; r: number; d: number; m: number; seqLen?: number },
  seed: number,
  options: Parameters<typeof createModel>[2] = {},
): { facts: Facts; model: Model } {
  const config = { heads: 1, seqLen: 2, ...sizes };
  return { facts: makeFacts(sizes.n, sizes.r, seed), model: createModel(config, seed, options) };
}
