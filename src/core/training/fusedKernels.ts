/**
 * Fused kernels for the wasm backend (issue 6): each replaces a chain of 5–25 small tfjs kernels in
 * the single-hop step or the optimiser with one pass over memory. On a 2-core CPU a step of the small
 * model was ~200 kernels, and dispatch, repacking of matmul operands and slow generic paths
 * (leading-axis sums, batched or transposed matmuls; FINDINGS.md), not arithmetic, took most of it.
 *
 * The loops are wasm SIMD (simd/kernels.wat), instantiated on tfjs-backend-wasm's own memory, so they
 * read and write tensors where they lie — no copies. Plain JS loops over the heap were 3–10× slower.
 *
 * - FactualRecallXent: from logits and their softmax, the cross-entropy summed over the rows, which
 *   rows are right, and dlogits = (p − onehot)·scale both as is and transposed — the transposed copy
 *   makes dU = dlogitsᵀ·Z a plain matmul whose right operand (Z) is small, so XNNPACK does not repack
 *   a large operand every step.
 * - FactualRecallMix: base_r + a_rs·(y0_s − y1_r) for every (relation, subject), optionally through a
 *   ReLU and optionally with its transpose: the attention's output h and the MLP's hidden layer.
 * - FactualRecallRelationSums: every sum over subjects or relations that the backward pass takes of
 *   dz or (masked by the ReLU) of dhidden, in one pass — dpre is never materialised.
 * - FactualRecallAdam: PyTorch's Adam over every trained weight in one kernel.
 * - FactualRecallSgd: SGD with momentum, plain GD and sign descent, likewise.
 *
 * The Trainer now runs the whole single-hop step in one module of its own where it can (fusedStep.ts);
 * these kernels serve the tfjs-kernel path (setWholeStep(false), shapes the module does not take).
 *
 * Every kernel has a tf-ops twin (the caller's path on webgl, webgpu and cpu, and where N or m is not a
 * multiple of 4), and the tests check both give the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { KERNELS_WASM_BASE64 } from './simd/kernelsWasm';
import type { KernelArgs, WasmBackendLike, WasmTensorInfo as TensorInfo } from './wasmKernels';

interface SimdKernels {
  mix_rows(base: number, a: number, y0: number, y1: number, out: number, outT: number, r: number, n: number, k: number, relu: number): void;
  relation_sums(dx: number, hidden: number, a: number, y0: number, y1: number, byRel: number, gR: number, gS: number, gST: number, dA: number, r: number, n: number, k: number): void;
  cross_entropy(logits: number, probs: number, targets: number, dL: number, dLT: number, correct: number, stat: number, rows: number, n: number, scale: number): void;
  adam(p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, count: number, stepSize: number, rootBc2: number, beta1: number, beta2: number, eps: number, oneMinusBeta1: number, oneMinusBeta2: number, decay: number): void;
  sgd(p: number, g: number, buf: number, pOut: number, bufOut: number, count: number, lr: number, momentum: number, decay: number, sign: number): void;
}

const XENT = 'FactualRecallXent';
const MIX = 'FactualRecallMix';
const RELATION_SUMS = 'FactualRecallRelationSums';
const ADAM = 'FactualRecallAdam';
const SGD = 'FactualRecallSgd';

let enabled = true;

/** Turns the fused kernels off (tests and the bench compare both paths); they are on by default. */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

let simd: { memory: WebAssembly.Memory; kernels: SimdKernels } | null = null;
let simdFailed = false;

/** The SIMD module on the wasm backend's memory; null where wasm SIMD or the memory is unavailable. */
function simdKernels(backend: WasmBackendLike): SimdKernels | null {
  const memory = backend.wasm?.asm?.memory;
  if (!memory || simdFailed) return null;
  if (simd?.memory === memory) return simd.kernels;
  try {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    simd = { memory, kernels: instance.exports as unknown as SimdKernels };
    return simd.kernels;
  } catch {
    simdFailed = true; // no wasm SIMD here: the tf-ops path it is
    return null;
  }
}

/**
 * Whether the current backend runs the fused kernels on rows of these widths (N subjects, m hidden
 * units, d…: the SIMD loops take them four at a time). Pass nothing to ask about the optimiser kernel.
 */
