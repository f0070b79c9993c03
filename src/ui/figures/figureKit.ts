/**
 * Shared pieces of the figures: theme colours (CSS custom properties with fallbacks), colour scales as
 * lookup tables, a cheap canvas heat-map painter, a container-width hook, and the pure data reshaping
 * (downsampling, binning, column reordering) the figures draw from. No tensor maths: the worker sends
 * finished measurements; this only rearranges them for drawing.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { axisBottom, interpolateRdBu, interpolateViridis, rgb, scaleLinear, schemeTableau10, select } from 'd3';
import type { GatingReport, ProjectionSample } from '../../core/measure/measure';

// ---------------------------------------------------------------------------------------------
// Theme. The App's stylesheet may set --fg, --muted, --grid, --bg (light and dark); the fallbacks
// derive everything from the inherited text colour so the figures also work unthemed.

export const FG = 'var(--fg, currentColor)';
export const MUTED = 'var(--muted, color-mix(in srgb, currentColor 62%, transparent))';
export const GRID = 'var(--grid, color-mix(in srgb, currentColor 14%, transparent))';
export const BG = 'var(--bg, Canvas)';

/** Colour of relation r (Tableau 10, colour-blind friendly; repeats after 10 relations). */
export function relationColor(r: number): string {
  const i = ((Math.floor(r) % 10) + 10) % 10;
  return schemeTableau10[i];
}

/** Diverging colour for v ∈ [−1, 1]: blue (−1) … white (0) … red (+1) (reversed RdBu). */
export function divergingColor(v: number): string {
  const t = (clamp(v, -1, 1) + 1) / 2;
  return interpolateRdBu(1 - t);
}

/** Sequential colour for t ∈ [0, 1] (viridis: dark purple → yellow, readable in light and dark). */
export function sequentialColor(t: number): string {
  return interpolateViridis(clamp(t, 0, 1));
}

/** Text colour (near-black or white) that reads on top of a fill colour. */
export function textOn(fill: string): string {
  const c = rgb(fill);
  const lin = (u: number) => {
    const s = u / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  return lum > 0.36 ? '#111' : '#fff';
}

/** A colour scale as 256 RGB triples, for painting pixels without string parsing. */
export type Lut = Uint8ClampedArray;

function buildLut(interp: (t: number) => string): Lut {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = rgb(interp(i / 255));
    lut[3 * i] = c.r;
    lut[3 * i + 1] = c.g;
    lut[3 * i + 2] = c.b;
  }
  return lut;
}

