/**
 * What the graph chapter's figures draw that depends on the graph alone, computed once per graph (by
 * its name, e.g. "cycle-15") and kept: its Laplacian spectrum (an eigen-solve of the n×n Laplacian), the
 * layout that spectrum gives it, and its adjacency as a heat-map grid. Pure JS: no React, no tfjs.
 */
import { adjacency, type Graph } from './graphs';
import { laplacianSpectrum } from './measure';

export interface GraphViews {
  /** The Laplacian's eigenvalues, ascending, and its unit eigenvectors (row k: the k-th). */
  spectrum: { values: number[]; vectors: number[][] };
  /** n×2 row-major: the graph drawn by its first two eigenvectors past the zero eigenvalues. */
  layout: number[];
  /** n×n row-major, 1 on an edge, 0 elsewhere. */
  adjacency: Float64Array;
}

const cache = new Map<string, GraphViews>();
/** Graphs are tiny (≤ 64 nodes) and few; a page keeps at most this many. */
const KEEP = 16;

function spectralLayout(n: number, spectrum: GraphViews['spectrum']): number[] {
  const k = spectrum.values.findIndex((v) => v > 1e-9);
  const first = k >= 0 ? k : 1;
  const a = spectrum.vectors[first] ?? new Array<number>(n).fill(0);
  const b = spectrum.vectors[first + 1] ?? new Array<number>(n).fill(0);
  return Array.from({ length: n }, (_, i) => [a[i], b[i]]).flat();
}

export function graphViews(g: Graph): GraphViews {
  const hit = cache.get(g.name);
  if (hit) return hit;
  const spectrum = laplacianSpectrum(g);
  const views: GraphViews = { spectrum, layout: spectralLayout(g.n, spectrum), adjacency: adjacency(g) };
  if (cache.size >= KEEP) cache.delete(cache.keys().next().value as string);
  cache.set(g.name, views);
  return views;
}
