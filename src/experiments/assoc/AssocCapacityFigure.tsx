/**
 * Facts per parameter (docs/science.md §7, paper A's fact_recall_sweep): for each model, the most facts
 * (S·R) it stores at 99% against its parameters, on log–log axes, with our fitted line facts = slope ×
 * parameters and A's reference line facts = 0.15 × parameters. Hovering a point reads it out.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, scaleLog, schemeTableau10, select, symbolCircle } from 'd3';
import type { AssocCapacityPoint, AssocFit } from './assoc';
import { ChartFrame, drawGridAndYAxis, hoverMarks, joinGroups, Legend, styleSetMarks, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { MUTED } from '../../ui/figures/figureKit';
import { REFERENCE_SLOPE, summarizeCapacityPoints } from './story';
import { fmtInt, fmtLogTick, fmtNum } from '../../ui/format';

export interface AssocCapacityFigureProps {
  points: AssocCapacityPoint[];
  fit: AssocFit | null;
  /** e.g. "precomputed (CLI, wasm; H = 8, D = 8)". */
  label: string;
}

const COLOR = schemeTableau10[0];
const FIT_COLOR = schemeTableau10[0];
const LABEL = 'Scatter plot of the facts each model stores at 99% accuracy against its parameters, on log–log axes, with our fitted line and A’s reference line facts = 0.15 × parameters.';

interface Mark {
  key: string;
  set: 'pre';
  p: AssocCapacityPoint;
}

interface RefLine {
  key: 'fit' | 'reference';
  slope: number;
  text: string;
}

export const AssocCapacityFigure = memo(function AssocCapacityFigure({ points, fit, label }: AssocCapacityFigureProps) {
  const chart = useChart(22, { narrow: 230, wide: 290 });
  const { svgRef, readoutRef, layout: { narrow, plotW, plotH } } = chart;
  const shown = useMemo(() => points.filter((p) => p.facts > 0 && p.parameters > 0), [points]);
  const marks = useMemo<Mark[]>(() => shown.map((p) => ({ key: `${p.d}:${p.heads}:${p.headDim}:${p.width}`, set: 'pre', p })), [shown]);
  const lines = useMemo<RefLine[]>(
    () => [
      { key: 'reference', slope: REFERENCE_SLOPE, text: `A’s reference: ${fmtNum(REFERENCE_SLOPE)} × parameters` },
      ...(fit ? [{ key: 'fit' as const, slope: fit.slope, text: `our fit: ${fmtNum(fit.slope)} × parameters` }] : []),
    ],
    [fit],
  );
  const summary = useMemo(() => summarizeCapacityPoints(shown, fit), [shown, fit]);

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const plot = select(svgEl).select<SVGGElement>('g.plot');
    const ps = shown.map((p) => p.parameters);
    const fs = shown.map((p) => p.facts);
    const xLo = ps.length ? Math.min(...ps) / 1.5 : 100;
    const xHi = ps.length ? Math.max(...ps) * 1.5 : 1e5;
    const slopes = lines.map((l) => l.slope);
    const yLo = Math.min(...(fs.length ? fs : [10]), ...slopes.map((s) => s * xLo)) / 1.3;
    const yHi = Math.max(...(fs.length ? fs : [1e4]), ...slopes.map((s) => s * xHi)) * 1.3;
    const x = scaleLog().domain([xLo, xHi]).range([0, plotW]);
    const y = scaleLog().domain([yLo, yHi]).range([plotH, 0]);
    drawGridAndYAxis(plot, () => axisLeft(y).ticks(5, fmtLogTick as never), plotW);
    plot.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(narrow ? 4 : 6, fmtLogTick as never).tickSizeOuter(0));

    const refs = joinGroups(plot.select('g.refs'), 'ref', lines, (l) => l.key, (g) => {
      g.append('line');
      g.append('text').attr('text-anchor', 'end').style('font-size', '11px');
    })
      .attr('data-line', (l) => l.key)
      .attr('data-slope', (l) => l.slope);
    refs
      .select('line')
      .attr('x1', 0)
      .attr('x2', plotW)
      .attr('y1', (l) => y(l.slope * xLo))
      .attr('y2', (l) => y(l.slope * xHi))
      .attr('stroke', (l) => (l.key === 'fit' ? FIT_COLOR : MUTED))
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', (l) => (l.key === 'fit' ? null : '5 4'));
    // Each label near the right end, above its line if it is the higher one.
    const higher = lines.reduce((a, b) => (b.slope > a.slope ? b : a), lines[0]);
    refs
      .select('text')
      .attr('x', plotW - 4)
      .attr('y', (l) => y(l.slope * x.invert(plotW - 4)) + (l === higher ? -6 : 14))
      .style('fill', (l) => (l.key === 'fit' ? FIT_COLOR : MUTED))
      .text((l) => l.text);

    const dots = plot
      .select('g.marks')
      .selectAll<SVGPathElement, Mark>('path')
      .data(marks, (m) => m.key)
      .join('path')
      .attr('transform', (m) => `translate(${x(m.p.parameters)},${y(m.p.facts)})`)
      .attr('data-parameters', (m) => m.p.parameters)
      .attr('data-facts', (m) => m.p.facts);
    styleSetMarks(dots, () => symbolCircle, () => COLOR, { pre: 50, live: 50 });
    hoverMarks(dots, svgEl, readoutRef.current, marks.length ? 'Point at a mark to read it.' : '', (m) => {
      const p = m.p;
      return `d = ${p.d}, ${p.heads} heads of ${p.headDim}, MLP width ${p.width}: ${fmtInt(p.parameters)} parameters store S = R = ${fmtInt(p.size)}, ${fmtInt(p.facts)} facts (accuracy ${fmtNum(p.accuracy)}; ${fmtNum(p.facts / p.parameters)} per parameter)`;
    });
  }, [shown, marks, lines, plotW, plotH, narrow]);

  return (
    <FigureShell
      testId="figure-assoc-capacity"
      data={{ 'data-marks': marks.length, 'data-fit-slope': fit?.slope ?? '' }}
      title="Facts stored against parameters"
      look={
        <>
          the points lie along a line of slope 1 on these log–log axes: the facts a model stores grow in proportion to its parameters. Compare
          our fitted line with A’s reference, 0.15 facts per parameter.
        </>
      }
      exportName="assoc-capacity"
      summary={summary}
      descId={chart.descId}
    >
      <Legend
        items={[
          { key: 'points', mark: { symbol: symbolCircle, color: COLOR }, label: 'a model: its facts at ≥ 99%' },
          ...(fit ? [{ key: 'fit', mark: { line: FIT_COLOR }, label: `our fit, ${fmtNum(fit.slope)} × parameters (R² ${fmtNum(fit.r2)})` }] : []),
          { key: 'reference', mark: { line: MUTED, dash: '5 4' }, label: `A’s reference, ${fmtNum(REFERENCE_SLOPE)} × parameters` },
        ]}
      >
        {label && <span className="fig-legend-item wrap">{label}</span>}
      </Legend>
      <ChartFrame {...chart.frame} label={LABEL} layers={['refs', 'marks']} yTitle="facts stored (S·R, log)" xTitle="parameters 4·H·dh·d + 2·m·d (log)" />
    </FigureShell>
  );
});
