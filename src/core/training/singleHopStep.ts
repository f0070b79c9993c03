/**
 * The full-batch single-hop training step with hand-written gradients: the same model and the same
 * loss as `forwardLogits` + tfjs autodiff, computed with about a third of the work.
 *
 * Why it is faster: a full batch holds every (r, s) pair, and in the sequence [s, r] everything but
 * the attention weight depends on s alone or on r alone. So keys, values and their projections are
 * computed per subject [N, d] and per relation [R, d] instead of per fact [N·R, d], the MLP's input
 * layer is split the same way (pre = C_r·W1 + b1 + a_rs·(V0_s − V1_r)·W1, no [N·R, d]×[d, m]
 * product forward or backward), and every large product is arranged so that no large matrix is
 * transposed (a slow kernel on wasm, FINDINGS.md). What remains large: the MLP's output layer, the
 * logits, and their gradients.
 *
 * Notation (row vectors, as in model.ts): x0_s = E_s + P_0, x1_r = Rel_r + P_1;
 * q_r = x1_r Wq, k0_s = x0_s Wk, k1_r = x1_r Wk, v0_s = x0_s Wv, v1_r = x1_r Wv;
 * a_rs = softmax weight of position 0 = sigmoid((q_r·k0_s − q_r·k1_r)/√d);
 * h_rs = x1_r + (a_rs v0_s + (1 − a_rs) v1_r) Wo = C_r + a_rs (O0_s − O1_r), with O = V·Wo and
 * C_r = x1_r + O1_r; pre_rs = h_rs W1 + b1; z_rs = h_rs + relu(pre_rs) W2; logits_rs = z_rs Uᵀ.
 * Facts are relation-major (index r·N + s), so [N·R, ·] tensors reshape to [R, N, ·].
 */
import * as tf from '@tensorflow/tfjs';
import { fusedCrossEntropy, fusedKernelsActive, mixRows, relationSums } from './fusedKernels';
import type { Model, WeightName } from '../model/model';

export interface SingleHopTargets {
  /** [N·R] int32: the attribute of each fact, relation-major. */
  targets: tf.Tensor1D;
  /** [N·R] int32: row·N + target, to pick each fact's own logit from the flattened logits. */
  pickIndex: tf.Tensor1D;
  /** [N·R] int32: row·N, the offset of each row in the flattened logits. */
  rowOffset: tf.Tensor1D;
}

export function disposeSingleHopTargets(t: SingleHopTargets): void {
  tf.dispose([t.targets, t.pickIndex, t.rowOffset]);
}

export function singleHopTargets(targets: Int32Array, n: number): SingleHopTargets {
  const pick = new Int32Array(targets.length);
  const offset = new Int32Array(targets.length);
  for (let i = 0; i < targets.length; i++) {
    offset[i] = i * n;
    pick[i] = i * n + targets[i];
  }
  return { targets: tf.tensor1d(targets, 'int32'), pickIndex: tf.tensor1d(pick, 'int32'), rowOffset: tf.tensor1d(offset, 'int32') };
}

/** Whether the fast path computes exactly this model's loss: one head, sequences [s, r]. */
export function singleHopApplies(model: Model): boolean {
  return model.config.heads === 1 && model.config.seqLen === 2;
}

export interface SingleHopResult {
  loss: tf.Scalar;
  /** [N·R] 1 where the argmax is the target. */
  correct: tf.Tensor1D;
  grads: Record<WeightName, tf.Tensor>;
}

const t = (x: tf.Tensor2D) => tf.transpose(x) as tf.Tensor2D;
const mm = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.matMul(a, b) as tf.Tensor2D;

/** Above this many cells the logits are computed a few relations at a time, to bound memory. */
export const LOGIT_BLOCK_CELLS = 2 ** 24;

interface OutputGradients {
  /** Σ over the facts of the cross-entropy (not yet divided by the batch). */
  lossSum: tf.Scalar;
  correct: tf.Tensor1D;
  /** Gradients of the mean loss over all N·R facts. */
  dZ: tf.Tensor2D;
  dU: tf.Tensor2D;
}

