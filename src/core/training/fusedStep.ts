/**
 * The whole single-hop training step — forward, backward and the optimiser update — on the memory of
 * one SIMD wasm module (simd/step.wat via stepModule.ts), with no tfjs kernel in between: weights,
 * gradients, optimiser state and every activation live in that module's memory, and a step is a fixed
 * program of ~40 calls into it. The math is singleHopStep.ts's (same notation, same arrangement of
 * products); what changes is where it runs:
 * - every product is the module's register-blocked `gemm`, whose strided left operand reads Aᵀ in
 *   place, so no left operand is ever transposed;
 * - the logits never exist whole: a block of rows at a time goes logits → softmax cross-entropy
 *   gradient (in place) → dZ and dU, while the block is still in cache;
 * - operands that sit side by side in memory are multiplied as one: [C; −O1; O0]ᵀ·[Σ_s; gR; gS] is dW1
 *   in one product, and the gradients of E and Rel are one [N+R, d] product;
 * - the small [R, N] and [R, d] work (sigmoid, sums over a row) is plain JS over the module's memory.
 * tfjs-free: the caller (train.ts) copies weights in and out.
 */
import { instantiateStepModule, type SimdFlavour, type StepKernels, type StepModule } from './stepModule';
import { ADAM_BETA2, ADAM_EPSILON } from './flatOptimizer';
import type { OptimizerSettings } from './optimizerSettings';
import { WEIGHT_NAMES, weightShapes, type ModelConfig, type WeightName } from '../model/shapes';

/** Whether the module computes this model's step: one head, [s, r], N, d and m multiples of 4. */
export function wholeStepApplies(c: ModelConfig): boolean {
  return c.heads === 1 && c.seqLen === 2 && c.n % 4 === 0 && c.d % 4 === 0 && c.m % 4 === 0;
}

/**
 * Row length, in floats, of a matrix whose columns a product walks down: 16 more than its width, so that
 * consecutive rows start on different cache sets (a row of 1024 floats is 4 KB, and an 8-way L1
 * holds only 8 lines 4 KB apart).
 */
const padded = (width: number) => width + 16;

/** Rows of logits per block: about BLOCK_BYTES of them, a multiple of 4. */
let BLOCK_BYTES = 262144;
const blockRows = (n: number, batch: number) => Math.min(batch, Math.max(4, Math.floor(BLOCK_BYTES / (4 * padded(n))) & ~3));

/** Products whose right operand is taller than this many bytes per column go in slices of k (cache blocking). */
let PANEL_BYTES = 16384;

/** Sets the logit block and panel sizes (for tuning scripts). */
export function tuneWholeStep(blockBytes: number, panelBytes: number): void {
  BLOCK_BYTES = blockBytes;
  PANEL_BYTES = panelBytes;
}

/** Byte offsets of named regions of the module's memory, 64-byte aligned. */
class Arena {
  top = 64;
  take(floats: number): number {
    const at = this.top;
    this.top += Math.ceil((floats * 4) / 64) * 64;
    return at;
  }
}

export interface StepOutcome {
  /** Mean cross-entropy over the N·R facts, before the update. */
  loss: number;
  /** Right facts per relation, before the update. */
  correctByRelation: number[];
}

export class WholeStep {
  private k: StepKernels;
  private readonly f: Float32Array;
  private readonly sizes: Record<WeightName, number>;
  /** Byte offsets of each weight, its gradient and its optimiser state (same layout, four times). */
  private readonly p = {} as Record<WeightName, number>;
  private readonly g = {} as Record<WeightName, number>;
  private readonly s1 = {} as Record<WeightName, number>;
  private readonly s2 = {} as Record<WeightName, number>;
  private readonly b: Record<string, number>;
  private readonly rates: Partial<Record<WeightName, number>> = {};
  private t = 0;
  readonly flavour: SimdFlavour;

  /** Null where the engine has no wasm SIMD or the model does not fit the module. */
  static create(
    config: ModelConfig,
    targets: Int32Array,
    settings: OptimizerSettings,
    /** The trained weights and their learning-rate multipliers; the others stay as they are. */
    trained: Partial<Record<WeightName, number>>,
    flavour?: SimdFlavour | null,
  ): WholeStep | null {
    if (!wholeStepApplies(config)) return null;
    const step = new WholeStep(config, targets, settings, trained, flavour);
    return step.ok ? step : null;
  }

