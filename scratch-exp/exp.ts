// Scratch experiment: which training choices make GD find the geometric structure. DELETE after use.
import * as tf from '@tensorflow/tfjs';
import { startBackend } from '../src/cli/nodeIo';
import { makeFacts } from '../src/core/facts';
import { initialWeights, modelFromArrays, disposeModel, readWeights, type WeightName, WEIGHT_NAMES } from '../src/core/model';
import { Trainer, decodeStats } from '../src/core/train';
import { probesFromWeights, superpositionFromWeights, measureGating, measureKnockout, subjectSplit } from '../src/core/measure';

interface Cfg {
  name: string;
  n: number; r: number; d: number; m: number; lr: number; seed: number;
  subj: number; rel: number; attr: number; // init scale multipliers
  wd: number; wdOn: 'none' | 'subj' | 'emb' | 'all';
  checkpoints: number[]; // extra steps after 100% at which to measure
  maxSteps: number;
}

const defaults: Cfg = {
  name: 'base', n: 128, r: 4, d: 24, m: 256, lr: 0.01, seed: 1,
  subj: 1, rel: 1, attr: 1, wd: 0, wdOn: 'none', checkpoints: [300], maxSteps: 3000,
};

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
    dead,
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
  const trainer = new Trainer(model, facts, { lr: c.lr });
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