let divLut: Lut | null = null;
let seqLut: Lut | null = null;
/** LUT of `divergingColor` over [−1, 1]. */
export function divergingLut(): Lut {
  return (divLut ??= buildLut((t) => interpolateRdBu(1 - t)));
}
/** LUT of `sequentialColor` over [0, 1]. */
export function sequentialLut(): Lut {
  return (seqLut ??= buildLut(interpolateViridis));
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

// ---------------------------------------------------------------------------------------------
// Canvas.

/** Size a canvas for `cssW × cssH` CSS pixels at the device pixel ratio; returns a context in CSS px. */
export function prepareCanvas(canvas: HTMLCanvasElement, cssW: number, cssH: number): CanvasRenderingContext2D | null {
  const dpr = Math.max(1, Math.min(3, Math.round((globalThis.devicePixelRatio || 1) * 2) / 2));
  const w = Math.max(1, Math.round(cssW * dpr));
  const h = Math.max(1, Math.round(cssH * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const sw = `${cssW}px`;
  const sh = `${cssH}px`;
  if (canvas.style.width !== sw) canvas.style.width = sw;
  if (canvas.style.height !== sh) canvas.style.height = sh;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(w / cssW, 0, 0, h / cssH, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  return ctx;
}

/** Reusable scratch buffers for `paintCells` (keep one per figure in a ref). */
export interface CellCache {
  off: HTMLCanvasElement | null;
  img: ImageData | null;
}

export function newCellCache(): CellCache {
  return { off: null, img: null };
}

/**
 * Paint a `rows × cols` matrix (row-major) into the rectangle (x, y, w, h) of `ctx`, one cell per
 * value, colour = lut[(v − lo)/(hi − lo)]. Non-finite values are left transparent. The matrix is
 * written once into a cols × rows ImageData and scaled up without smoothing, so it costs one pixel per
 * cell whatever the on-screen size.
 */
export function paintCells(
  ctx: CanvasRenderingContext2D,
  cache: CellCache,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  lut: Lut,
  lo: number,
  hi: number,
  x: number,
  y: number,
  w: number,
  h: number,
): void {
  if (rows <= 0 || cols <= 0) return;
  if (!cache.off) cache.off = document.createElement('canvas');
  const off = cache.off;
  if (off.width !== cols) off.width = cols;
  if (off.height !== rows) off.height = rows;
  const octx = off.getContext('2d');
  if (!octx) return;
  if (!cache.img || cache.img.width !== cols || cache.img.height !== rows) cache.img = octx.createImageData(cols, rows);
  const data = cache.img.data;
  const span = hi - lo || 1;
  const n = rows * cols;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const p = 4 * i;
    if (!Number.isFinite(v)) {
      data[p + 3] = 0;
      continue;
    }
    const k = 3 * Math.round(clamp((v - lo) / span, 0, 1) * 255);
    data[p] = lut[k];
    data[p + 1] = lut[k + 1];
    data[p + 2] = lut[k + 2];
    data[p + 3] = 255;
  }
  octx.putImageData(cache.img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x, y, w, h);
}

// ---------------------------------------------------------------------------------------------
// Legends.

export const RAMP_LEGEND_HEIGHT = 44;

/**
 * Draw (or update in place) a horizontal colour-ramp legend into an <svg>: a caption, a gradient bar
 * and tick labels. `gradientId` must be unique on the page (use React's useId).
 */
export function drawRampLegend(
  svgEl: SVGSVGElement,
  opts: { color: (v: number) => string; domain: [number, number]; ticks: number[]; label: string; width: number; gradientId: string },
): void {
  const { color, domain, ticks, label, gradientId } = opts;
  const width = Math.max(80, opts.width);
  const pad = 8;
  const svg = select(svgEl).attr('width', width).attr('height', RAMP_LEGEND_HEIGHT);
  const stops = Array.from({ length: 17 }, (_, i) => i / 16);
  const grad = svg
    .selectAll<SVGDefsElement, number>('defs')
    .data([0])
    .join('defs')
    .selectAll<SVGLinearGradientElement, number>('linearGradient')
    .data([0])
    .join('linearGradient')
    .attr('id', gradientId);
  grad
    .selectAll('stop')
    .data(stops)
    .join('stop')
    .attr('offset', (t) => `${t * 100}%`)
    .attr('stop-color', (t) => color(domain[0] + t * (domain[1] - domain[0])));
  svg
    .selectAll('text.fig-legend-label')
    .data([label])
    .join('text')
    .attr('class', 'fig-legend-label')
    .attr('x', pad)
    .attr('y', 10)
    .style('font-size', '11px')
    .style('fill', MUTED)
    .text((d) => d);
  svg
    .selectAll('rect.fig-legend-bar')
    .data([0])
    .join('rect')
    .attr('class', 'fig-legend-bar')
    .attr('x', pad)
    .attr('y', 15)
    .attr('width', width - 2 * pad)
    .attr('height', 10)
    .attr('rx', 2)
    .attr('fill', `url(#${gradientId})`);
  const x = scaleLinear().domain(domain).range([pad, width - pad]);
  svg
    .selectAll<SVGGElement, number>('g.fig-legend-axis')
    .data([0])
    .join('g')
    .attr('class', 'fig-legend-axis')
    .attr('transform', 'translate(0,25)')
    .style('color', MUTED)
    .call(axisBottom(x).tickValues(ticks).tickSize(4).tickFormat((v) => String(Number(v)).replace('-', '\u2212')))
    .call((g) => g.select('.domain').remove())
    .call((g) => g.selectAll('text').style('font-size', '10px'));
}

// ---------------------------------------------------------------------------------------------
// Layout.

/** Width of a container element in CSS px, tracked with a ResizeObserver. */
export function useContainerWidth<T extends HTMLElement>(fallback = 640): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (w: number) => {
      const cw = Math.max(0, Math.floor(w));
      if (cw > 0) setWidth((prev) => (prev === cw ? prev : cw));
    };
    measure(el.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) measure(e.contentRect.width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

// ---------------------------------------------------------------------------------------------
// Pure reshaping (unit-tested in summaries.test.ts).

/** At most `max` indices into [0, n), evenly spread, always keeping the first and the last. */
export function downsampleIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max < 2) return [n - 1];
  const out: number[] = [];
  const stride = (n - 1) / (max - 1);
  let prev = -1;
  for (let i = 0; i < max; i++) {
    const k = Math.round(i * stride);
    if (k !== prev) out.push(k);
    prev = k;
  }
  return out;
}

/** The heat-map matrix of an attribute projection, ready to paint. */
export interface ProjectionView {
  rows: number;
  /** Columns drawn. */
  cols: number;
  /** Attributes per drawn column (1 unless all N attributes are binned to fit the width). */
  binSize: number;
  /** rows × cols, row-major. */
  values: Float32Array;
  /** Drawn column of each row's right attribute (on the diagonal in the reordered view). */
  targetCol: Int32Array;
  /** Attribute id shown in each drawn column (first of its bin). */
  colAttribute: Int32Array;
}

/**
 * Reorder or bin the K × N scores. `showAll = false`: a K × K matrix whose column j is the target
 * attribute of row j, so the right answers lie on the diagonal. `showAll = true`: all N attributes in
 * id order; when N > maxCols, consecutive attributes share a column that shows the most extreme value.
 */
export function projectionView(p: ProjectionSample, showAll: boolean, maxCols: number): ProjectionView {
  const n = p.n;
  const k = Math.min(p.targets.length, n > 0 ? Math.floor(p.scores.length / n) : 0);
  if (!showAll) {
    const values = new Float32Array(k * k);
    for (let i = 0; i < k; i++) {
      const row = i * n;
      for (let j = 0; j < k; j++) values[i * k + j] = p.scores[row + p.targets[j]];
    }
    const targetCol = new Int32Array(k);
    for (let i = 0; i < k; i++) targetCol[i] = i;
    return { rows: k, cols: k, binSize: 1, values, targetCol, colAttribute: Int32Array.from(p.targets.subarray(0, k)) };
  }
  const limit = Math.max(1, Math.floor(maxCols));
  const bin = n <= limit ? 1 : Math.ceil(n / limit);
  const cols = Math.ceil(n / bin);
  const values = new Float32Array(k * cols);
  for (let i = 0; i < k; i++) {
    const row = i * n;
    for (let c = 0; c < cols; c++) {
      let best = NaN;
      const end = Math.min(n, (c + 1) * bin);
      for (let a = c * bin; a < end; a++) {
        const v = p.scores[row + a];
        if (!(Math.abs(v) <= Math.abs(best))) best = v;
      }
      values[i * cols + c] = best;
    }
  }
  const targetCol = new Int32Array(k);
  for (let i = 0; i < k; i++) targetCol[i] = Math.floor(p.targets[i] / bin);
  const colAttribute = new Int32Array(cols);
  for (let c = 0; c < cols; c++) colAttribute[c] = c * bin;
  return { rows: k, cols, binSize: bin, values, targetCol, colAttribute };
}

/** Units of the gating heat map in display order, binned to at most `maxRows` rows. */
export interface GatingView {
  rows: number;
  relations: number;
  /** Units per row (1 when every unit has its own row). */
  binSize: number;
  /** rows × R, row-major: G averaged over the units of each row. */
  active: Float32Array;
  /** Mean selectivity per row. */
  selectivity: Float32Array;
  /** Preferred relation per row (the most common among its units; −1 = never active). */
  preferred: Int32Array;
  /** First display position (index into the order) of each row. */
  start: Int32Array;
}

/** The display order of the units: `gating.order` when it is a full permutation, else 0..m−1. */
export function unitOrder(g: GatingReport): Int32Array {
  const m = g.units;
  if (g.order && g.order.length === m) return g.order;
  const o = new Int32Array(m);
  for (let j = 0; j < m; j++) o[j] = j;
  return o;
}

export function gatingView(g: GatingReport, maxRows: number): GatingView {
  const m = g.units;
  const R = g.relations;
  const order = unitOrder(g);
  const limit = Math.max(1, Math.floor(maxRows));
  const bin = m <= limit ? 1 : Math.ceil(m / limit);
  const rows = m === 0 ? 0 : Math.ceil(m / bin);
  const active = new Float32Array(rows * R);
  const selectivity = new Float32Array(rows);
  const preferred = new Int32Array(rows);
  const start = new Int32Array(rows);
  const votes = new Int32Array(R + 1);
  for (let row = 0; row < rows; row++) {
    const a = row * bin;
    const b = Math.min(m, a + bin);
    start[row] = a;
    votes.fill(0);
    let sel = 0;
    for (let p = a; p < b; p++) {
      const j = order[p];
      for (let r = 0; r < R; r++) active[row * R + r] += g.active[j * R + r];
      sel += g.selectivity[j];
      const pr = g.preferred[j];
      votes[pr >= 0 && pr < R ? pr + 1 : 0]++;
    }
    const cnt = b - a;
    for (let r = 0; r < R; r++) active[row * R + r] /= cnt;
    selectivity[row] = sel / cnt;
    let bestV = -1;
    let best = 0;
    for (let v = 0; v <= R; v++) {
      if (votes[v] > bestV) {
        bestV = votes[v];
        best = v;
      }
    }
    preferred[row] = best - 1;
  }
  return { rows, relations: R, binSize: bin, active, selectivity, preferred, start };
}

/** Consecutive runs of units (in display order) with the same preferred relation (−1 = never active). */
export interface UnitGroup {
  relation: number;
  /** Display positions [start, end). */
  start: number;
  end: number;
}

export function unitGroups(g: GatingReport): UnitGroup[] {
  const order = unitOrder(g);
  const groups: UnitGroup[] = [];
  for (let p = 0; p < order.length; p++) {
    const pr = g.preferred[order[p]];
    const rel = pr >= 0 && pr < g.relations ? pr : -1;
    const last = groups[groups.length - 1];
    if (last && last.relation === rel) last.end = p + 1;
    else groups.push({ relation: rel, start: p, end: p + 1 });
  }
  return groups;
}

/** Units preferring each relation (index R = never active). */
export function unitsPerRelation(g: GatingReport): number[] {
  const counts = new Array<number>(g.relations + 1).fill(0);
  for (let j = 0; j < g.units; j++) {
    const pr = g.preferred[j];
    counts[pr >= 0 && pr < g.relations ? pr : g.relations]++;
  }
  return counts;
}
