/**
 * Which tfjs backend the worker trains on, and why (the reason is shown on the page).
 *
 * Rule (documented, from measurements in FINDINGS.md): WebGPU when the browser offers a real GPU
 * adapter. A software adapter (isFallbackAdapter, SwiftShader) is not a GPU — on such a machine
 * tfjs's wasm backend is 10–50× faster than WebGPU or WebGL on SwiftShader — so without a real GPU
 * adapter we train on wasm; cpu is the last resort. The user may override the choice.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../core/training/backends';
import { useBackend } from '../core/training/backends';
import { fusedKernelsActive } from '../core/training/fusedKernels';
import type { BackendChoice, BackendInfo } from './protocol';

/** The wasm binaries, served by the page's own origin (bundled by Vite from node_modules). */
const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

interface AdapterReport {
  available: boolean;
  software: boolean;
  description: string;
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string; description?: string; device?: string };
}

/** Asks the browser for a WebGPU adapter and whether it is a software one. */
export async function probeWebGpu(): Promise<AdapterReport> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (!gpu) return { available: false, software: false, description: 'this browser has no WebGPU' };
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    adapter = null;
  }
  if (!adapter) return { available: false, software: false, description: 'no WebGPU adapter was offered' };
  const info = adapter.info ?? {};
  const architecture = (info.architecture ?? '').toLowerCase();
  const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || /swiftshader|llvmpipe|software/.test(architecture + ' ' + (info.description ?? '').toLowerCase());
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return { available: true, software, description: software ? `software WebGPU adapter (${name})` : name };
}

/**
 * The GPU backends register themselves when their module loads; they load only when tried, so a page
 * on a CPU machine (wasm) never downloads them.
 */
const LAZY_BACKENDS: Partial<Record<BackendName, () => Promise<unknown>>> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
};

async function start(name: BackendName): Promise<boolean> {
  try {
    await LAZY_BACKENDS[name]?.();
  } catch {
    return false;
  }
  return useBackend(name, { wasmPaths: WASM_PATHS });
}

/** wasm, saying whether our SIMD kernels run (they need wasm SIMD, which every current browser has). */
function wasmInfo(reason: string): BackendInfo {
  const simdKernels = fusedKernelsActive();
  return { name: 'wasm', reason: simdKernels ? `${reason} (with our fused SIMD kernels)` : `${reason} (tfjs kernels only: no wasm SIMD here)`, simdKernels };
}

/** Falls through wasm then cpu; the first that starts wins. */
async function startCpuPath(reason: string, exclude?: BackendName): Promise<BackendInfo> {
  for (const name of ['wasm', 'cpu'] as BackendName[]) {
    if (name === exclude) continue;
    if (!(await start(name))) continue;
    if (name === 'cpu') return { name, reason: `${reason}; wasm failed to start, so plain JS (cpu)` };
    return wasmInfo(reason);
  }
  throw new Error('no tfjs backend could start (tried wasm and cpu)');
}

export async function chooseBackend(choice: BackendChoice, allowSoftwareWebGpu: boolean): Promise<BackendInfo> {
  if (choice === 'auto' || choice === 'webgpu') {
    const adapter = await probeWebGpu();
    const usable = adapter.available && (!adapter.software || allowSoftwareWebGpu);
    if (usable && (await start('webgpu'))) {
      return {
        name: 'webgpu',
        adapter: adapter.description,
        reason: choice === 'auto' ? `a GPU adapter is available (${adapter.description})` : `chosen by you (${adapter.description})`,
      };
    }
    const why = !adapter.available
      ? `no WebGPU: ${adapter.description}`
      : adapter.software && !allowSoftwareWebGpu
        ? `the ${adapter.description} is not a GPU (wasm is 10–50× faster on a CPU)`
        : 'WebGPU failed to start';
    return startCpuPath(choice === 'webgpu' ? `WebGPU was asked for, but ${why}; wasm instead` : `${why}; wasm is the fastest CPU path`);
  }
  if (await start(choice)) return choice === 'wasm' ? wasmInfo('chosen by you') : { name: choice, reason: 'chosen by you' };
  return startCpuPath(`${choice} failed to start; wasm instead`, choice);
}

/** After a failure on `failed` (e.g. a lost GPU device), the next backend to try. */
export async function fallbackFrom(failed: BackendName, why: string): Promise<BackendInfo> {
  return startCpuPath(`${failed} stopped working (${why}); continuing on wasm`, failed === 'wasm' ? 'wasm' : undefined);
}

/** Resolves when the current WebGPU device is lost (never, on other backends). */
export function deviceLost(): Promise<string> | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string; reason?: string }> } }).device;
  return device?.lost ? device.lost.then((info) => info?.message || info?.reason || 'device lost') : null;
}
