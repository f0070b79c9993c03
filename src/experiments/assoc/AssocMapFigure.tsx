/**
 * Heads × width (docs/science.md §7, paper A's param_scaling_sweep): the accuracy each model reaches, as a
 * heat map with the attention parameters d·dh·H across and the MLP parameters d·m up; a cell that
 * reaches 99% is outlined. Hovering a cell reads it out. Precomputed and live sweeps are drawn alike.
 */
import { memo, useId, useMemo } from 'react';
import { select } from 'd3';
import type { AssocSweepCell } from './assoc';
import { FigureShell } from '../../ui/figures/FigureShell';
import { HeatMap } from '../../ui/figures/HeatMap';
import { FG, SEQUENTIAL, useContainerWidth } from '../../ui/figures/figureKit';
import { cellSize, heatFrame, labelEvery } from '../../ui/figures/heatMap';
import { reached, summarizeSweep } from './story';
import { fmtInt, fmtNum } from '../../ui/format';

export interface AssocMapFigureProps {
  cells: AssocSweepCell[];
  /** The whole grid (a live sweep draws its unfinished cells empty). */
  heads: number[];
  widths: number[];
  /** S·R, for the sentences (null: unknown). */
  facts: number | null;
  /** e.g. "precomputed (CLI, wasm; S = R = 32, d = 32, dh = 8)". */
  label: string;
  /** data-testid of the figure. */
  testId?: string;
}

const M = { left: 92, right: 12, top: 10, bottom: 58 };

export const AssocMapFigure = memo(function AssocMapFigure({ cells, heads, widths, facts, label, testId = 'figure-assoc-map' }: AssocMapFigureProps) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const descId = useId();
  const cols = [...heads].sort((a, b) => a - b);
  const rows = [...widths].sort((a, b) => b - a); // widest MLP at the top
  const byKey = useMemo(() => new Map(cells.map((c) => [`${c.heads}:${c.width}`, c])), [cells]);
  const values = useMemo(() => {
    const v = new Float32Array(rows.length * cols.length).fill(NaN);
    rows.forEach((w, i) => cols.forEach((h, j) => (v[i * cols.length + j] = byKey.get(`${h}:${w}`)?.accuracy ?? NaN)));
    return v;
  }, [byKey, rows, cols]);
  const room = Math.min(560, Math.max(260, width)) - M.left - M.right;
  const cellW = cellSize(room, cols.length, 14, 56);
  const cellH = cellSize(300, rows.length, 14, 40);
  const frame = heatFrame(M, cols.length * cellW, rows.length * cellH);
  const summary = summarizeSweep(cells, facts);
  const sample = cells[0];
  // d·dh and d from any cell: attention parameters = d·dh·H, MLP parameters = d·m.
  const perHead = sample ? sample.attentionParams / sample.heads : 0;
  const perWidth = sample ? sample.mlpParams / sample.width : 0;
  const attn = (h: number) => (perHead ? fmtInt(perHead * h) : `H=${h}`);
  const mlp = (w: number) => (perWidth ? fmtInt(perWidth * w) : `m=${w}`);

  const draw = (svgEl: SVGSVGElement) => {
    const svg = select(svgEl);
    const colEvery = labelEvery(cellW, 34);
    const rowEvery = labelEvery(cellH, 13);
    svg
      .select('g.col-labels')
      .attr('transform', `translate(${M.left},${M.top + rows.length * cellH})`)
      .selectAll<SVGTextElement, number>('text')
      .data(cols.map((h, j) => ({ h, j })).filter((c) => c.j % colEvery === 0))
      .join('text')
      .attr('x', (c) => (c.j + 0.5) * cellW)
      .attr('y', 13)
      .attr('text-anchor', 'middle')
      .style('font-size', '10px')
      .style('fill', FG)
      .each(function (c) {
        const t = select(this);
        t.selectAll('tspan')
          .data([attn(c.h), `H=${c.h}`])
          .join('tspan')
          .attr('x', (c.j + 0.5) * cellW)
          .attr('dy', (_d, i) => (i === 0 ? 0 : 12))
          .text((d) => d);
      });
    svg
      .select('g.row-labels')
      .attr('transform', `translate(${M.left - 4},${M.top})`)
      .selectAll<SVGTextElement, { w: number; i: number }>('text')
      .data(rows.map((w, i) => ({ w, i })).filter((r) => r.i % rowEvery === 0))
      .join('text')
      .attr('x', 0)
      .attr('y', (r) => (r.i + 0.5) * cellH)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .style('font-size', '10px')
      .style('fill', FG)
      .text((r) => `${mlp(r.w)} (m=${r.w})`);
    // Cells at 99% or more: outlined.
    svg
      .select('g.reached')
      .attr('transform', `translate(${M.left},${M.top})`)
      .selectAll<SVGRectElement, { i: number; j: number }>('rect')
      .data(rows.flatMap((w, i) => cols.flatMap((h, j) => (byKey.get(`${h}:${w}`) && reached(byKey.get(`${h}:${w}`)!) ? [{ i, j }] : []))))
      .join('rect')
      .attr('x', (c) => c.j * cellW + 1.5)
      .attr('y', (c) => c.i * cellH + 1.5)
      .attr('width', Math.max(0, cellW - 3))
      .attr('height', Math.max(0, cellH - 3))
      .attr('fill', 'none')
      .attr('stroke', '#111')
      .attr('stroke-width', 1.5);
  };

  const readout = ({ row, col }: { row: number; col: number | null }) => {
    if (col === null) return null;
    const c = byKey.get(`${cols[col]}:${rows[row]}`);
    if (!c) return `${cols[col]} heads, MLP width ${rows[row]}: not measured yet`;
    return `${fmtInt(c.heads)} heads (${fmtInt(c.attentionParams)} attention parameters), MLP width ${fmtInt(c.width)} (${fmtInt(c.mlpParams)} MLP parameters): accuracy ${fmtNum(c.accuracy)} after ${fmtInt(c.steps)} steps`;
  };

  return (
    <FigureShell
      testId={testId}
      data={{ 'data-cells': cells.length, 'data-reached': cells.filter(reached).length }}
      title="Heads × MLP width: which models store every fact"
      look={<>the outlined cells reach 99%. Where the boundary runs from a wide MLP with few heads to a narrow one with many, attention and MLP parameters stand in for each other: both store facts.</>}
      exportName="assoc-map"
      summary={summary}
      descId={descId}
    >
      <p className="fig-legend">
        <span className="fig-legend-item wrap">{label}</span>
      </p>
      <div ref={wrapRef} style={{ width: '100%' }}>
        <HeatMap
          cells={{ rows: rows.length, cols: cols.length, cellW, cellH, values }}
          scale={SEQUENTIAL}
          frame={frame}
          label={`Heat map of the accuracy reached by models with ${cols.length} head counts (attention parameters d·dh·H, across) and ${rows.length} MLP widths (MLP parameters d·m, up).`}
          descId={descId}
          titles={{ y: 'MLP parameters d·m', yX: 12, x: [{ text: 'attention parameters d·dh·H (heads H)', x: M.left + frame.canvasW / 2 }] }}
          empty={cells.length === 0}
          draw={draw}
          idle="Point at a cell to read it."
          readout={readout}
          legend={{ label: 'accuracy', width: Math.min(frame.width, 260) }}
          layers={['reached', 'col-labels', 'row-labels']}
        />
      </div>
    </FigureShell>
  );
});
