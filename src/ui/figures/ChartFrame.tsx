/**
 * The scaffolding the x–y charts share (capacity, multi-hop, training curves, optimiser curves), after
 * Observable Plot's marks: the size at a given width; the SVG with its named layers and axis titles
 * inside an accessible `role="img"`; the grid and y axis, horizontal rules (chance, a bar) and
 * precomputed/live point marks drawn the same way; the hover read-out; and the legend.
 * Each chart draws its own scales, x axis and marks into the layers.
 */
import { useId, useRef, type ReactNode, type Ref } from 'react';
import { line, scaleLinear, symbol, type Axis, type BaseType, type NumberValue, type Selection, type SymbolType } from 'd3';
import { BG, GRID, MUTED, readoutLine, useContainerWidth } from './figureKit';

export interface ChartLayout {
  W: number;
  H: number;
  narrow: boolean;
  M: { left: number; right: number; top: number; bottom: number };
  plotW: number;
  plotH: number;
}

export function chartLayout(width: number, top: number, plotHeight: { narrow: number; wide: number }): ChartLayout {
  const W = Math.max(280, Math.min(720, width));
  const narrow = W < 480;
  const M = { left: narrow ? 40 : 48, right: 14, top, bottom: 40 };
  const plotH = narrow ? plotHeight.narrow : plotHeight.wide;
  return { W, H: M.top + plotH + M.bottom, narrow, M, plotW: W - M.left - M.right, plotH };
}

/** What a chart's frame says: its accessible name, its layers (ChartFrame) and axis titles. */
export interface PlotText {
  label: string;
  /** Class names of the groups drawn between the axes and the top, in painting order. */
  layers: string[];
  yTitle: string;
  xTitle: string;
}

/**
 * What a one-plot chart needs: its layout at the measured width, refs to its <svg> and read-out line,
 * and `frame`, the props of its ChartFrame that come from them.
 */
export function useChart(top: number, plotHeight: { narrow: number; wide: number }) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const descId = useId();
  const layout = chartLayout(width, top, plotHeight);
  return { layout, svgRef, readoutRef, descId, frame: { layout, svgRef, descId, wrapRef, readoutRef } };
}

type Layer = Selection<SVGGElement, unknown, null, undefined>;

/**
 * Horizontal grid lines and the y axis, both from one configured left axis (ticks, format); the grid
 * from `gridAxis` instead when it should have other lines than the axis has ticks.
 */
export function drawGridAndYAxis(plot: Layer, yAxis: () => Axis<NumberValue>, plotW: number, gridAxis = yAxis): void {
  plot
    .select<SVGGElement>('g.grid')
    .call(gridAxis().tickSize(-plotW).tickFormat(() => ''))
    .call((g) => g.select('.domain').remove())
    .call((g) => g.selectAll('line').attr('stroke', GRID));
  plot
    .select<SVGGElement>('g.axis-y')
    .call(yAxis())
    .call((g) => g.select('.domain').remove());
}

/** Dashed horizontal rules across the plot (chance levels, a bar to pass), one `line` per datum in `layer`. */
export function drawRules<T>(
  layer: Selection<BaseType, unknown, null, undefined>,
  data: T[],
  rule: { y: (d: T) => number; width: number; dash: (d: T) => string; key?: (d: T) => string; strokeWidth?: number },
): void {
  layer
    .selectAll<SVGLineElement, T>('line')
    .data(data, rule.key ?? ((_d, i) => String(i)))
    .join('line')
    .attr('x1', 0)
    .attr('x2', rule.width)
    .attr('y1', rule.y)
    .attr('y2', rule.y)
    .attr('stroke', MUTED)
    .attr('stroke-dasharray', rule.dash)
    .attr('stroke-width', rule.strokeWidth ?? null);
}

/**
 * One <g class={cls}> per datum inside `parent`, keyed: `build` gives each new group its parts (a rect,
 * a line, a text…) once; the caller then sets what changes on the returned groups.
 */
export function joinGroups<T>(
  parent: Selection<BaseType, unknown, null | BaseType, unknown>,
  cls: string,
  data: T[],
  key: (d: T) => string | number,
  build: (g: Selection<SVGGElement, T, BaseType, unknown>) => void,
) {
  return parent
    .selectAll<SVGGElement, T>(`g.${cls}`)
    .data(data, key as (d: T) => string)
    .join((enter) => {
      const g = enter.append('g').attr('class', cls);
      build(g as unknown as Selection<SVGGElement, T, BaseType, unknown>);
      return g;
    });
}

