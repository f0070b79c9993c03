/**
 * The canvas heat map's pure and painting parts, shared by the projection and gating figures (after
 * TensorFlow Playground's heatmap.ts): the cell grid's layout and hover hit-testing, tick thinning, and
 * a painter that writes one pixel per cell through a colour LUT and scales it up. HeatMap.tsx puts them
 * on the page.
 */
import { clamp, type Lut } from './figureKit';

/** A heat map's grid: `rows × cols` cells of `cellW × cellH` CSS px from the canvas' top left. */
export interface CellGrid {
  rows: number;
  cols: number;
  cellW: number;
  cellH: number;
}

/** The cell under a point (canvas CSS px): its row, and its column or null right of the last one; null off the rows. */
export function cellAt(grid: CellGrid, x: number, y: number): { row: number; col: number | null } | null {
  const row = Math.floor(y / grid.cellH);
  if (!(row >= 0 && row < grid.rows) || !(x >= 0)) return null;
  const col = Math.floor(x / grid.cellW);
  return { row, col: col < grid.cols ? col : null };
}

/** Where a heat map's canvas sits in its drawing, and the drawing's size. */
export interface HeatFrame {
  width: number;
  height: number;
  left: number;
  top: number;
  canvasW: number;
  canvasH: number;
}

/** The drawing around a `canvasW × canvasH` canvas with margins for the axes, at least `minW` px wide inside them. */
export function heatFrame(margin: { left: number; right: number; top: number; bottom: number }, canvasW: number, canvasH: number, minW = 0): HeatFrame {
  return {
    width: margin.left + Math.max(canvasW, minW) + margin.right,
    height: margin.top + canvasH + margin.bottom,
    left: margin.left,
    top: margin.top,
    canvasW,
    canvasH,
  };
}

/** Label every k-th of the cells `px` apart so that labels stand at least `minGap` px apart. */
export function labelEvery(px: number, minGap: number): number {
  return Math.max(1, Math.ceil(minGap / Math.max(px, 1e-9)));
}

/** Cell size: the room divided among `n` cells, within [lo, hi] whole px (lo when there are none). */
export function cellSize(room: number, n: number, lo: number, hi: number): number {
  return n > 0 ? clamp(Math.floor(room / n), lo, hi) : lo;
}

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
