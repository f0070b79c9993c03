/**
 * The scores of a graph run against the step (docs/science.md §8): the geometric score (mean cosine of
 * an edge's ends), the same over non-edges, and top-5 edge recovery; the phase where the shape is
 * clearest shaded (story.ts), a dashed line at the first step of 100% recovery, and a solid line at
 * the step being viewed. Clicking the plot views the nearest recorded step.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, bisector, pointer, scaleLinear, schemeTableau10, select } from 'd3';
import type { GraphFrame } from './train';
import { ChartFrame, drawGridAndYAxis, drawStepSeries, hoverOverlay, stepScale, Legend, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { FG, MUTED, readoutLine } from '../../ui/figures/figureKit';
import { fmtInt, fmtNum, stepTickFormat } from '../../ui/format';

type Series = 'geometric' | 'nonEdge' | 'topK';
const SERIES: readonly Series[] = ['geometric', 'nonEdge', 'topK'];
const SERIES_LABEL: Record<Series, string> = { geometric: 'geometric score (edges’ cosine)', nonEdge: 'non-edges’ cosine', topK: 'top-5 edge recovery' };
const COLOR: Record<Series, string> = { geometric: schemeTableau10[0], nonEdge: schemeTableau10[1], topK: schemeTableau10[2] };
const DASH: Record<Series, string | null> = { geometric: null, nonEdge: '6 3', topK: '2 3' };
const PHASE_FILL = schemeTableau10[4];

export interface GraphScoresFigureProps {
  frames: readonly GraphFrame[];
  /** The step budget: the x axis' end. */
  steps: number;
  /** The clearest-shape phase, the first step of 100% recovery, the viewed step. */
  phase: { from: number; to: number } | null;
  firstFull: number | null;
  view: number | null;
  label: string;
  summary: string;
  /** Views the recorded step nearest a click. */
  onPick?: (step: number) => void;
}

const LABEL = 'Line chart of the geometric score, the non-edges’ cosine and top-5 edge recovery against the training step, with the phase where the shape is clearest shaded and a line at the step being viewed.';

export const GraphScoresFigure = memo(function GraphScoresFigure({ frames, steps, phase, firstFull, view, label, summary, onPick }: GraphScoresFigureProps) {
  const chart = useChart(22, { narrow: 200, wide: 240 });
  const { svgRef, readoutRef, layout: { narrow, plotW, plotH } } = chart;
  const low = useMemo(() => Math.min(0, ...frames.map((f) => Math.min(f.geometric, f.nonEdge)).filter(Number.isFinite)), [frames]);

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const plot = select(svgEl).select<SVGGElement>('g.plot');
    const { maxStep, x } = stepScale(steps, frames, plotW);
    const y = scaleLinear().domain([low, 1]).range([plotH, 0]).nice();
    drawGridAndYAxis(plot, () => axisLeft(y).ticks(5), plotW);
    plot.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(narrow ? 4 : 7).tickFormat((v) => stepTickFormat(maxStep)(Number(v))).tickSizeOuter(0));

    const bands = phase ? [phase] : [];
    plot
      .select('g.phase')
      .selectAll<SVGRectElement, { from: number; to: number }>('rect')
      .data(bands)
      .join('rect')
      .attr('data-from', (b) => b.from)
      .attr('data-to', (b) => b.to)
      .attr('x', (b) => x(b.from))
      .attr('width', (b) => Math.max(2, x(b.to) - x(b.from)))
      .attr('y', 0)
      .attr('height', plotH)
      .attr('fill', PHASE_FILL)
      .attr('opacity', 0.18);
    const marks = [
      ...(firstFull !== null ? [{ key: 'first', step: firstFull, dash: '5 4', color: MUTED }] : []),
      ...(view !== null ? [{ key: 'view', step: view, dash: null, color: FG }] : []),
    ];
    plot
      .select('g.marks')
      .selectAll<SVGLineElement, (typeof marks)[number]>('line')
      .data(marks, (m) => m.key)
      .join('line')
      .attr('class', (m) => `mark-${m.key}`)
      .attr('data-step', (m) => m.step)
      .attr('x1', (m) => x(m.step))
      .attr('x2', (m) => x(m.step))
      .attr('y1', 0)
      .attr('y2', plotH)
      .attr('stroke', (m) => m.color)
      .attr('stroke-width', (m) => (m.key === 'view' ? 1.5 : 1))
      .attr('stroke-dasharray', (m) => m.dash);

    drawStepSeries(plot.select('g.lines'), SERIES, frames as GraphFrame[], { x, y }, { color: COLOR, dash: DASH });

    const out = readoutLine(svgEl, readoutRef.current, frames.length ? 'Point at the plot to read a step; click to view it.' : '');
    const near = bisector<GraphFrame, number>((f) => f.step).center;
    const at = (ev: PointerEvent | MouseEvent) => frames[near(frames as GraphFrame[], x.invert(pointer(ev)[0]))];
    hoverOverlay(plot, plotW, plotH)
      .style('cursor', onPick ? 'pointer' : 'default')
      .on('pointermove', (ev: PointerEvent) => {
        const f = frames.length ? at(ev) : undefined;
        if (f) out.show(`step ${fmtInt(f.step)}: geometric score ${fmtNum(f.geometric)}, non-edges ${fmtNum(f.nonEdge)}, top-5 recovery ${fmtNum(100 * f.topK, 0)}%`);
      })
      .on('pointerleave', () => out.hide())
      .on('click', (ev: MouseEvent) => {
        const f = frames.length ? at(ev) : undefined;
        if (f && onPick) onPick(f.step);
      });
  }, [frames, steps, phase, firstFull, view, low, plotW, plotH, narrow, onPick]);

  return (
    <FigureShell
      testId="figure-graph-scores"
      data={{ 'data-points': frames.length, 'data-view': view ?? '', 'data-phase': phase ? `${phase.from}-${phase.to}` : '' }}
      title="Scores over training: the edges learnt, the shape made"
      look={
        <>
          the geometric score climbs with top-5 recovery while the non-edges stay lower: neighbours’ embeddings point the same way. The shaded
          phase is where the picture is clearest; after it, the score can fall while recovery stays at 100%.
        </>
      }
      exportName="graph-scores"
      summary={summary}
      descId={chart.descId}
    >
      <Legend items={SERIES.map((s) => ({ key: s, mark: { line: COLOR[s], dash: DASH[s] }, label: SERIES_LABEL[s] }))}>
        <span className="fig-legend-item">
          <span className="fig-swatch box" style={{ background: PHASE_FILL, opacity: 0.4 }} />
          shape clearest
        </span>
        {label && <span className="fig-legend-item wrap">{label}</span>}
      </Legend>
      <ChartFrame {...chart.frame} label={LABEL} layers={['phase', 'lines', 'marks', 'hover']} yTitle="score" xTitle="training step" />
    </FigureShell>
  );
});
