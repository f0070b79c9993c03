/**
 * Two repairs to tfjs-backend-wasm 4.22 (FINDINGS.md), applied at the kernel level so that every
 * op that needs them benefits, including the gradients tfjs derives itself:
 *
 * 1. It has no `UnsortedSegmentSum` kernel, which the gradient of `tf.gather` needs: we add one,
 *    written in JS over the wasm heap (a scatter-add; no copy out of the heap).
 * 2. Its `BatchMatMul` with transposeA/transposeB is 10–30× slower than transposing explicitly and
 *    multiplying plainly, and matMul's gradient uses exactly those forms: we wrap the kernel so
 *    transposed operands are transposed first with the (fast) Transpose kernel.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** What a wasm kernel sees of a tensor and of the backend (the parts of tfjs-backend-wasm we use). */
export interface WasmTensorInfo {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): WasmTensorInfo;
  typedArrayFromHeap(info: WasmTensorInfo): Float32Array | Int32Array;
  disposeData(dataId: object): boolean;
  /** Where each tensor's data lies on the heap (byte offset). */
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  /** The Emscripten module; `asm.memory` is its WebAssembly.Memory. */
  wasm: { asm?: { memory?: WebAssembly.Memory } };
}

export type KernelArgs = {
  inputs: Record<string, WasmTensorInfo>;
  backend: WasmBackendLike;
  attrs?: Record<string, unknown>;
};

let installed = false;

export function installWasmKernelFixes(): void {
  if (installed) return;
  installed = true;

  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: (({ inputs, backend, attrs }: KernelArgs) => {
        const { x, segmentIds } = inputs;
        const numSegments = attrs!.numSegments as number;
        const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
        const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
        // Views are taken after makeOutput: growing the heap detaches earlier views.
        const outData = backend.typedArrayFromHeap(out);
        const xData = backend.typedArrayFromHeap(x);
        const ids = backend.typedArrayFromHeap(segmentIds);
        outData.fill(0);
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i];
          if (id < 0 || id >= numSegments) continue; // TF semantics: out-of-range ids are dropped
          const src = i * inner;
          const dst = id * inner;
          for (let j = 0; j < inner; j++) outData[dst + j] += xData[src + j];
        }
        return out;
      }) as unknown as tf.KernelFunc,
    });
  }

  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!matMul || !transpose) throw new Error('tfjs-backend-wasm is missing BatchMatMul or Transpose');
  const transposeLastTwo = (t: WasmTensorInfo, backend: WasmBackendLike): WasmTensorInfo => {
    const rank = t.shape.length;
    const perm = [...Array(rank).keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    return (transpose.kernelFunc as unknown as (a: KernelArgs) => WasmTensorInfo)({ inputs: { x: t }, backend, attrs: { perm } });
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: matMul.setupFunc,
    kernelFunc: ((args: KernelArgs) => {
      const { inputs, backend, attrs } = args;
      const plain = matMul.kernelFunc as unknown as (a: KernelArgs) => WasmTensorInfo;
      if (!attrs?.transposeA && !attrs?.transposeB) return plain(args);
      const temporaries: WasmTensorInfo[] = [];
      let a = inputs.a;
      let b = inputs.b;
      if (attrs.transposeA) temporaries.push((a = transposeLastTwo(a, backend)));
      if (attrs.transposeB) temporaries.push((b = transposeLastTwo(b, backend)));
      const out = plain({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      for (const t of temporaries) backend.disposeData(t.dataId);
      return out;
    }) as unknown as tf.KernelFunc,
  });
}
