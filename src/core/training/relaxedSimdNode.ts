/**
 * Node only (never imported by the page): Node 20's V8 has relaxed SIMD behind a flag, which Chromium
 * ships on. Setting the flag at run time, before the whole-step module is compiled, gives the CLI and
 * the bench the same fused multiply-add build the page's worker gets, without `node
 * --experimental-wasm-relaxed-simd` on every command line.
 */
import { setFlagsFromString } from 'node:v8';
import { simdFlavour, type SimdFlavour } from './stepModule';

/** Turns relaxed SIMD on where this V8 has it; returns the build the whole-step module will use. */
export function enableRelaxedSimd(): SimdFlavour | null {
  if (simdFlavour() !== 'relaxed') setFlagsFromString('--experimental-wasm-relaxed-simd');
  return simdFlavour();
}