  private readonly ok: boolean;

  private constructor(
    readonly config: ModelConfig,
    targets: Int32Array,
    readonly settings: OptimizerSettings,
    trained: Partial<Record<WeightName, number>>,
    flavour?: SimdFlavour | null,
  ) {
    const { n, r, d, m } = config;
    const batch = n * r;
    const shapes = weightShapes(config);
    this.sizes = {} as Record<WeightName, number>;
    const a = new Arena();
    for (const table of [this.p, this.g, this.s1, this.s2]) {
      // One contiguous run per table, so that the gradients of E and Rel are one [N+R, d] block.
      for (const name of WEIGHT_NAMES) {
        this.sizes[name] = shapes[name].reduce((x, y) => x * y, 1);
        table[name] = a.top;
        a.top += this.sizes[name] * 4;
      }
      a.take(0);
      a.top = Math.ceil(a.top / 64) * 64;
    }
    const rb = blockRows(n, batch);
    this.b = {
      X: a.take((n + r) * d), Q: a.take(r * d), K: a.take((n + r) * d), V: a.take((n + r) * d),
      // C, −O1, O0, O1 in a row: O = [O0; O1] and [C; −O1; O0] are both contiguous.
      C: a.take((2 * r + n + r) * d), Kt: a.take(d * padded(n)), S: a.take(r * n), A: a.take(r * n),
      M: a.take((n + r) * m), Ar: a.take(r * m), Z: a.take(batch * d), hidden: a.take(batch * m), hiddenT: a.take(m * batch),
      Ut: a.take(d * padded(n)), W2t: a.take(d * padded(m)), W1t: a.take(m * d), Wt: a.take(d * d),
      L: a.take(rb * padded(n)), dZ: a.take(batch * d), dH: a.take(batch * m),
      // Σ_s, gR, gS of the MLP [2R+N, m]; of dz [2R+N, d] followed by dO1 [R, d].
      mlp: a.take((2 * r + n) * m), mlpDA: a.take(r * n), res: a.take((3 * r + n) * d), resDA: a.take(r * n),
      dQ: a.take(r * d), dK: a.take((n + r) * d), dV: a.take((n + r) * d),
      stat: a.take(2 * batch), correct: a.take(batch), targets: a.take(batch),
    };
    this.b.O = this.b.C + 2 * r * d * 4;
    const module: StepModule | null = instantiateStepModule(a.top, flavour === undefined ? undefined : flavour);
    this.ok = module !== null;
    this.flavour = module?.flavour ?? 'plain';
    this.k = module?.kernels as StepKernels;
    this.f = module ? new Float32Array(module.memory.buffer) : new Float32Array(0);
    if (!module) return;
    new Int32Array(module.memory.buffer, this.b.targets, batch).set(targets);
    for (const [name, multiplier] of Object.entries(trained) as [WeightName, number][]) this.rates[name] = settings.lr * multiplier;
  }

  /** The module's copy of a weight (a view: copy it to keep it). */
  weight(name: WeightName): Float32Array {
    return this.f.subarray(this.p[name] / 4, this.p[name] / 4 + this.sizes[name]);
  }

  setWeight(name: WeightName, values: ArrayLike<number>): void {
    this.weight(name).set(values);
  }

  /** The gradient of the last `gradients` or `step` (a view). */
  gradient(name: WeightName): Float32Array {
    return this.f.subarray(this.g[name] / 4, this.g[name] / 4 + this.sizes[name]);
  }

  /** One optimiser update of the trained weights; returns the loss and hits of its forward pass. */
  step(): StepOutcome {
    const out = this.gradients();
    this.t += 1;
    this.update();
    return out;
  }

