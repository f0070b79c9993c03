/**
 * The figures' look: theme colours (CSS custom properties with fallbacks), colour scales and their
 * lookup tables, the colour-ramp legend, and a container-width hook. The canvas heat map is in
 * heatMap.ts / HeatMap.tsx, the data reshaping the figures draw from in views.ts, the frame in
 * FigureShell.tsx and ChartFrame.tsx.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { axisBottom, interpolateRdBu, interpolateViridis, rgb, scaleLinear, schemeTableau10, select } from 'd3';

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

/** A heat map's colour scale: the colour of a value, the same as a LUT, its domain and legend ticks. */
export interface ColorScale {
  color: (v: number) => string;
  lut: () => Lut;
  domain: [number, number];
  ticks: number[];
  /** Start of the legend gradient's element id. */
  idPrefix: string;
}

/** Cosines and other signed scores in [−1, 1]. */
export const DIVERGING: ColorScale = { color: divergingColor, lut: divergingLut, domain: [-1, 1], ticks: [-1, -0.5, 0, 0.5, 1], idPrefix: 'fig-div' };
/** Shares and accuracies in [0, 1]. */
export const SEQUENTIAL: ColorScale = { color: sequentialColor, lut: sequentialLut, domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], idPrefix: 'fig-seq' };

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
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
  // Until the container is measured (it may have no width yet while the page lays out), no wider than
  // the screen: a phone must never scroll sideways for a figure drawn at the fallback width.
  const [width, setWidth] = useState(() => (typeof document === 'undefined' ? fallback : Math.min(fallback, Math.max(240, document.documentElement.clientWidth - 32))));
  // A layout effect: measured and re-rendered before the first paint, so no frame (and no reader of
  // the layout in between) sees a figure at the guessed width.
  useLayoutEffect(() => {
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
// Hover.

/**
 * The read-out line under a drawing: `idle` while nothing is hovered (kept while the pointer is on
 * `host` across redraws), the hovered thing's text while something is.
 */
export function readoutLine(host: HTMLElement | SVGElement, out: HTMLElement | null, idle: string) {
  if (out && !host.dataset.hovering) out.textContent = idle;
  return {
    show(text: string) {
      host.dataset.hovering = '1';
      if (out) out.textContent = text;
    },
    hide() {
      delete host.dataset.hovering;
      if (out) out.textContent = idle;
    },
  };
}
