/**
 * Path-finding on the path-star graph (docs/science.md §8): given a leaf, name the first node after the
 * root on its branch. The GPT first memorizes the edges (`[EDGE] u → v`, as in train.ts), then trains on
 * `[PATH] leaf → first node` for every branch but one, with the edges kept in the batch (both tasks
 * weighing the same), and is asked
 * about the held-out branch's leaf: it can only answer from what the edges put into the embeddings.
 * Each branch is held out once (k folds, each from the same initialisation). Two arms: token embeddings
 * learned from the edges, or frozen at their random initialisation (the rest of the model still trains).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../core/model/prng';
import { directedEdges, starGraph } from './graphs';
import { recovery } from './measure';
import { cosineLr, createGraphModel, edgeToken, pathToken, type GraphModel } from './model';

export interface PathOptions {
  branches: number;
  length: number;
  seed: number;
  edgeSteps: number;
  pathSteps: number;
  d: number;
  lr: number;
  frozen: boolean;
  onProgress?: (p: { fold: number; folds: number; phase: 'edges' | 'path'; step: number; steps: number }) => void | Promise<void>;
}

export const PATH_DEFAULTS = { branches: 4, length: 4, edgeSteps: 500, pathSteps: 200, d: 32, lr: 0.01 } as const;

export interface PathFold {
  heldOutLeaf: number;
  target: number;
  predicted: number;
  correct: boolean;
  /** The trained branches' leaves answered correctly. */
  trainAccuracy: number;
  /** Edges in their top 5 after the path phase. */
  edgeTopK: number;
}

export interface PathResult {
  frozen: boolean;
  /** Held-out leaves answered correctly, over the folds. */
  heldOutAccuracy: number;
  trainAccuracy: number;
  edgeTopK: number;
  folds: PathFold[];
}

const argmaxRows = (logits: tf.Tensor2D): Int32Array => {
  const a = tf.argMax(logits, 1);
  const out = a.dataSync() as Int32Array;
  a.dispose();
  return out;
};

function answer(model: GraphModel, prefix: number, nodes: number[]): Int32Array {
  const logits = model.logits(new Int32Array(nodes.length).fill(prefix), Int32Array.from(nodes));
  const out = argmaxRows(logits);
  logits.dispose();
  return out;
}

export async function pathFinding(o: PathOptions): Promise<PathResult> {
  const g = starGraph(o.branches, o.length);
  const branches = g.branches!;
  const n = g.n;
  const pairs = directedEdges(g);
  const folds: PathFold[] = [];
  for (let h = 0; h < branches.length; h++) {
    const model = createGraphModel({ kind: 'transformer', n, d: o.d, seed: deriveSeed(o.seed, 'graph-init'), freezeEmbeddings: o.frozen });
    try {
      const edgePrefix = new Int32Array(pairs.length).fill(edgeToken(n));
      const us = Int32Array.from(pairs, ([u]) => u);
      const vs = Int32Array.from(pairs, ([, v]) => v);
      for (let s = 0; s < o.edgeSteps; s++) {
        model.step(edgePrefix, us, vs, cosineLr(s, o.edgeSteps, o.lr, o.lr / 10));
        if (s % 50 === 0) await o.onProgress?.({ fold: h, folds: branches.length, phase: 'edges', step: s, steps: o.edgeSteps });
      }
      const trained = branches.filter((_, b) => b !== h);
      const leaves = trained.map((br) => br[br.length - 1]);
      const firsts = trained.map((br) => br[0]);
      // The path examples repeated to as many rows as the edges, so both tasks weigh the same in the loss.
      const copies = Math.max(1, Math.round(pairs.length / leaves.length));
      const rep = (xs: number[]) => Array.from({ length: copies }, () => xs).flat();
      const prefix = Int32Array.from([...edgePrefix, ...rep(leaves.map(() => pathToken(n)))]);
      const inputs = Int32Array.from([...us, ...rep(leaves)]);
      const targets = Int32Array.from([...vs, ...rep(firsts)]);
      for (let s = 0; s < o.pathSteps; s++) {
        model.step(prefix, inputs, targets, cosineLr(s, o.pathSteps, o.lr, o.lr / 10));
        if (s % 50 === 0) await o.onProgress?.({ fold: h, folds: branches.length, phase: 'path', step: s, steps: o.pathSteps });
      }
      const heldOut = branches[h];
      const predicted = answer(model, pathToken(n), [heldOut[heldOut.length - 1]])[0];
      const trainAnswers = answer(model, pathToken(n), leaves);
      const nodeLogits = model.logits(new Int32Array(n).fill(edgeToken(n)), Int32Array.from({ length: n }, (_, i) => i));
      const scores = nodeLogits.dataSync();
      nodeLogits.dispose();
      folds.push({
        heldOutLeaf: heldOut[heldOut.length - 1],
        target: heldOut[0],
        predicted,
        correct: predicted === heldOut[0],
        trainAccuracy: firsts.filter((f, i) => trainAnswers[i] === f).length / firsts.length,
        edgeTopK: recovery(scores, model.vocab, g, 5).topK,
      });
    } finally {
      model.dispose();
    }
  }
  const mean = (f: (x: PathFold) => number) => folds.reduce((s, x) => s + f(x), 0) / folds.length;
  return { frozen: o.frozen, heldOutAccuracy: mean((f) => (f.correct ? 1 : 0)), trainAccuracy: mean((f) => f.trainAccuracy), edgeTopK: mean((f) => f.edgeTopK), folds };
}