/** One path per series in `layer`, unfilled, keyed; returns them for any further attributes. */
export function drawLines<T>(
  layer: Selection<BaseType, unknown, null, undefined>,
  data: T[],
  key: (d: T) => string,
  style: { stroke: (d: T) => string; width: number; dash?: (d: T) => string | null; d: (d: T) => string | null },
) {
  return layer
    .selectAll<SVGPathElement, T>('path')
    .data(data, key)
    .join('path')
    .attr('fill', 'none')
    .attr('stroke', style.stroke)
    .attr('stroke-width', style.width)
    .attr('stroke-linejoin', 'round')
    .attr('stroke-dasharray', style.dash ?? null)
    .attr('d', (d) => style.d(d) ?? '');
}

/** The x scale of a chart over training steps: 0 to the budget, or to the last point if it ran past it. */
export function stepScale(steps: number, points: readonly { step: number }[], plotW: number) {
  const maxStep = Math.max(1, steps, points.length ? points[points.length - 1].step : 0);
  return { maxStep, x: scaleLinear().domain([0, maxStep]).range([0, plotW]) };
}

/**
 * One line per field `keys` of step-indexed points (a gap where a value is not finite), as path.curve
 * with data-series = the field and data-points = how many points: the training-curve charts.
 */
export function drawStepSeries<P extends { step: number }, K extends keyof P & string>(
  layer: Selection<BaseType, unknown, null, undefined>,
  keys: readonly K[],
  points: P[],
  scales: { x: (step: number) => number; y: (v: number) => number },
  style: { color: Record<K, string>; dash: Record<K, string | null> },
) {
  const value = (p: P, k: K) => p[k] as unknown as number;
  return drawLines(layer, keys.map((k) => ({ k })), (d) => d.k, {
    stroke: (d) => style.color[d.k],
    width: 2,
    dash: (d) => style.dash[d.k],
    d: (d) =>
      line<P>()
        .defined((p) => Number.isFinite(value(p, d.k)))
        .x((p) => scales.x(p.step))
        .y((p) => scales.y(value(p, d.k)))(points),
  })
    .attr('class', 'curve')
    .attr('data-series', (d) => d.k)
    .attr('data-points', points.length);
}

/** The transparent rectangle over the plot (layer g.hover) that takes the pointer for a read-out. */
export function hoverOverlay(plot: Layer, plotW: number, plotH: number) {
  return plot.select('g.hover').selectAll<SVGRectElement, number>('rect').data([0]).join('rect').attr('width', plotW).attr('height', plotH).attr('fill', 'transparent');
}

/** A precomputed point is filled with a light rim, a live one hollow in its series' colour. */
export function styleSetMarks<T extends { set: 'pre' | 'live' }, E extends BaseType>(
  marks: Selection<E, T, BaseType, unknown>,
  shape: (d: T) => SymbolType,
  color: (d: T) => string,
  size: { pre: number; live: number },
): void {
  marks
    .attr('d', (m) => symbol(shape(m), m.set === 'live' ? size.live : size.pre)())
    .attr('fill', (m) => (m.set === 'live' ? BG : color(m)))
    .attr('stroke', (m) => (m.set === 'live' ? color(m) : BG))
    .attr('stroke-width', (m) => (m.set === 'live' ? 2 : 1));
}

/** Hovering a mark of `marks` shows `describe(mark)` in the read-out line `out`. */
export function hoverMarks<T, E extends BaseType>(marks: Selection<E, T, BaseType, unknown>, host: SVGSVGElement, out: HTMLElement | null, idle: string, describe: (d: T) => string): void {
  const line = readoutLine(host, out, idle);
  marks.on('pointerenter', (_ev, m) => line.show(describe(m))).on('pointerleave', () => line.hide());
}

/** A rotated y-axis title, centred on a plot of height `plotH`, its centre `dx` px left of the plot. */
export function YTitle({ dx, plotH, children }: { dx: number; plotH: number; children: ReactNode }) {
  return (
    <text className="fig-axis-title" transform={`translate(${-dx},${plotH / 2}) rotate(-90)`} textAnchor="middle">
      {children}
    </text>
  );
}

export interface PlotLayersProps {
  className: string;
  left: number;
  top: number;
  plotW: number;
  plotH: number;
  yTitle: string;
  /** How far left of the plot the y title's centre stands. */
  yTitleDx: number;
  xTitle?: string;
  children: ReactNode;
}