/**
 * Logits z·Uᵀ, cross-entropy and its gradients for rows [first, first + rows) of the batch.
 * The softmax kernel is far faster than exp on wasm (XNNPACK), and the log-sum-exp comes from it
 * too: at the argmax p = 1/Σexp(l − max), so lse = max − log p_max, and p_max ≥ 1/N cannot underflow.
 */
function outputBlock(Z: tf.Tensor2D, U: tf.Tensor2D, targets: SingleHopTargets, first: number, rows: number, batch: number): OutputGradients {
  const n = U.shape[0];
  const whole = first === 0 && rows === Z.shape[0];
  const Zb = whole ? Z : (tf.slice(Z, [first, 0], [rows, Z.shape[1]]) as tf.Tensor2D);
  const tgt = whole ? targets.targets : tf.slice(targets.targets, [first], [rows]);
  const logits = mm(Zb, t(U)); // [rows, N]
  const probs = tf.softmax(logits);
  if (fusedKernelsActive(n)) {
    // One pass gives the loss, the hits and dlogits both ways round, so dU = dlogitsᵀ·Z is a plain
    // product whose right operand is small.
    const out = fusedCrossEntropy(logits, probs, tgt as tf.Tensor1D, 1 / batch);
    return { lossSum: out.lossSum, correct: out.correct, dZ: mm(out.dLogits, U), dU: mm(out.dLogitsT, Zb) };
  }
  const pick = whole ? targets.pickIndex : tf.sub(tf.slice(targets.pickIndex, [first], [rows]), tf.scalar(first * n, 'int32'));
  const offset = whole ? targets.rowOffset : tf.sub(tf.slice(targets.rowOffset, [first], [rows]), tf.scalar(first * n, 'int32'));
  const flat = logits.reshape([-1]);
  const argMax = tf.argMax(logits, 1);
  const atMax = tf.add(argMax, offset);
  const rowMax = tf.gather(flat, atMax);
  const pMax = tf.gather(probs.reshape([-1]), atMax);
  const lossSum = tf.sum(tf.sub(tf.sub(rowMax, tf.log(pMax)), tf.gather(flat, pick))) as tf.Scalar;
  const correct = tf.cast(tf.equal(argMax, tgt), 'float32') as tf.Tensor1D;
  // dlogits = (softmax − onehot)/B. (tfjs-backend-wasm 4.22's OneHot writes integer bits when asked
  // for float32, so the int32 one-hot is cast.)
  const dLogits = tf.sub(probs, tf.cast(tf.oneHot(tgt, n), 'float32')).mul(1 / batch) as tf.Tensor2D;
  const dU = t(mm(t(Zb), dLogits)); // [N, d]: (Zᵀ dL)ᵀ transposes only [rows, d] and [d, N]
  const dZ = mm(dLogits, U); // [rows, d]
  return { lossSum, correct, dZ, dU };
}

/** The output layer over the whole batch, in blocks of whole relations when the logits are large. */
function outputLayer(Z: tf.Tensor2D, U: tf.Tensor2D, targets: SingleHopTargets, n: number, r: number, blockCells: number): OutputGradients {
  const batch = n * r;
  const perBlock = Math.max(1, Math.floor(blockCells / (n * n)));
  if (perBlock >= r) return outputBlock(Z, U, targets, 0, batch, batch);
  const parts: OutputGradients[] = [];
  for (let first = 0; first < r; first += perBlock) {
    const count = Math.min(perBlock, r - first);
    // Each block in its own scope, so its [rows, N] temporaries are freed before the next one.
    parts.push(tf.tidy(() => outputBlock(Z, U, targets, first * n, count * n, batch) as unknown as tf.TensorContainer) as unknown as OutputGradients);
  }
  return {
    lossSum: tf.addN(parts.map((p) => p.lossSum)) as tf.Scalar,
    correct: tf.concat(parts.map((p) => p.correct)) as tf.Tensor1D,
    dZ: tf.concat(parts.map((p) => p.dZ)) as tf.Tensor2D,
    dU: tf.addN(parts.map((p) => p.dU)) as tf.Tensor2D,
  };
}

