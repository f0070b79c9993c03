/**
 * The spectral view at the viewed step (docs/science.md §8): the share of the embeddings' energy on
 * each Laplacian eigenvector, one bar each, in order of its eigenvalue (ascending; the tick labels
 * give the eigenvalue). Geometry that follows the graph puts its energy on the small eigenvalues
 * (vectors smooth over the edges); random vectors spread it evenly.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, scaleBand, scaleLinear, schemeTableau10, select } from 'd3';
import type { GraphFrame } from './train';
import { ChartFrame, drawGridAndYAxis, hoverMarks, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { fmtInt, fmtNum } from '../../ui/format';

export interface GraphSpectrumFigureProps {
  eigenvalues: readonly number[];
  frame: GraphFrame;
  label: string;
}

interface Bar {
  k: number;
  eigenvalue: number;
  energy: number;
}

const LABEL = 'Bar chart of the share of the embeddings’ energy on each eigenvector of the graph’s Laplacian, in order of the eigenvalue.';

/** The share of the energy on the smallest `part` of the eigenvalues (the smooth half). */
export function lowShare(bars: readonly { energy: number }[], part = 0.5): number {
  const m = Math.ceil(bars.length * part);
  return bars.slice(0, m).reduce((s, b) => s + b.energy, 0);
}

export const GraphSpectrumFigure = memo(function GraphSpectrumFigure({ eigenvalues, frame, label }: GraphSpectrumFigureProps) {
  const chart = useChart(14, { narrow: 180, wide: 210 });
  const { svgRef, readoutRef, layout: { narrow, plotW, plotH } } = chart;
  const bars = useMemo<Bar[]>(() => eigenvalues.map((eigenvalue, k) => ({ k, eigenvalue, energy: frame.spectrum[k] ?? 0 })), [eigenvalues, frame]);

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const plot = select(svgEl).select<SVGGElement>('g.plot');
    const x = scaleBand<number>().domain(bars.map((b) => b.k)).range([0, plotW]).padding(0.15);
    const y = scaleLinear().domain([0, Math.max(0.05, ...bars.map((b) => b.energy))]).range([plotH, 0]).nice();
    drawGridAndYAxis(plot, () => axisLeft(y).ticks(4), plotW);
    const every = Math.max(1, Math.ceil(bars.length / (narrow ? 6 : 12)));
    plot
      .select<SVGGElement>('g.axis-x')
      .call(
        axisBottom(x)
          .tickValues(bars.filter((b) => b.k % every === 0).map((b) => b.k))
          .tickFormat((k) => fmtNum(bars[k]?.eigenvalue ?? NaN, 1))
          .tickSizeOuter(0),
      );
    const rects = plot
      .select('g.bars')
      .selectAll<SVGRectElement, Bar>('rect')
      .data(bars, (b) => String(b.k))
      .join('rect')
      .attr('class', 'bar')
      .attr('data-eigenvalue', (b) => fmtNum(b.eigenvalue, 4))
      .attr('data-energy', (b) => fmtNum(b.energy, 4))
      .attr('x', (b) => x(b.k) ?? 0)
      .attr('width', x.bandwidth())
      .attr('y', (b) => y(b.energy))
      .attr('height', (b) => Math.max(0, plotH - y(b.energy)))
      .attr('fill', schemeTableau10[0]);
    hoverMarks(rects, svgEl, readoutRef.current, 'Point at a bar to read it.', (b) => `eigenvector ${b.k + 1}, eigenvalue ${fmtNum(b.eigenvalue, 3)}: ${fmtNum(100 * b.energy, 1)}% of the energy`);
  }, [bars, plotW, plotH, narrow]);

  const low = lowShare(bars);
  const summary = `Step ${fmtInt(frame.step)}: ${fmtNum(100 * low, 0)}% of the embeddings’ energy is on the ${fmtInt(Math.ceil(bars.length / 2))} eigenvectors with the smallest eigenvalues (of ${fmtInt(bars.length)}).`;
  return (
    <FigureShell
      testId="figure-graph-spectrum"
      data={{ 'data-step': frame.step, 'data-bars': bars.length, 'data-low': fmtNum(low, 3) }}
      title={`The spectral view at step ${fmtInt(frame.step)}`}
      look={<>energy piled on the left (small eigenvalues: smooth over the edges) is the graph’s geometry; spread evenly, there is none.</>}
      exportName="graph-spectrum"
      summary={summary}
      descId={chart.descId}
    >
      <p className="fig-legend" aria-hidden="true">
        <span className="fig-legend-item wrap">{label}</span>
      </p>
      <ChartFrame {...chart.frame} label={LABEL} layers={['bars']} yTitle="share of energy" xTitle="Laplacian eigenvalue (ascending)" />
    </FigureShell>
  );
});
