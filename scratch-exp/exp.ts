// Scratch experiment: which training choices make GD find the geometric structure. DELETE after use.
import * as tf from '@tensorflow/tfjs';
import { startBackend } from '../src/cli/nodeIo';
import { makeFacts } from '../src/core/facts';
import { initialWeights, modelFromArrays, disposeModel, readWeights, forwardLogits, type WeightName, WEIGHT_NAMES } from '../src/core/model';
import { Trainer, decodeStats } from '../src/core/train';
import { probesFromWeights, superpositionFromWeights, measureGating, measureKnockout, subjectSplit, symmetricEigen } from '../src/core/measure';

interface Cfg {
  name: string;
  n: number; r: number; d: number; m: number; lr: number; seed: number;
  subj: number; rel: number; attr: number; // init scale multipliers
  wd: number; wdOn: 'none' | 'subj' | 'emb' | 'all';
  freezeAttr?: boolean;
  checkpoints: number[]; // extra steps after 100% at which to measure
  maxSteps: number;
}

const defaults: Cfg = {
  name: 'base', n: 128, r: 4, d: 24, m: 256, lr: 0.01, seed: 1,
  subj: 1, rel: 1, attr: 1, wd: 0, wdOn: 'none', checkpoints: [300], maxSteps: 3000,
};


