/**
 * The tiny graphs of the geometric-memory experiments (docs/science.md §8, after the public code of
 * Noroozizadeh et al.): path-star, cycle, grid and their fixed irregular graph. Nodes are 0..n-1;
 * edges are undirected pairs [u, v] with u < v, listed once. No tfjs, no DOM.
 */

export type GraphKind = 'star' | 'cycle' | 'grid' | 'irregular';
export const GRAPH_KINDS: readonly GraphKind[] = ['cycle', 'grid', 'star', 'irregular'];

export interface Graph {
  kind: GraphKind;
  /** A short name with its sizes, e.g. "cycle-15", "grid-4x4", "star-4x4". */
  name: string;
  n: number;
  edges: [number, number][];
  /** Grid only: each node's (column, row). */
  coords?: [number, number][];
  /** Path-star only: the root and each branch's nodes from the root outwards (root excluded). */
  root?: number;
  branches?: number[][];
}

/** The sizes each family accepts (a browser-sized model: at most 64 nodes). */
export const GRAPH_LIMITS = {
  cycleNodes: { min: 3, max: 64 },
  gridSide: { min: 2, max: 8 },
  starBranches: { min: 2, max: 8 },
  starLength: { min: 1, max: 8 },
} as const;

/** The sizes of their tiny-graph runs: a cycle of 15, a 4×4 grid, a root with 4 branches of 4 nodes (17 nodes). */
export const DEFAULT_SIZES = { cycleNodes: 15, gridRows: 4, gridCols: 4, starBranches: 4, starLength: 4 } as const;

function checkInt(what: string, x: number, lim: { min: number; max: number }): void {
  if (!Number.isInteger(x) || x < lim.min || x > lim.max) throw new Error(`graph: ${what} must be an integer from ${lim.min} to ${lim.max}; got ${x}`);
}

const pair = (u: number, v: number): [number, number] => (u < v ? [u, v] : [v, u]);

export function cycleGraph(n: number = DEFAULT_SIZES.cycleNodes): Graph {
  checkInt('the cycle’s node count', n, GRAPH_LIMITS.cycleNodes);
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) edges.push(pair(i, (i + 1) % n));
  return { kind: 'cycle', name: `cycle-${n}`, n, edges };
}

/** A rows×cols grid, nodes in row-major order (as their code relabels it). */
export function gridGraph(rows: number = DEFAULT_SIZES.gridRows, cols: number = DEFAULT_SIZES.gridCols): Graph {
  checkInt('the grid’s rows', rows, GRAPH_LIMITS.gridSide);
  checkInt('the grid’s columns', cols, GRAPH_LIMITS.gridSide);
  const edges: [number, number][] = [];
  const coords: [number, number][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      coords.push([c, r]);
      if (c + 1 < cols) edges.push([i, i + 1]);
      if (r + 1 < rows) edges.push([i, i + cols]);
    }
  }
  return { kind: 'grid', name: `grid-${rows}x${cols}`, n: rows * cols, edges, coords };
}

/** Root 0 with `branches` paths of `length` nodes each, numbered branch by branch outwards. */
export function starGraph(branches: number = DEFAULT_SIZES.starBranches, length: number = DEFAULT_SIZES.starLength): Graph {
  checkInt('the star’s branch count', branches, GRAPH_LIMITS.starBranches);
  checkInt('the star’s branch length', length, GRAPH_LIMITS.starLength);
  const edges: [number, number][] = [];
  const list: number[][] = [];
  let next = 1;
  for (let b = 0; b < branches; b++) {
    const nodes: number[] = [];
    let prev = 0;
    for (let j = 0; j < length; j++) {
      edges.push(pair(prev, next));
      nodes.push(next);
      prev = next++;
    }
    list.push(nodes);
  }
  return { kind: 'star', name: `star-${branches}x${length}`, n: next, edges, root: 0, branches: list };
}

/**
 * Their fixed irregular graph (16 nodes, 20 edges; the same in every run, whatever the seed): a
 * 12-node ring with two chords (1–3, 5–8) and, apart from it, a complete graph on nodes 12–15.
 */
const IRREGULAR_EDGES: [number, number][] = [
  [0, 1], [1, 2], [2, 3], [1, 3], [3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [5, 8], [8, 9], [9, 10], [10, 11], [0, 11],
  [12, 13], [13, 14], [14, 15], [12, 15], [12, 14], [13, 15],
];

export function irregularGraph(): Graph {
  return { kind: 'irregular', name: 'irregular-16', n: 16, edges: IRREGULAR_EDGES.map(([u, v]) => pair(u, v)) };
}

export interface GraphSizes {
  nodes?: number;
  rows?: number;
  cols?: number;
  branches?: number;
  length?: number;
}

export function makeGraph(kind: GraphKind, sizes: GraphSizes = {}): Graph {
  switch (kind) {
    case 'cycle':
      return cycleGraph(sizes.nodes);
    case 'grid':
      return gridGraph(sizes.rows, sizes.cols);
    case 'star':
      return starGraph(sizes.branches, sizes.length);
    case 'irregular':
      return irregularGraph();
  }
}

/** Both directions of every edge, (u, v) then (v, u): the training pairs `[EDGE] u → v`. */
export function directedEdges(g: Graph): [number, number][] {
  return g.edges.flatMap(([u, v]): [number, number][] => [[u, v], [v, u]]);
}

export function degrees(g: Graph): number[] {
  const deg = new Array<number>(g.n).fill(0);
  for (const [u, v] of g.edges) {
    deg[u]++;
    deg[v]++;
  }
  return deg;
}

/** Each node's neighbours, ascending. */
export function neighbours(g: Graph): number[][] {
  const nb: number[][] = Array.from({ length: g.n }, () => []);
  for (const [u, v] of g.edges) {
    nb[u].push(v);
    nb[v].push(u);
  }
  for (const list of nb) list.sort((a, b) => a - b);
  return nb;
}

/** The n×n 0/1 adjacency matrix, row-major. */
export function adjacency(g: Graph): Float64Array {
  const a = new Float64Array(g.n * g.n);
  for (const [u, v] of g.edges) a[u * g.n + v] = a[v * g.n + u] = 1;
  return a;
}

/** The combinatorial Laplacian L = D − A, n×n row-major. */
export function laplacian(g: Graph): Float64Array {
  const l = adjacency(g).map((x) => -x);
  for (const [u, v] of g.edges) {
    l[u * g.n + u]++;
    l[v * g.n + v]++;
  }
  return l;
}