  /**
   * gemm (step.wat) in cache-sized pieces when B is larger than PANEL_BYTES: a tile of C reads a
   * column panel of B for every tile of rows, so the part of B in use should stay in L1. A short
   * reduction (k ≤ 128) over a wide B goes a slice of columns at a time; a long one a block of C's rows
   * at a time (≤ 64 KB, kept in L2), each in slices of k.
   */
  private gemm(a: number, sAr: number, sAk: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, acc: number): void {
    const gemm = this.k.gemm;
    if (k * n * 4 <= PANEL_BYTES) {
      gemm(a, sAr, sAk, b, ldb, c, ldc, m, k, n, acc);
    } else if (k <= 128) {
      const nc = Math.max(8, Math.floor(PANEL_BYTES / (4 * k)) & ~7);
      for (let j = 0; j < n; j += nc) gemm(a, sAr, sAk, b + 4 * j, ldb, c + 4 * j, ldc, m, k, Math.min(nc, n - j), acc);
    } else {
      const kc = Math.max(16, Math.floor(PANEL_BYTES / (4 * n)));
      const mc = Math.max(4, Math.floor(65536 / (4 * n)) & ~3);
      for (let i = 0; i < m; i += mc) {
        for (let l = 0; l < k; l += kc) {
          gemm(a + i * sAr + l * sAk, sAr, sAk, b + l * ldb, ldb, c + i * ldc, ldc, Math.min(mc, m - i), Math.min(kc, k - l), n, l === 0 ? acc : 1);
        }
      }
    }
  }

