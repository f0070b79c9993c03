/**
 * The canvas heat map of the projection and gating figures: the cells painted through a colour LUT on
 * a <canvas>, an <svg> on top for the axes and marks each figure draws (its `draw` hook into named layers),
 * the colour-ramp legend below, and a hover read-out line naming the cell under the pointer.
 * The drawing is one `role="img"` with the figure's text summary as its description.
 */
import { useEffect, useId, useRef } from 'react';
import { MUTED, RAMP_LEGEND_HEIGHT, drawRampLegend, readoutLine, type ColorScale } from './figureKit';
import { cellAt, newCellCache, paintCells, prepareCanvas, type CellGrid, type HeatFrame } from './heatMap';

export interface HeatMapProps {
  /** The grid and its values (rows × cols, row-major). */
  cells: CellGrid & { values: ArrayLike<number> };
  scale: ColorScale;
  /** The drawing's size and the canvas' place in it (heatFrame); the canvas may be wider than the cells for `paint`. */
  frame: HeatFrame;
  /** The drawing's accessible name; `descId` the figure's text summary. */
  label: string;
  descId: string;
  /** Rotated title left of the rows (its centre `yX` px from the left edge) and titles under the columns. */
  titles: { y: string; yX: number; x: { text: string; x: number }[] };
  /** Nothing measured: say so in the middle of the drawing. */
  empty: boolean;
  /** Painted on the canvas after the cells (canvas CSS px). */
  paint?(ctx: CanvasRenderingContext2D): void;
  /** Draws axes and marks into the overlay <svg> (its groups are the children) after each render. */
  draw?(svg: SVGSVGElement): void;
  /** The read-out line: its text while nothing is hovered, and the hovered cell's (null: leave as is). */
  idle: string;
  readout(cell: { row: number; col: number | null }): string | null;
  /** A click on a cell (e.g. the projection's rows: follow that subject's fact); none when absent. */
  onCellClick?(cell: { row: number; col: number | null }): void;
  legend: { label: string; width: number };
  /** Class names of the overlay's groups, in painting order (under the titles), for `draw`. */
  layers: string[];
}

export function HeatMap(props: HeatMapProps) {
  const { frame, scale, titles } = props;
  const { width, height, left, top, canvasW, canvasH } = frame;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const legendRef = useRef<SVGSVGElement>(null);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const cache = useRef(newCellCache());
  const gradId = useId().replace(/[^a-zA-Z0-9_-]/g, '');

  // Cheap (one pixel per cell, a few d3 joins): drawn again on every render of the figure.
  useEffect(() => {
    const canvas = canvasRef.current;
    const svgEl = svgRef.current;
    if (!canvas || !svgEl) return;
    const { cells, paint, draw, readout } = props;
    const ctx = prepareCanvas(canvas, canvasW, canvasH);
    if (ctx) {
      const [lo, hi] = scale.domain;
      paintCells(ctx, cache.current, cells.values, cells.rows, cells.cols, scale.lut(), lo, hi, 0, 0, cells.cols * cells.cellW, cells.rows * cells.cellH);
      paint?.(ctx);
    }
    draw?.(svgEl);
    const line = readoutLine(canvas, readoutRef.current, props.idle);
    canvas.onpointermove = (ev) => {
      const cell = cellAt(cells, ev.offsetX, ev.offsetY);
      const text = cell && readout(cell);
      if (text != null) line.show(text);
    };
    canvas.onpointerleave = line.hide;
    const click = props.onCellClick;
    canvas.onclick = click
      ? (ev) => {
          const cell = cellAt(cells, ev.offsetX, ev.offsetY);
          if (cell) click(cell);
        }
      : null;
    canvas.style.cursor = click ? 'pointer' : '';
  });

  useEffect(() => {
    if (!legendRef.current) return;
    drawRampLegend(legendRef.current, { ...props.legend, color: scale.color, domain: scale.domain, ticks: scale.ticks, gradientId: `${scale.idPrefix}-${gradId}` });
  });

  return (
    <>
      <div className="fig-plot" role="img" aria-label={props.label} aria-describedby={props.descId} style={{ width, height }}>
        <canvas ref={canvasRef} aria-hidden="true" style={{ left, top }} />
        <svg ref={svgRef} width={width} height={height} aria-hidden="true" style={{ color: MUTED }}>
          {props.layers.map((name) => (
            <g key={name} className={name} />
          ))}
          <text className="fig-axis-title" transform={`translate(${titles.yX},${top + canvasH / 2}) rotate(-90)`} textAnchor="middle">
            {titles.y}
          </text>
          {props.empty && (
            <text x={left + canvasW / 2} y={top + canvasH / 2} textAnchor="middle">
              No measurement yet
            </text>
          )}
          {titles.x.map((t) => (
            <text key={t.text} className="fig-axis-title" x={t.x} y={height - 6} textAnchor="middle">
              {t.text}
            </text>
          ))}
        </svg>
      </div>
      <svg ref={legendRef} height={RAMP_LEGEND_HEIGHT} aria-hidden="true" style={{ display: 'block' }} />
      <p className="fig-readout" ref={readoutRef} aria-hidden="true" />
    </>
  );
}