export function fusedKernelsActive(...widths: number[]): boolean {
  if (!enabled || tf.getBackend() !== 'wasm' || !tf.getKernel(XENT, 'wasm')) return false;
  if (widths.some((w) => w % 4 !== 0)) return false;
  return simdKernels(tf.backend() as unknown as WasmBackendLike) !== null;
}

/** Byte offset of a tensor's data on the wasm heap. */
const offsetOf = (backend: WasmBackendLike, t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;

function register(kernelName: string, kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[]): void {
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

export function installFusedKernels(): void {
  register(XENT, ({ inputs, backend, attrs }) => {
    const [rows, n] = inputs.logits.shape;
    const at = (t: TensorInfo) => offsetOf(backend, t);
    const dl = backend.makeOutput([rows, n], 'float32');
    const dlT = backend.makeOutput([n, rows], 'float32');
    const correct = backend.makeOutput([rows], 'float32');
    const stat = backend.makeOutput([rows, 2], 'float32');
    const lossOut = backend.makeOutput([1], 'float32');
    simdKernels(backend)!.cross_entropy(at(inputs.logits), at(inputs.probs), at(inputs.targets), at(dl), at(dlT), at(correct), at(stat), rows, n, attrs!.scale as number);
    // loss_i = (max − logit of the target) − log p_max: log-sum-exp = max − log p_max, and p_max ≥ 1/N
    // cannot underflow. The logs are taken here (wasm has no log), over `rows` numbers only.
    const s = backend.typedArrayFromHeap(stat) as Float32Array;
    let loss = 0;
    for (let i = 0; i < rows; i++) loss += s[2 * i] - Math.log(s[2 * i + 1]);
    (backend.typedArrayFromHeap(lossOut) as Float32Array)[0] = loss;
    backend.disposeData(stat.dataId);
    return [dl, dlT, lossOut, correct];
  });

  register(MIX, ({ inputs, backend, attrs }) => {
    const [r, n] = inputs.a.shape;
    const k = inputs.base.shape[1];
    const at = (t: TensorInfo) => offsetOf(backend, t);
    const out = backend.makeOutput([r * n, k], 'float32');
    const outT = attrs!.transposed ? backend.makeOutput([k, r * n], 'float32') : null;
    simdKernels(backend)!.mix_rows(at(inputs.base), at(inputs.a), at(inputs.y0), at(inputs.y1), at(out), outT ? at(outT) : 0, r, n, k, attrs!.relu ? 1 : 0);
    return outT ? [out, outT] : [out];
  });

  register(RELATION_SUMS, ({ inputs, backend, attrs }) => {
    const [r, n] = inputs.a.shape;
    const k = inputs.y0.shape[1];
    const at = (t: TensorInfo) => offsetOf(backend, t);
    const byRelation = backend.makeOutput([r, k], 'float32');
    const gR = backend.makeOutput([r, k], 'float32');
    const gS = backend.makeOutput([n, k], 'float32');
    const gST = attrs!.transposed ? backend.makeOutput([k, n], 'float32') : null;
    const dA = backend.makeOutput([r, n], 'float32');
    const hidden = inputs.hidden ? at(inputs.hidden) : 0;
    simdKernels(backend)!.relation_sums(at(inputs.dx), hidden, at(inputs.a), at(inputs.y0), at(inputs.y1), at(byRelation), at(gR), at(gS), gST ? at(gST) : 0, at(dA), r, n, k);
    return gST ? [byRelation, gR, gS, dA, gST] : [byRelation, gR, gS, dA];
  });

  register(ADAM, ({ inputs, backend, attrs }) => {
    const beta1 = attrs!.beta1 as number;
    const beta2 = attrs!.beta2 as number;
    const rootBc2 = Math.sqrt(attrs!.biasCorrection2 as number);
    const [mOut, vOut] = ['m', 'v'].map((name) => backend.makeOutput(inputs[name].shape, 'float32'));
    const m = offsetOf(backend, inputs.m);
    const v = offsetOf(backend, inputs.v);
    const pOuts = eachParameter(backend, inputs, attrs!, (kernels, p, g, out, size, offset, rate, decay) => {
      const stepSize = rate / (attrs!.biasCorrection1 as number);
      const mo = offsetOf(backend, mOut) + offset;
      const vo = offsetOf(backend, vOut) + offset;
      kernels.adam(p, g, m + offset, v + offset, out, mo, vo, size, stepSize, rootBc2, beta1, beta2, attrs!.epsilon as number, 1 - beta1, 1 - beta2, decay);
    });
    return [mOut, vOut, ...pOuts];
  });

  register(SGD, ({ inputs, backend, attrs }) => {
    const bufOut = backend.makeOutput(inputs.buffer.shape, 'float32');
    const buffer = offsetOf(backend, inputs.buffer);
    const pOuts = eachParameter(backend, inputs, attrs!, (kernels, p, g, out, size, offset, rate, decay) => {
      kernels.sgd(p, g, buffer + offset, out, offsetOf(backend, bufOut) + offset, size, rate, attrs!.momentum as number, decay, attrs!.sign ? 1 : 0);
    });
    return [bufOut, ...pOuts];
  });
}

/**
 * The flat optimisers' common walk: parameter k (inputs p{k}, gradient g{k}) gets a fresh output and
 * its slice of the flat state buffers, which start `offset` bytes in; `update` runs the SIMD kernel.
 */
function eachParameter(
  backend: WasmBackendLike,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
  update: (kernels: SimdKernels, p: number, g: number, out: number, size: number, offset: number, rate: number, decay: number) => void,
): TensorInfo[] {
  const count = attrs.count as number;
  const rates = attrs.rates as number[];
  const decays = attrs.decays as number[];
  const kernels = simdKernels(backend)!;
  const outs: TensorInfo[] = [];
  let offset = 0; // bytes into the flat state
  for (let k = 0; k < count; k++) {
    const param = inputs[`p${k}`];
    const out = backend.makeOutput(param.shape, 'float32');
    const size = param.shape.reduce((a, b) => a * b, 1);
    update(kernels, offsetOf(backend, param), offsetOf(backend, inputs[`g${k}`]), offsetOf(backend, out), size, offset, rates[k], decays[k]);
    offset += 4 * size;
    outs.push(out);
  }
  return outs;
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown> = {}) =>
  tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];

/** See FactualRecallXent. `targets` int32 [rows]. */
export function fusedCrossEntropy(logits: tf.Tensor2D, probs: tf.Tensor2D, targets: tf.Tensor1D, scale: number) {
  const [dLogits, dLogitsT, lossVector, correct] = run(XENT, { logits, probs, targets }, { scale });
  const lossSum = lossVector.reshape([]) as tf.Scalar;
  lossVector.dispose();
  return { dLogits: dLogits as tf.Tensor2D, dLogitsT: dLogitsT as tf.Tensor2D, lossSum, correct: correct as tf.Tensor1D };
}

/**
 * See FactualRecallMix: base [R, k], a [R, N], y0 [N, k], y1 [R, k] → out [R·N, k] with
 * out_rs = base_r + a_rs·(y0_s − y1_r), through a ReLU if `relu`; `transposed` adds outᵀ [k, R·N].
 */
export function fusedMix(base: tf.Tensor2D, a: tf.Tensor2D, y0: tf.Tensor2D, y1: tf.Tensor2D, options: { relu: boolean; transposed: boolean }) {
  const [out, outT] = run(MIX, { base, a, y0, y1 }, options);
  return { out: out as tf.Tensor2D, outT: (outT ?? null) as tf.Tensor2D | null };
}

/**
 * See FactualRecallRelationSums. With g = dx, times [hidden > 0] if `hidden` is given: byRelation =
 * Σ_s g [R, k], gR = Σ_s a·g [R, k], gS = Σ_r a·g [N, k], dA = Σ_j g·(y0 − y1) [R, N], and with
 * `transposed` also gSᵀ [k, N].
 */
export function fusedRelationSums(dx: tf.Tensor2D, a: tf.Tensor2D, y0: tf.Tensor2D, y1: tf.Tensor2D, options: { hidden?: tf.Tensor2D; transposed: boolean }) {
  const inputs: tf.NamedTensorMap = { dx, a, y0, y1 };
  if (options.hidden) inputs.hidden = options.hidden;
  const [byRelation, gR, gS, dA, gST] = run(RELATION_SUMS, inputs, { transposed: options.transposed });
  return { byRelation: byRelation as tf.Tensor2D, gR: gR as tf.Tensor2D, gS: gS as tf.Tensor2D, dA: dA as tf.Tensor2D, gST: (gST ?? null) as tf.Tensor2D | null };
}

/**
 * out [R·N, k] with out_rs = base_r + a_rs·(y0_s − y1_r), through a ReLU if `relu`: the fused kernel
 * where it runs (which also gives outᵀ, asked or not, when `transposed`), else tf ops (outT null).
 */
export function mixRows(base: tf.Tensor2D, a: tf.Tensor2D, y0: tf.Tensor2D, y1: tf.Tensor2D, options: { relu: boolean; transposed: boolean }) {
  const [r, n] = a.shape;
  const k = base.shape[1];
  if (fusedKernelsActive(n, k)) return fusedMix(base, a, y0, y1, options);
  const pre = tf.add(base.reshape([r, 1, k]), tf.mul(a.reshape([r, n, 1]), tf.sub(y0.reshape([1, n, k]), y1.reshape([r, 1, k])))).reshape([r * n, k]) as tf.Tensor2D;
  return { out: options.relu ? (tf.relu(pre) as tf.Tensor2D) : pre, outT: null };
}

/**
 * The sums of g = dx (times [hidden > 0], the ReLU's derivative, if `hidden` is given) that the
 * backward pass needs, as in fusedRelationSums: the fused kernel where it runs, else tf ops (gST null).
 * Sums over the relation or subject axis are products with ones or with a: wasm's Sum over a leading
 * axis transposes first and is slow.
 */
export function relationSums(dx: tf.Tensor2D, a: tf.Tensor2D, y0: tf.Tensor2D, y1: tf.Tensor2D, options: { hidden?: tf.Tensor2D; transposed: boolean }) {
  const [r, n] = a.shape;
  const k = y0.shape[1];
  if (fusedKernelsActive(n, k)) return fusedRelationSums(dx, a, y0, y1, options);
  const g = (options.hidden ? tf.mul(dx, tf.step(options.hidden)) : dx).reshape([r, n, k]) as tf.Tensor3D;
  const a3 = a.reshape([r, n, 1]);
  return {
    byRelation: tf.matMul(tf.ones([r, 1, n]) as tf.Tensor3D, g).reshape([r, k]) as tf.Tensor2D,
    gR: tf.matMul(a.reshape([r, 1, n]) as tf.Tensor3D, g).reshape([r, k]) as tf.Tensor2D,
    gS: tf.matMul(tf.ones([1, r]) as tf.Tensor2D, tf.mul(a3, g).reshape([r, n * k]) as tf.Tensor2D).reshape([n, k]) as tf.Tensor2D,
    dA: tf.sum(tf.mul(g, tf.sub(y0.reshape([1, n, k]), y1.reshape([r, 1, k]))), 2) as tf.Tensor2D,
    gST: null,
  };
}

export interface AdamSettings {
  /** Learning rate and decoupled-decay factor (1 − lr·wd) of each weight, in order. */
  rates: number[];
  decays: number[];
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1ᵗ and 1 − β2ᵗ of this update. */
  biasCorrection1: number;
  biasCorrection2: number;
}

function stacked(params: tf.Tensor[], grads: tf.Tensor[], inputs: tf.NamedTensorMap): tf.NamedTensorMap {
  params.forEach((p, k) => {
    inputs[`p${k}`] = p;
    inputs[`g${k}`] = grads[k];
  });
  return inputs;
}

/** See FactualRecallAdam: the new flat moments and the new value of every weight, in order. */
export function fusedAdam(m: tf.Tensor1D, v: tf.Tensor1D, params: tf.Tensor[], grads: tf.Tensor[], settings: AdamSettings) {
  const [mNew, vNew, ...values] = run(ADAM, stacked(params, grads, { m, v }), { ...settings, count: params.length });
  return { m: mNew as tf.Tensor1D, v: vNew as tf.Tensor1D, values };
}

export interface SgdSettings {
  rates: number[];
  decays: number[];
  momentum: number;
  /** Sign descent: step along sign(buffer). */
  sign: boolean;
}

/** See FactualRecallSgd: the new flat momentum buffer and the new value of every weight, in order. */
export function fusedSgd(buffer: tf.Tensor1D, params: tf.Tensor[], grads: tf.Tensor[], settings: SgdSettings) {
  const [bufferNew, ...values] = run(SGD, stacked(params, grads, { buffer }), { ...settings, count: params.length });
  return { buffer: bufferNew as tf.Tensor1D, values };
}