/**
 * Loss, per-fact correctness and the gradient of the mean cross-entropy for every weight, over the
 * full batch of N·R facts. Call inside tf.tidy (or dispose what it returns); uses `tf` ops only, so
 * it runs on every backend.
 */
export function singleHopLossAndGradients(model: Model, targets: SingleHopTargets, blockCells = LOGIT_BLOCK_CELLS): SingleHopResult {
  const { n, r, d, m } = model.config;
  const w = model.weights;
  const batch = n * r;
  const E = w.subjectEmbedding as tf.Tensor2D;
  const Rel = w.relationEmbedding as tf.Tensor2D;
  const P = w.positionEmbedding as tf.Tensor2D;
  const Wq = w['attention.query'] as tf.Tensor2D;
  const Wk = w['attention.key'] as tf.Tensor2D;
  const Wv = w['attention.value'] as tf.Tensor2D;
  const Wo = w['attention.output'] as tf.Tensor2D;
  const W1 = w['mlp.in'] as tf.Tensor2D;
  const b1 = w['mlp.bias'] as tf.Tensor1D;
  const W2 = w['mlp.out'] as tf.Tensor2D;
  const U = w.attributeVectors as tf.Tensor2D;
  const scale = 1 / Math.sqrt(d);

  // ---- forward ----
  const [P0, P1] = tf.split(P, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
  const X0 = tf.add(E, P0) as tf.Tensor2D; // [N, d]
  const X1 = tf.add(Rel, P1) as tf.Tensor2D; // [R, d]
  const Q = mm(X1, Wq);
  const K0 = mm(X0, Wk);
  const K1 = mm(X1, Wk);
  // Subject rows (·0, [N, ·]) and relation rows (·1, [R, ·]) stacked where a product treats them alike.
  const X = tf.concat([X0, X1]) as tf.Tensor2D; // [N+R, d]
  const V = mm(X, Wv); // [V0; V1]
  const S0 = mm(Q, t(K0)).mul(scale) as tf.Tensor2D; // [R, N]
  const S1 = tf.sum(tf.mul(Q, K1), 1, true).mul(scale) as tf.Tensor2D; // [R, 1]
  const A = tf.sigmoid(tf.sub(S0, S1)) as tf.Tensor2D; // [R, N] weight of position 0
  const [O0, O1] = tf.split(mm(V, Wo), [n, r]) as [tf.Tensor2D, tf.Tensor2D]; // [N, d], [R, d]
  const C = tf.add(X1, O1) as tf.Tensor2D; // [R, d]
  const M0 = mm(O0, W1); // [N, m]
  const M1 = mm(O1, W1); // [R, m]
  const Ar = tf.add(mm(C, W1), b1) as tf.Tensor2D; // [R, m]
  // The [R, N, ·] elementwise work and its sums: one SIMD pass each on wasm (fusedKernels.ts), tf ops
  // elsewhere. h_rs = C_r + a_rs·(O0_s − O1_r); hidden = relu(Ar_r + a_rs·(M0_s − M1_r)), with hiddenᵀ
  // from the fused kernel, so that dW2 = hiddenᵀ·dZ is a plain product with a small right operand.
  const Hflat = mixRows(C, A, O0, O1, { relu: false, transposed: false }).out;
  const { out: hidden, outT: hiddenT } = mixRows(Ar, A, M0, M1, { relu: true, transposed: true });
  const Z = tf.add(Hflat, mm(hidden, W2)) as tf.Tensor2D; // [B, d]
  const out = outputLayer(Z, U, targets, n, r, blockCells);
  const loss = out.lossSum.div(batch) as tf.Scalar;
  const correct = out.correct;
  const dU = out.dU;
  const dZ = out.dZ;
  const dW2 = hiddenT ? mm(hiddenT, dZ) : t(mm(t(dZ), hidden)); // [m, d]
  const dHidden = mm(dZ, t(W2)); // [B, m]
  // The input layer's gradient needs only these sums of dpre = dHidden·relu'(pre) (never dpre itself):
  // Σ_s dpre [R, m], gR = Σ_s a·dpre [R, m], gS = Σ_r a·dpre [N, m], and Σ_j dpre·(M0 − M1) [R, N].
  const mlp = relationSums(dHidden, A, M0, M1, { hidden, transposed: true });
  const onesR = tf.ones([1, r]) as tf.Tensor2D;
  const dB1 = mm(onesR, mlp.byRelation).reshape([m]);
  // O0ᵀ·gS as (gSᵀ·O0)ᵀ where gSᵀ is at hand: the right operand is then [N, d], not [N, m].
  const viaSubjects = mlp.gST ? t(mm(mlp.gST, O0)) : mm(t(O0), mlp.gS);
  const dW1 = tf.add(tf.add(mm(t(C), mlp.byRelation), viaSubjects), tf.neg(mm(t(O1), mlp.gR))); // [d, m]
  // The same sums of dZ (h enters z directly, and dh = dZ).
  const res = relationSums(dZ, A, O0, O1, { transposed: false });
  const W1t = t(W1); // [m, d]
  const dC = tf.add(res.byRelation, mm(mlp.byRelation, W1t)); // [R, d]
  const dO0 = tf.add(res.gS, mm(mlp.gS, W1t)) as tf.Tensor2D; // [N, d]
  const dO1 = tf.sub(dC, tf.add(res.gR, mm(mlp.gR, W1t))) as tf.Tensor2D; // [R, d]: via C and via −O1 in h and pre
  const dA = tf.add(res.dA, mlp.dA); // [R, N]

  const dS0 = tf.mul(dA, tf.mul(A, tf.sub(1, A))).mul(scale) as tf.Tensor2D; // scaled: dScore·(1/√d)
  const dS1 = tf.neg(tf.sum(dS0, 1, true)); // [R, 1]
  const dQ = tf.add(mm(dS0, K0), tf.mul(dS1, K1)) as tf.Tensor2D; // [R, d]
  const dK0 = mm(t(dS0), Q); // [N, d]
  const dK1 = tf.mul(dS1, Q) as tf.Tensor2D; // [R, d]
  // Stacked, each weight's gradient is one product: dWk = [X0; X1]ᵀ·[dK0; dK1], and so on (a third
  // fewer kernels than row by row).
  const Xt = t(X);
  const dK = tf.concat([dK0, dK1]) as tf.Tensor2D;
  const dO = tf.concat([dO0, dO1]) as tf.Tensor2D;
  const dV = mm(dO, t(Wo)); // [N+R, d]
  const dWo = mm(t(V), dO);
  const dWq = mm(t(X1), dQ);
  const dWk = mm(Xt, dK);
  const dWv = mm(Xt, dV);
  const dX = tf.add(mm(dK, t(Wk)), mm(dV, t(Wv))) as tf.Tensor2D; // [N+R, d]
  const [dX0, dXr] = tf.split(dX, [n, r]) as [tf.Tensor2D, tf.Tensor2D];
  const dX1 = tf.addN([dXr, mm(dQ, t(Wq)), dC]) as tf.Tensor2D; // [R, d]
  const dP = tf.concat([mm(tf.ones([1, n]) as tf.Tensor2D, dX0), mm(onesR, dX1)], 0);

  return {
    loss,
    correct,
    grads: {
      subjectEmbedding: dX0,
      relationEmbedding: dX1,
      positionEmbedding: dP,
      'attention.query': dWq,
      'attention.key': dWk,
      'attention.value': dWv,
      'attention.output': dWo,
      'mlp.in': dW1,
      'mlp.bias': dB1,
      'mlp.out': dW2,
      attributeVectors: dU,
    },
  };
}