/** A plot's layers, placed in its margins: grid, y axis, x axis, the chart's own layers, then its axis titles. */
export function PlotLayers({ className, left, top, plotW, plotH, yTitle, yTitleDx, xTitle, children }: PlotLayersProps) {
  return (
    <g className={className} transform={`translate(${left},${top})`} style={{ color: MUTED }}>
      <g className="grid" />
      <g className="axis-y" />
      <g className="axis-x" transform={`translate(0,${plotH})`} />
      {children}
      <YTitle dx={yTitleDx} plotH={plotH}>
        {yTitle}
      </YTitle>
      {xTitle && (
        <text className="fig-axis-title" x={plotW / 2} y={plotH + 34} textAnchor="middle">
          {xTitle}
        </text>
      )}
    </g>
  );
}

export interface PlotBoxProps {
  width: number;
  height: number;
  svgRef: Ref<SVGSVGElement>;
  /** The drawing's accessible name; `descId` the figure's text summary. */
  label: string;
  descId: string;
  /** The container measured for the width (useContainerWidth), and the read-out line under it. */
  wrapRef?: Ref<HTMLDivElement>;
  readoutRef?: Ref<HTMLParagraphElement>;
  children: ReactNode;
}

/** A chart's <svg> inside its accessible `role="img"`, with the measured container and read-out line when given. */
export function PlotBox({ width, height, svgRef, label, descId, wrapRef, readoutRef, children }: PlotBoxProps) {
  const plot = (
    <div className="fig-plot" role="img" aria-label={label} aria-describedby={descId} style={{ width, height }}>
      <svg ref={svgRef} width={width} height={height} aria-hidden="true" style={{ pointerEvents: 'auto' }}>
        {children}
      </svg>
    </div>
  );
  if (!wrapRef && !readoutRef) return plot;
  return (
    <>
      <div ref={wrapRef} style={{ width: '100%' }}>
        {plot}
      </div>
      {readoutRef && <p className="fig-readout" ref={readoutRef} aria-hidden="true" />}
    </>
  );
}

export interface ChartFrameProps extends Omit<PlotBoxProps, 'width' | 'height' | 'children'>, PlotText {
  layout: ChartLayout;
}

/** One plot: its box, and its layers between grid and axis titles. */
export function ChartFrame({ layout, layers, yTitle, xTitle, ...box }: ChartFrameProps) {
  const { W, H, M, plotW, plotH } = layout;
  return (
    <PlotBox width={W} height={H} {...box}>
      <PlotLayers className="plot" left={M.left} top={M.top} plotW={plotW} plotH={plotH} yTitle={yTitle} yTitleDx={M.left - 11} xTitle={xTitle}>
        {layers.map((name) => (
          <g key={name} className={name} />
        ))}
      </PlotLayers>
    </PlotBox>
  );
}

/** A legend swatch: a series' point mark, a line (dashed or not), or a colour bar (a square with `box`). */
export type LegendMark =
  | { symbol: SymbolType; color: string }
  | { line: string; dash?: string | null; strokeWidth?: number; length?: number }
  | { swatch: string; box?: boolean; height?: number };

export interface LegendItem {
  key: string;
  mark: LegendMark;
  label: ReactNode;
}

function Swatch({ mark }: { mark: LegendMark }) {
  if ('symbol' in mark) {
    return (
      <svg width="12" height="12" viewBox="-6 -6 12 12">
        <path d={symbol(mark.symbol, 50)() ?? ''} fill={mark.color} />
      </svg>
    );
  }
  if ('line' in mark) {
    const len = mark.length ?? 22;
    return (
      <svg width={len} height="10" viewBox={`0 0 ${len} 10`}>
        <line x1="1" y1="5" x2={len - 1} y2="5" stroke={mark.line} strokeWidth={mark.strokeWidth ?? 2.5} strokeDasharray={mark.dash ?? undefined} />
      </svg>
    );
  }
  return <span className={mark.box ? 'fig-swatch box' : 'fig-swatch'} style={{ background: mark.swatch, height: mark.height }} />;
}

/** The legend's key to the two sets of points: precomputed (filled, solid lines) and live (hollow, dashed). */
export function SetKey({ precomputed, live }: { precomputed?: string; live?: string }) {
  return (
    <>
      <span className="fig-legend-item wrap">filled, solid: {precomputed ?? 'precomputed'}</span>
      {live && <span className="fig-legend-item wrap">hollow, dashed: {live}</span>}
    </>
  );
}

/**
 * The legend of a chart: one swatch and label per item, then the chart's own notes (children).
 * Hidden from screen readers: the figure's caption says it in words.
 */
export function Legend({ items, children }: { items: LegendItem[]; children?: ReactNode }) {
  return (
    <div className="fig-legend" aria-hidden="true">
      {items.map((s) => (
        <span className="fig-legend-item" key={s.key}>
          <Swatch mark={s.mark} />
          {s.label}
        </span>
      ))}
      {children}
    </div>
  );
}