  /** Forward and backward over the full batch: the loss, the hits and every weight's gradient. */
  gradients(): StepOutcome {
    const { n, r, d, m } = this.config;
    const { f, p, g, b } = this;
    const k = { ...this.k, gemm: this.gemm.bind(this) };
    const batch = n * r;
    const D = d * 4; // bytes in a row of width d, and so on
    const Mb = m * 4;
    const Nb = n * 4;
    const Np = padded(n) * 4; // bytes in a padded row of width n
    const X1 = b.X + n * D;
    const O1 = b.O + n * D;
    const K1 = b.K + n * D;
    const M1 = b.M + n * Mb;
    const scale = 1 / Math.sqrt(d);
    // ---- forward ----
    const [E, Rel, P] = [p.subjectEmbedding / 4, p.relationEmbedding / 4, p.positionEmbedding / 4];
    // (offsets in floats hoisted into locals: the small loops below run every step)
    const [x, x1, qf, k1, af, sf, cf, o1f] = [b.X, X1, b.Q, K1, b.A, b.S, b.C, O1].map((at) => at >> 2);
    for (let s = 0; s < n; s++) for (let j = 0; j < d; j++) f[x + s * d + j] = f[E + s * d + j] + f[P + j];
    for (let q = 0; q < r; q++) for (let j = 0; j < d; j++) f[x1 + q * d + j] = f[Rel + q * d + j] + f[P + d + j];
    k.gemm(X1, D, 4, p['attention.query'], D, b.Q, D, r, d, d, 0);
    k.gemm(b.X, D, 4, p['attention.key'], D, b.K, D, n + r, d, d, 0);
    k.gemm(b.X, D, 4, p['attention.value'], D, b.V, D, n + r, d, d, 0);
    k.gemm(b.V, D, 4, p['attention.output'], D, b.O, D, n + r, d, d, 0);
    k.transpose(b.K, b.Kt, n, d, Np);
    k.gemm(b.Q, D, 4, b.Kt, Np, b.S, Nb, r, d, n, 0); // Q·K0ᵀ
    for (let q = 0; q < r; q++) {
      let s1 = 0;
      for (let j = 0; j < d; j++) s1 += f[qf + q * d + j] * f[k1 + q * d + j];
      for (let s = 0; s < n; s++) f[af + q * n + s] = 1 / (1 + Math.exp(-scale * (f[sf + q * n + s] - s1)));
      for (let j = 0; j < d; j++) {
        const o1 = f[o1f + q * d + j];
        f[cf + q * d + j] = f[x1 + q * d + j] + o1; // C = X1 + O1
        f[cf + (r + q) * d + j] = -o1;
      }
    }
    k.gemm(b.O, D, 4, p['mlp.in'], Mb, b.M, Mb, n + r, d, m, 0); // [M0; M1] = O·W1
    k.gemm(b.C, D, 4, p['mlp.in'], Mb, b.Ar, Mb, r, d, m, 0);
    const b1 = p['mlp.bias'] / 4;
    const ar = b.Ar >> 2;
    for (let q = 0; q < r; q++) for (let j = 0; j < m; j++) f[ar + q * m + j] += f[b1 + j];
    k.mix_quads(b.C, b.A, b.O, O1, b.Z, 0, r, n, d, 0); // h
    k.mix_quads(b.Ar, b.A, b.M, M1, b.hidden, b.hiddenT, r, n, m, 1); // hidden and hiddenᵀ
    k.gemm(b.hidden, Mb, 4, p['mlp.out'], D, b.Z, D, batch, m, d, 1); // z = h + hidden·W2
    // ---- output layer, a block of rows at a time ----
    const U = p.attributeVectors;
    const dU = g.attributeVectors;
    k.transpose(U, b.Ut, n, d, Np);
    f.fill(0, dU / 4, dU / 4 + n * d);
    const rb = blockRows(n, batch);
    for (let first = 0; first < batch; first += rb) {
      const rows = Math.min(rb, batch - first);
      const Zb = b.Z + first * D;
      k.gemm(Zb, D, 4, b.Ut, Np, b.L, Np, rows, d, n, 0);
      k.softmax_xent(b.L, b.targets + first * 4, b.correct + first * 4, b.stat + first * 8, rows, n, Np, 1 / batch);
      k.gemm(b.L, Np, 4, U, D, b.dZ + first * D, D, rows, n, d, 0); // dZ = dlogits·U
      k.gemm(b.L, 4, Np, Zb, D, dU, D, n, rows, d, 1); // dU += dlogitsᵀ·Z
    }
    // ---- MLP ----
    k.gemm(b.hiddenT, batch * 4, 4, b.dZ, D, g['mlp.out'], D, m, batch, d, 0); // dW2 = hiddenᵀ·dZ
    const Mp = padded(m) * 4;
    k.transpose(p['mlp.out'], b.W2t, m, d, Mp);
    k.gemm(b.dZ, D, 4, b.W2t, Mp, b.dH, Mb, batch, d, m, 0); // dhidden = dZ·W2ᵀ
    const mlpGS = b.mlp + 2 * r * Mb;
    k.relation_sums(b.dH, b.hidden, b.A, b.M, M1, b.mlp, b.mlp + r * Mb, mlpGS, 0, b.mlpDA, r, n, m);
    const [dB1, mlp] = [g['mlp.bias'] >> 2, b.mlp >> 2];
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let q = 0; q < r; q++) sum += f[mlp + q * m + j];
      f[dB1 + j] = sum;
    }
    k.gemm(b.C, 4, D, b.mlp, Mb, g['mlp.in'], Mb, d, 2 * r + n, m, 0); // dW1 = [C; −O1; O0]ᵀ·[Σ_s; gR; gS]
    // ---- the residual stream: the same sums of dz, plus the MLP's through W1ᵀ ----
    const resGR = b.res + r * D;
    const resGS = b.res + 2 * r * D; // becomes dO0, followed by dO1
    k.relation_sums(b.dZ, 0, b.A, b.O, O1, b.res, resGR, resGS, 0, b.resDA, r, n, d);
    k.transpose(p['mlp.in'], b.W1t, d, m, D);
    k.gemm(b.mlp, Mb, 4, b.W1t, D, b.res, D, 2 * r + n, m, d, 1);
    // now res = [dC; gR of the whole; dO0]; dO1 = dC − gR (O1 enters through C and through −O1)
    const [dO1, res, resG] = [(resGS + n * D) >> 2, b.res >> 2, resGR >> 2];
    for (let i = 0; i < r * d; i++) f[dO1 + i] = f[res + i] - f[resG + i];
    // ---- attention ----
    const dS1 = new Float64Array(r);
    const [resDA, mlpDA] = [b.resDA >> 2, b.mlpDA >> 2];
    for (let q = 0; q < r; q++) {
      for (let s = 0; s < n; s++) {
        const at = q * n + s;
        const aw = f[af + at];
        const ds0 = (f[resDA + at] + f[mlpDA + at]) * aw * (1 - aw) * scale;
        f[resDA + at] = ds0;
        dS1[q] -= ds0;
      }
    }
    const dS0 = b.resDA;
    k.gemm(dS0, Nb, 4, b.K, D, b.dQ, D, r, n, d, 0); // dQ = dS0·K0 + dS1·K1
    k.gemm(dS0, 4, Nb, b.Q, D, b.dK, D, n, r, d, 0); // dK0 = dS0ᵀ·Q
    for (let q = 0; q < r; q++) {
      for (let j = 0; j < d; j++) {
        f[(b.dQ >> 2) + q * d + j] += dS1[q] * f[k1 + q * d + j];
        f[(b.dK >> 2) + (n + q) * d + j] = dS1[q] * f[qf + q * d + j]; // dK1
      }
    }
    const dO = resGS; // [dO0; dO1]
    const Wt = b.Wt;
    k.transpose(p['attention.output'], Wt, d, d, D);
    k.gemm(dO, D, 4, Wt, D, b.dV, D, n + r, d, d, 0); // dV = dO·Woᵀ
    k.gemm(b.V, 4, D, dO, D, g['attention.output'], D, d, n + r, d, 0);
    k.gemm(X1, 4, D, b.dQ, D, g['attention.query'], D, d, r, d, 0);
    k.gemm(b.X, 4, D, b.dK, D, g['attention.key'], D, d, n + r, d, 0);
    k.gemm(b.X, 4, D, b.dV, D, g['attention.value'], D, d, n + r, d, 0);
    // dX = dK·Wkᵀ + dV·Wvᵀ over [E; Rel] (contiguous gradients), then dX1 += dQ·Wqᵀ + dC
    const dX = g.subjectEmbedding;
    k.transpose(p['attention.key'], Wt, d, d, D);
    k.gemm(b.dK, D, 4, Wt, D, dX, D, n + r, d, d, 0);
    k.transpose(p['attention.value'], Wt, d, d, D);
    k.gemm(b.dV, D, 4, Wt, D, dX, D, n + r, d, d, 1);
    k.transpose(p['attention.query'], Wt, d, d, D);
    k.gemm(b.dQ, D, 4, Wt, D, g.relationEmbedding, D, r, d, d, 1);
    const [dRel, dP, dx] = [g.relationEmbedding >> 2, g.positionEmbedding >> 2, dX >> 2];
    for (let i = 0; i < r * d; i++) f[dRel + i] += f[res + i];
    f.fill(0, dP, dP + 2 * d);
    for (let s = 0; s < n; s++) for (let j = 0; j < d; j++) f[dP + j] += f[dx + s * d + j];
    for (let q = 0; q < r; q++) for (let j = 0; j < d; j++) f[dP + d + j] += f[dRel + q * d + j];
    return this.outcome();
  }

  private outcome(): StepOutcome {
    const { n, r } = this.config;
    const { f, b } = this;
    const [stat, correct] = [b.stat >> 2, b.correct >> 2];
    let loss = 0;
    for (let i = 0; i < n * r; i++) loss += f[stat + 2 * i] + Math.log(f[stat + 2 * i + 1]);
    const correctByRelation: number[] = [];
    for (let q = 0; q < r; q++) {
      let hits = 0;
      for (let s = 0; s < n; s++) hits += f[correct + q * n + s];
      correctByRelation.push(hits);
    }
    return { loss: loss / (n * r), correctByRelation };
  }

  /** The optimiser (flatOptimizer.ts's, kernel for kernel) over the trained weights, in place. */
  private update(): void {
    const { optimizer, momentum, weightDecay } = this.settings;
    const { k, p, g, s1, s2 } = this;
    const bc1 = 1 - momentum ** this.t;
    const bc2 = 1 - ADAM_BETA2 ** this.t;
    for (const [name, rate] of Object.entries(this.rates) as [WeightName, number][]) {
      const decay = 1 - rate * weightDecay;
      const size = this.sizes[name];
      if (optimizer === 'adam') {
        k.adam(p[name], g[name], s1[name], s2[name], p[name], s1[name], s2[name], size, rate / bc1, Math.sqrt(bc2), momentum, ADAM_BETA2, ADAM_EPSILON, 1 - momentum, 1 - ADAM_BETA2, decay);
      } else {
        k.sgd(p[name], g[name], s1[name], p[name], s1[name], size, rate, momentum, decay, optimizer === 'sign' ? 1 : 0);
      }
    }
  }
}