function solve(a: Float64Array, b: Float64Array, p: number, q: number): Float64Array {
  // Gaussian elimination with partial pivoting, a p×p, b p×q (copies)
  const A = Float64Array.from(a), B = Float64Array.from(b);
  for (let c = 0; c < p; c++) {
    let piv = c; for (let i = c + 1; i < p; i++) if (Math.abs(A[i * p + c]) > Math.abs(A[piv * p + c])) piv = i;
    if (piv !== c) { for (let j = 0; j < p; j++) { const t = A[c * p + j]; A[c * p + j] = A[piv * p + j]; A[piv * p + j] = t; } for (let j = 0; j < q; j++) { const t = B[c * q + j]; B[c * q + j] = B[piv * q + j]; B[piv * q + j] = t; } }
    const d = A[c * p + c];
    for (let i = 0; i < p; i++) if (i !== c) { const f = A[i * p + c] / d; if (f === 0) continue; for (let j = c; j < p; j++) A[i * p + j] -= f * A[c * p + j]; for (let j = 0; j < q; j++) B[i * q + j] -= f * B[c * q + j]; }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) B[i * q + j] /= A[i * p + i];
  return B;
}
function extraDiag(w: Awaited<ReturnType<typeof readWeights>>, facts: ReturnType<typeof makeFacts>, split: ReturnType<typeof subjectSplit>, probeMaps: Float64Array[], supMaps: Float64Array) {
  const n = facts.n, r = facts.r, d = w.subjectEmbedding.length / n;
  const E = w.subjectEmbedding, U = w.attributeVectors;
  const un = new Float64Array(n); for (let a = 0; a < n; a++) { let s = 0; for (let j = 0; j < d; j++) s += U[a * d + j] ** 2; un[a] = Math.sqrt(s) || 1; }
  // any-relation probe accuracy (held-out)
  let any = 0, tot = 0;
  for (const s of split.heldOut) for (let rel = 0; rel < r; rel++) {
    const W = probeMaps[rel]; const pred = new Float64Array(d);
    for (let i = 0; i < d; i++) { const x = E[s * d + i]; for (let j = 0; j < d; j++) pred[j] += x * W[i * d + j]; }
    let best = -Infinity, arg = -1;
    for (let a = 0; a < n; a++) { let c = 0; for (let j = 0; j < d; j++) c += pred[j] * U[a * d + j]; c /= un[a]; if (c > best) { best = c; arg = a; } }
    tot++; for (let r2 = 0; r2 < r; r2++) if (facts.permutations[r2][s] === arg) { any++; break; }
  }
  // shared-map superposition: e_s ≈ (Σ_r u_{π_r(s)}) A
  const feat = (s: number) => { const f = new Float64Array(d); for (let rel = 0; rel < r; rel++) { const a = facts.permutations[rel][s]; for (let j = 0; j < d; j++) f[j] += U[a * d + j]; } return f; };
  const G = new Float64Array(d * d), C = new Float64Array(d * d);
  for (const s of split.train) { const f = feat(s); for (let i = 0; i < d; i++) { for (let j = 0; j < d; j++) { G[i * d + j] += f[i] * f[j]; C[i * d + j] += f[i] * E[s * d + j]; } } }
  let tr = 0; for (let i = 0; i < d; i++) tr += G[i * d + i]; for (let i = 0; i < d; i++) G[i * d + i] += 1e-3 * tr / d;
  const A = solve(G, C, d, d);
  const mean = new Float64Array(d); for (const s of split.heldOut) for (let j = 0; j < d; j++) mean[j] += E[s * d + j] / split.heldOut.length;
  let res = 0, totv = 0;
  for (const s of split.heldOut) { const f = feat(s); for (let j = 0; j < d; j++) { let p = 0; for (let i = 0; i < d; i++) p += f[i] * A[i * d + j]; res += (E[s * d + j] - p) ** 2; totv += (E[s * d + j] - mean[j]) ** 2; } }
  // pairwise cosine of the A_r blocks of the free fit
  let simSum = 0, simN = 0;
  const blk = (rel: number) => supMaps.subarray(rel * d * d, (rel + 1) * d * d);
  for (let a = 0; a < r; a++) for (let b = a + 1; b < r; b++) { const x = blk(a), y = blk(b); let xy = 0, xx = 0, yy = 0; for (let i = 0; i < d * d; i++) { xy += x[i] * y[i]; xx += x[i] ** 2; yy += y[i] ** 2; } simSum += xy / Math.sqrt(xx * yy); simN++; }
  // effective rank (participation ratio) of U and of E
  const pr = (M: Float32Array) => { const g = new Float64Array(d * d); for (let a = 0; a < n; a++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g[i * d + j] += M[a * d + i] * M[a * d + j]; const { values } = symmetricEigen(g, d); let s1 = 0, s2 = 0; for (const v of values) { s1 += Math.max(0, v); s2 += Math.max(0, v) ** 2; } return s1 * s1 / s2; };
  return { anyRel: +(any / tot).toFixed(2), sharedR2: +(1 - res / totv).toFixed(3), mapCos: +(simSum / simN).toFixed(2), prU: +pr(U).toFixed(1), prE: +pr(E).toFixed(1) };
}

async function measure(model: ReturnType<typeof modelFromArrays>, facts: ReturnType<typeof makeFacts>, seed: number, knock: boolean) {
  const split = subjectSplit(facts.n, seed);
  const w = await readWeights(model);
  const probe = await probesFromWeights(w, facts, split);
  const sup = superpositionFromWeights(w, facts, split);
  const gating = await measureGating(model, facts);
  let ko: { diag: number; off: number } | null = null;
  if (knock) {
    const k = await measureKnockout(model, facts, gating);
    let dsum = 0, osum = 0, dn = 0, on = 0;
    for (let i = 0; i < facts.r; i++) for (let j = 0; j < facts.r; j++) {
      if (i === j) { dsum += k.accuracy[i][j]; dn++; } else { osum += k.accuracy[i][j]; on++; }
    }
    ko = { diag: dsum / dn, off: osum / on };
  }
  const x = extraDiag(w, facts, split, probe.maps, sup.maps);
  const probe01 = await probesFromWeights(w, facts, split, { ridge: 0.1 });
  const p01 = +(probe01.heldOutAccuracy.reduce((a, b) => a + b, 0) / facts.r).toFixed(3);
  // zero-shot transfer: new bijections, e'_s = Σ_r u_{π'_r(s)} A_r, everything else frozen
  const nf = makeFacts(facts.n, facts.r, seed + 1000);
  const d = w.subjectEmbedding.length / facts.n;
  const ne = new Float32Array(facts.n * d);
  for (let s = 0; s < facts.n; s++) for (let rel = 0; rel < facts.r; rel++) {
    const a = nf.permutations[rel][s];
    for (let i = 0; i < d; i++) { const ui = w.attributeVectors[a * d + i]; if (ui === 0) continue; for (let j = 0; j < d; j++) ne[s * d + j] += ui * sup.maps[(rel * d + i) * d + j]; }
  }
  const m2 = modelFromArrays(model.config, { ...w, subjectEmbedding: ne });
  let hit = 0;
  const arrs = (await import('../src/core/facts')).factArrays(nf);
  const hv = tf.tidy(() => tf.cast(tf.equal(tf.argMax(forwardLogits(m2, tf.tensor1d(arrs.subjects, 'int32'), tf.tensor2d(arrs.relations, [arrs.relations.length, 1], 'int32')), 1), tf.tensor1d(arrs.targets, 'int32')), 'float32').sum());
  hit = (await hv.data())[0]; hv.dispose(); disposeModel(m2);
  const transfer = +(hit / arrs.targets.length).toFixed(3);
  let en = 0; for (const v of w.subjectEmbedding) en += v * v; en = Math.sqrt(en / facts.n);
  let un = 0; for (const v of w.attributeVectors) un += v * v; un = Math.sqrt(un / facts.n);
  const dead = Array.from(gating.preferred).filter((p) => p < 0).length;
  return {
    probe: probe.heldOutAccuracy.map((a) => +a.toFixed(2)),
    probeMean: +(probe.heldOutAccuracy.reduce((a, b) => a + b, 0) / facts.r).toFixed(3),
    probeTrain: +(probe.trainAccuracy.reduce((a, b) => a + b, 0) / facts.r).toFixed(3),
    r2: +sup.heldOutR2.toFixed(3),
    r2train: +sup.trainR2.toFixed(3),
    sel: +gating.meanSelectivity.toFixed(3),
    dead, ...x, p01, transfer,
    ko,
    eNorm: +en.toFixed(3), uNorm: +un.toFixed(3),
  };
}

async function run(c: Cfg, knock: boolean) {
  const t0 = performance.now();
  const config = { n: c.n, r: c.r, d: c.d, m: c.m, heads: 1, seqLen: 2 };
  const arr = initialWeights(config, c.seed);
  const mul = (name: WeightName, s: number) => { if (s !== 1) for (let i = 0; i < arr[name].length; i++) arr[name][i] *= s; };
  mul('subjectEmbedding', c.subj); mul('relationEmbedding', c.rel); mul('attributeVectors', c.attr);
  const model = modelFromArrays(config, arr);
  const facts = makeFacts(c.n, c.r, c.seed);
  const trainer = new Trainer(model, facts, { lr: c.lr, freezeAttributes: !!c.freezeAttr });
  let decayVars: tf.Variable[] = [];
  if (c.wdOn === 'subj') decayVars = [model.weights.subjectEmbedding];
  else if (c.wdOn === 'emb') decayVars = [model.weights.subjectEmbedding, model.weights.relationEmbedding, model.weights.attributeVectors];
  else if (c.wdOn === 'all') decayVars = WEIGHT_NAMES.filter((n) => n !== 'mlp.bias').map((n) => model.weights[n]);
  const factor = 1 - c.lr * c.wd;
  let stepsTo100: number | null = null;
  const results: Record<string, unknown> = {};
  const cps = [...c.checkpoints].sort((a, b) => a - b);
  let lastAcc = 0, lastLoss = NaN;
  while (trainer.stepsDone < c.maxSteps) {
    const pend: tf.Tensor1D[] = [];
    const start = trainer.stepsDone;
    for (let i = 0; i < 10; i++) {
      pend.push(trainer.step());
      if (decayVars.length && c.wd > 0) tf.tidy(() => { for (const v of decayVars) v.assign(v.mul(factor)); });
    }
    const st = tf.stack(pend); const vals = await st.data(); st.dispose(); pend.forEach((p) => p.dispose());
    const width = 1 + 2 * c.r;
    for (let i = 0; i < 10; i++) {
      const s = decodeStats(start + i, vals.subarray(i * width, (i + 1) * width), c.r);
      lastAcc = s.accuracyByRelation.reduce((a, b) => a + b, 0) / c.r; lastLoss = s.loss;
      if (stepsTo100 === null && s.accuracyByRelation.every((a) => a === 1)) stepsTo100 = s.step;
    }
    if (!Number.isFinite(lastLoss)) break;
    if (stepsTo100 !== null) {
      while (cps.length && trainer.stepsDone >= stepsTo100 + cps[0]) {
        const cp = cps.shift()!;
        results[`+${cp}`] = { ...(await measure(model, facts, c.seed, knock)), acc: +lastAcc.toFixed(3), loss: +lastLoss.toExponential(2) };
      }
      if (!cps.length) break;
    }
  }
  if (stepsTo100 === null) results['end'] = { ...(await measure(model, facts, c.seed, knock)), acc: +lastAcc.toFixed(3), loss: lastLoss };
  trainer.dispose(); disposeModel(model);
  const out = { name: c.name, seed: c.seed, stepsTo100, steps: trainer.stepsDone, secs: +((performance.now() - t0) / 1000).toFixed(1), results };
  console.log(JSON.stringify(out));
}

async function main() {
  await startBackend('wasm');
  const list = JSON.parse(process.argv[2]) as Partial<Cfg>[];
  const knock = process.argv[3] === 'ko';
  for (const p of list) await run({ ...defaults, ...p }, knock);
}
main();
