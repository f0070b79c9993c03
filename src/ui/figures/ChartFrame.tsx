/**
 * The frame the chapters' x–y charts share (capacity, multi-hop): their size at a given width, the
 * SVG with its named layers and axis titles inside an accessible `role="img"`, and the grid and
 * y axis drawn the same way. Each chart draws its own x axis and marks into the layers.
 */
import type { ReactNode, Ref } from 'react';
import { symbol, type Axis, type NumberValue, type Selection, type SymbolType } from 'd3';
import { GRID, MUTED } from './figureKit';

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

/** Horizontal grid lines and the y axis, both from one configured left axis (ticks, format). */
export function drawGridAndYAxis(plot: Selection<SVGGElement, unknown, null, undefined>, yAxis: () => Axis<NumberValue>, plotW: number): void {
  plot
    .select<SVGGElement>('g.grid')
    .call(yAxis().tickSize(-plotW).tickFormat(() => ''))
    .call((g) => g.select('.domain').remove())
    .call((g) => g.selectAll('line').attr('stroke', GRID));
  plot
    .select<SVGGElement>('g.axis-y')
    .call(yAxis())
    .call((g) => g.select('.domain').remove());
}

export function ChartFrame({
  layout,
  svgRef,
  label,
  descId,
  layers,
  yTitle,
  xTitle,
}: {
  layout: ChartLayout;
  svgRef: Ref<SVGSVGElement>;
  label: string;
  descId: string;
  /** Class names of the groups drawn between the axes and the top, in painting order. */
  layers: string[];
  yTitle: string;
  xTitle: string;
}) {
  const { W, H, M, plotW, plotH } = layout;
  return (
    <div className="fig-plot" role="img" aria-label={label} aria-describedby={descId} style={{ width: W, height: H }}>
      <svg ref={svgRef} width={W} height={H} aria-hidden="true" style={{ pointerEvents: 'auto' }}>
        <g className="plot" transform={`translate(${M.left},${M.top})`} style={{ color: MUTED }}>
          <g className="grid" />
          <g className="axis-y" />
          <g className="axis-x" transform={`translate(0,${plotH})`} />
          {layers.map((name) => (
            <g key={name} className={name} />
          ))}
          <text className="fig-axis-title" transform={`translate(${-M.left + 11},${plotH / 2}) rotate(-90)`} textAnchor="middle">
            {yTitle}
          </text>
          <text className="fig-axis-title" x={plotW / 2} y={plotH + 34} textAnchor="middle">
            {xTitle}
          </text>
        </g>
      </svg>
    </div>
  );
}

export interface LegendSeries {
  key: string;
  shape: SymbolType;
  color: string;
  label: string;
}

/**
 * The legend above a chart: one swatch in each series' mark shape and colour, then the chart's own
 * notes (line styles, chance…). Hidden from screen readers: the figure's caption says it in words.
 */
export function SymbolLegend({ series, children }: { series: LegendSeries[]; children?: ReactNode }) {
  return (
    <div className="fig-legend" aria-hidden="true">
      {series.map((s) => (
        <span className="fig-legend-item" key={s.key}>
          <svg width="12" height="12" viewBox="-6 -6 12 12">
            <path d={symbol(s.shape, 50)() ?? ''} fill={s.color} />
          </svg>
          {s.label}
        </span>
      ))}
      {children}
    </div>
  );
}
