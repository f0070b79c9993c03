/**
 * Node2Vec, small (docs/science.md §8: their control, tied, d = 100): uniform random walks (node2vec
 * with p = q = 1) and skip-gram with negative sampling on one tied embedding table, so a node's score
 * for a neighbour is e_u · e_v. Plain float64 JS (no tfjs): n ≤ 64 nodes, d = 100. Seeded: the walks,
 * the negatives and the initial table come from makeRng(seed).
 */
import { makeRng } from '../../core/model/prng';
import { neighbours, type Graph } from './graphs';

export interface Node2VecOptions {
  d: number;
  seed: number;
  walksPerNode: number;
  walkLength: number;
  window: number;
  negatives: number;
  /** SGD step size at the first epoch, decayed linearly to a tenth of it at the last. */
  lr: number;
}

export const NODE2VEC_DEFAULTS: Omit<Node2VecOptions, 'seed'> = { d: 100, walksPerNode: 10, walkLength: 8, window: 2, negatives: 3, lr: 0.025 };

export interface Node2Vec {
  d: number;
  /** One epoch: every node starts `walksPerNode` walks; returns the mean skip-gram loss. */
  epoch(index: number, total: number): number;
  /** n×n scores e_u · e_v, row-major. */
  scores(): Float64Array;
  embeddings(): Float64Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function createNode2Vec(g: Graph, o: Node2VecOptions): Node2Vec {
  const { n } = g;
  const { d } = o;
  const rng = makeRng(o.seed);
  const nb = neighbours(g);
  // word2vec-sized start: small random vectors, so the first updates are not dominated by the init.
  const e = new Float64Array(n * d).map(() => rng.normal() * 0.1);
  const dot = (u: number, v: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += e[u * d + k] * e[v * d + k];
    return s;
  };
  /** One SGD step on log σ(±e_u·e_c) for both (tied) rows; returns its loss. */
  const pairStep = (u: number, c: number, label: 0 | 1, lr: number) => {
    const p = sigmoid(dot(u, c));
    const grad = (label - p) * lr;
    for (let k = 0; k < d; k++) {
      const eu = e[u * d + k];
      e[u * d + k] += grad * e[c * d + k];
      e[c * d + k] += grad * eu;
    }
    return -Math.log(Math.max(label ? p : 1 - p, 1e-12));
  };
  return {
    d,
    epoch(index, total) {
      const lr = o.lr * (1 - (0.9 * index) / Math.max(1, total - 1));
      let loss = 0;
      let pairs = 0;
      for (let start = 0; start < n; start++) {
        if (nb[start].length === 0) continue;
        for (let w = 0; w < o.walksPerNode; w++) {
          const walk = [start];
          while (walk.length < o.walkLength) {
            const here = nb[walk[walk.length - 1]];
            walk.push(here[rng.int(here.length)]);
          }
          for (let i = 0; i < walk.length; i++) {
            for (let j = Math.max(0, i - o.window); j <= Math.min(walk.length - 1, i + o.window); j++) {
              if (j === i || walk[j] === walk[i]) continue;
              loss += pairStep(walk[i], walk[j], 1, lr);
              pairs++;
              for (let k = 0; k < o.negatives; k++) {
                const neg = rng.int(n);
                if (neg === walk[i]) continue;
                loss += pairStep(walk[i], neg, 0, lr);
                pairs++;
              }
            }
          }
        }
      }
      return pairs ? loss / pairs : 0;
    },
    scores() {
      const s = new Float64Array(n * n);
      for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) s[u * n + v] = dot(u, v);
      return s;
    },
    embeddings: () => e.slice(),
  };
}
