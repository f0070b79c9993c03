/**
 * Loading the whole-step SIMD module (simd/step.wat, built into simd/stepWasm.ts, so it ships inside
 * the bundle and is never fetched): the relaxed-SIMD build where the engine validates it (Chromium;
 * Node 20 with --experimental-wasm-relaxed-simd), the plain-SIMD build otherwise, null where wasm SIMD
 * itself is missing. Validating the relaxed build is the feature test: it is a few kilobytes, and
 * exactly the instructions we are about to use.
 */
import { STEP_WASM_PLAIN_BASE64, STEP_WASM_RELAXED_BASE64 } from './simd/stepWasm';

export type SimdFlavour = 'relaxed' | 'plain';

/** The exports of the whole-step module; every pointer is a byte offset in its memory. */
export interface StepKernels {
  gemm(a: number, sAr: number, sAk: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, acc: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, ldDst: number): void;
  softmax_xent(logits: number, targets: number, correct: number, stat: number, rows: number, n: number, ld: number, scale: number): void;
  mix_rows(base: number, a: number, y0: number, y1: number, out: number, outT: number, r: number, n: number, k: number, relu: number): void;
  mix_quads(base: number, a: number, y0: number, y1: number, out: number, outT: number, r: number, n: number, k: number, relu: number): void;
  relation_sums(dx: number, hidden: number, a: number, y0: number, y1: number, byRel: number, gR: number, gS: number, gST: number, dA: number, r: number, n: number, k: number): void;
  adam(p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, count: number, stepSize: number, rootBc2: number, beta1: number, beta2: number, eps: number, oneMinusBeta1: number, oneMinusBeta2: number, decay: number): void;
  sgd(p: number, g: number, buf: number, pOut: number, bufOut: number, count: number, lr: number, momentum: number, decay: number, sign: number): void;
}

export interface StepModule {
  kernels: StepKernels;
  memory: WebAssembly.Memory;
  flavour: SimdFlavour;
}

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Which build this engine runs: 'relaxed' where it validates, else 'plain'; null without wasm SIMD. */
export function simdFlavour(): SimdFlavour | null {
  if (typeof WebAssembly === 'undefined') return null;
  if (WebAssembly.validate(bytesOf(STEP_WASM_RELAXED_BASE64))) return 'relaxed';
  return WebAssembly.validate(bytesOf(STEP_WASM_PLAIN_BASE64)) ? 'plain' : null;
}

/**
 * A fresh instance with `bytes` of memory of its own. `flavour` forces a build (tests); null when the
 * engine cannot run it. Compiling synchronously is allowed off the page's main thread (the trainer
 * runs in a worker) and in Node.
 */
export function instantiateStepModule(bytes: number, flavour: SimdFlavour | null = simdFlavour()): StepModule | null {
  if (!flavour) return null;
  try {
    const module = new WebAssembly.Module(bytesOf(flavour === 'relaxed' ? STEP_WASM_RELAXED_BASE64 : STEP_WASM_PLAIN_BASE64));
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return { kernels: instance.exports as unknown as StepKernels, memory, flavour };
  } catch {
    return null;
  }
}
