/**
 * Backend selection shared by Node (CLI, tests, benchmarks) and the browser worker. The caller says
 * where the wasm binaries live (a folder in node_modules in Node, same-origin URLs in the browser),
 * so nothing is ever fetched from a CDN.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installFusedKernels } from './fusedKernels';
import { installWasmKernelFixes } from './wasmKernels';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

export interface BackendOptions {
  /** Folder (Node) or URL prefix / per-file map (browser) of the tfjs-backend-wasm binaries. */
  wasmPaths?: string | Record<string, string>;
}

/**
 * Switches tfjs to `name`. Resolves to true on success; false when the backend is unknown or fails
 * to initialise (tf.setBackend can both throw and resolve false — both end here).
 */
export async function useBackend(name: BackendName, options: BackendOptions = {}): Promise<boolean> {
  if (name === 'wasm') {
    installWasmKernelFixes();
    installFusedKernels();
    if (options.wasmPaths) setWasmPaths(options.wasmPaths as string);
  }
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
  } catch {
    return false;
  }
  if (name === 'cpu') {
    // tfjs-core greets Node users of the cpu backend on first use; we chose cpu on purpose.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return tf.getBackend() === name;
}
