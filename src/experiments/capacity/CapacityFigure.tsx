/**
 * Capacity (docs/science.md §5): d_min against log₂N for learned embeddings, frozen random embeddings (the
 * associative control) and the construction's d*, each with its least-squares line. Precomputed points
 * are filled with solid lines; live points (run in this browser) are hollow with dashed lines. A point
 * that did not reach 100% up to dMax is an upward arrow at dMax, left out of the fit.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, scaleLinear, schemeTableau10, select, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle, type SymbolType } from 'd3';
import type { CapacityPoint, LineFit } from './capacity';
import { ChartFrame, drawGridAndYAxis, hoverMarks, joinGroups, Legend, SetKey, styleSetMarks, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { MUTED } from '../../ui/figures/figureKit';
import { CAPACITY_SERIES, SERIES_LABEL, capacityFits, summarizeCapacity, type CapacitySeries } from './story';
import { fmtInt, fmtNum } from '../../ui/format';

export interface CapacitySet {
  points: CapacityPoint[];
  /** Largest d searched: where unreached points are drawn. */
  dMax: number;
  /** e.g. "precomputed (CLI, wasm, seed 1, 1,000 steps)". */
  label: string;
}

export interface CapacityFigureProps {
  precomputed: CapacitySet | null;
  live: CapacitySet | null;
}

export const SERIES_COLOR: Record<CapacitySeries, string> = {
  learned: schemeTableau10[0],
  frozen: schemeTableau10[1],
  construction: schemeTableau10[6],
};

const SERIES_SYMBOL: Record<CapacitySeries, SymbolType> = { learned: symbolCircle, frozen: symbolSquare, construction: symbolDiamond };

/** The drawing's accessible name. */
const LABEL =
  'Scatter plot of the smallest embedding dimension d_min that reaches 100% accuracy against N on a log scale, for learned embeddings, frozen random embeddings and the construction, with fitted lines.';

/** Pixels each series is nudged sideways, so equal values at one N stay visible. */
const NUDGE: Record<CapacitySeries, number> = { learned: -4, frozen: 4, construction: 0 };

interface Mark {
  key: string;
  set: 'pre' | 'live';
  point: CapacityPoint;
  /** Drawn at dMax with an arrow: not reached. */
  unreached: boolean;
  y: number;
}

interface FitSegment {
  key: string;
  set: 'pre' | 'live';
  series: CapacitySeries;
  fit: LineFit;
  x0: number;
  x1: number;
}

function marksOf(set: CapacitySet | null, name: 'pre' | 'live'): Mark[] {
  if (!set) return [];
  return set.points.map((p) => ({ key: `${name}-${p.arm}-${p.n}`, set: name, point: p, unreached: p.dMin === null, y: p.dMin ?? set.dMax }));
}

function segmentsOf(set: CapacitySet | null, name: 'pre' | 'live', fits: Record<CapacitySeries, LineFit | null> | null): FitSegment[] {
  if (!set || !fits) return [];
  const out: FitSegment[] = [];
  for (const series of CAPACITY_SERIES) {
    const fit = fits[series];
    const xs = set.points.filter((p) => p.arm === series && p.dMin !== null).map((p) => p.log2n);
    if (!fit || xs.length < 2) continue;
    out.push({ key: `${name}-${series}`, set: name, series, fit, x0: Math.min(...xs), x1: Math.max(...xs) });
  }
  return out;
}

/** Memoised: the chapters re-render on every progress message, the figure only when its points change. */
export const CapacityFigure = memo(function CapacityFigure({ precomputed, live }: CapacityFigureProps) {
  const chart = useChart(22, { narrow: 230, wide: 290 });
  const { svgRef, readoutRef, descId, layout: { narrow, plotW, plotH } } = chart;

  const preFits = useMemo(() => (precomputed ? capacityFits(precomputed.points) : null), [precomputed]);
  const liveFits = useMemo(() => (live ? capacityFits(live.points) : null), [live]);
  const marks = useMemo(() => [...marksOf(precomputed, 'pre'), ...marksOf(live, 'live')], [precomputed, live]);
  const segments = useMemo(() => [...segmentsOf(precomputed, 'pre', preFits), ...segmentsOf(live, 'live', liveFits)], [precomputed, live, preFits, liveFits]);
  const summary = useMemo(() => summarizeCapacity(precomputed, live), [precomputed, live]);
  const liveCount = live?.points.length ?? 0;

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const svg = select(svgEl);
    const xs = marks.map((m) => m.point.log2n);
    const lo = xs.length ? Math.min(...xs) : 4;
    const hi = xs.length ? Math.max(...xs) : 10;
    const x = scaleLinear().domain([lo - 0.4, hi + 0.4]).range([0, plotW]);
    const top = marks.length ? Math.max(...marks.map((m) => m.y)) : 32;
    const y = scaleLinear().domain([0, top * 1.1]).range([plotH, 0]).nice();
    const ticks: number[] = [];
    for (let k = Math.ceil(lo - 0.4); k <= Math.floor(hi + 0.4); k++) ticks.push(k);
    const every = Math.max(1, Math.ceil(ticks.length / (narrow ? 5 : 9)));
    const plot = svg.select<SVGGElement>('g.plot');
    drawGridAndYAxis(plot, () => axisLeft(y).ticks(5), plotW);
    plot
      .select<SVGGElement>('g.axis-x')
      .call(
        axisBottom(x)
          .tickValues(ticks.filter((_, i) => i % every === 0))
          .tickFormat((k) => fmtInt(2 ** Number(k)))
          .tickSizeOuter(0),
      );

    // Where the search stopped, for the sets with points that never reached 100%.
    const limits = [...new Set(marks.filter((m) => m.unreached).map((m) => m.y))];
    const dmax = joinGroups(plot.select('g.dmax'), 'limit', limits, (v) => v, (g) => {
      g.append('line').attr('stroke', MUTED).attr('stroke-dasharray', '2 3');
      g.append('text').attr('text-anchor', 'start').attr('dy', -3).style('fill', MUTED);
    })
      .attr('transform', (v) => `translate(0,${y(v)})`);
    dmax.select('line').attr('x1', 0).attr('x2', plotW);
    dmax
      .select('text')
      .attr('x', 4)
      .text((v) => `d max = ${v}`);

    plot
      .select('g.fits')
      .selectAll<SVGLineElement, FitSegment>('line')
      .data(segments, (s) => s.key)
      .join('line')
      .attr('x1', (s) => x(s.x0) + NUDGE[s.series])
      .attr('x2', (s) => x(s.x1) + NUDGE[s.series])
      .attr('y1', (s) => y(s.fit.slope * s.x0 + s.fit.intercept))
      .attr('y2', (s) => y(s.fit.slope * s.x1 + s.fit.intercept))
      .attr('stroke', (s) => SERIES_COLOR[s.series])
      .attr('stroke-width', (s) => (s.set === 'live' ? 1.75 : 1.5))
      .attr('stroke-dasharray', (s) => (s.set === 'live' ? '5 4' : null))
      .attr('opacity', 0.85);

    const describe = (m: Mark) => {
      const p = m.point;
      const where = m.set === 'live' ? 'live' : 'precomputed';
      if (p.arm === 'construction') return `${SERIES_LABEL.construction}, N = ${fmtInt(p.n)}: d* = ${p.dMin}${p.accuracy !== undefined ? `, accuracy ${fmtNum(p.accuracy)}` : ''} (${where})`;
      return m.unreached
        ? `${SERIES_LABEL[p.arm]}, N = ${fmtInt(p.n)}: not reached up to d = ${fmtInt(m.y)} (${where})`
        : `${SERIES_LABEL[p.arm]}, N = ${fmtInt(p.n)}: d_min = ${p.dMin} (${where})`;
    };
    const groups = joinGroups(plot.select('g.marks'), 'mark', marks, (m) => m.key, (g) => {
      g.append('line').attr('class', 'stem');
      g.append('path').attr('class', 'shape');
    })
      .attr('transform', (m) => `translate(${x(m.point.log2n) + NUDGE[m.point.arm]},${y(m.y)})`)
      .attr('data-set', (m) => m.set)
      .attr('data-arm', (m) => m.point.arm)
      .style('cursor', 'default');
    groups
      .select<SVGLineElement>('line.stem')
      .attr('y1', 0)
      .attr('y2', (m) => (m.unreached ? -16 : 0))
      .attr('stroke', (m) => SERIES_COLOR[m.point.arm])
      .attr('stroke-width', 2);
    const shapes = groups.select<SVGPathElement>('path.shape').attr('transform', (m) => (m.unreached ? 'translate(0,-16)' : null));
    styleSetMarks(shapes, (m) => (m.unreached ? symbolTriangle : SERIES_SYMBOL[m.point.arm]), (m) => SERIES_COLOR[m.point.arm], { pre: 60, live: 52 });
    hoverMarks(groups, svgEl, readoutRef.current, marks.length ? 'Point at a mark to read it.' : '', describe);
  }, [marks, segments, plotW, plotH, narrow]);

  const fitText = (fit: LineFit | null | undefined) => (fit ? `${fmtNum(fit.slope, 1)}` : '—');
  return (
    <FigureShell
      testId="figure-capacity"
      data={{ 'data-marks': marks.length, 'data-live-marks': liveCount }}
      title="Smallest d that learns every fact, against N"
      look={
        <>
          how fast each series climbs as N doubles (one step right on the axis). The slope of a line is the number of extra dimensions
          each doubling of N costs.
        </>
      }
      exportName="capacity"
      summary={summary}
      descId={descId}
    >
      <Legend items={CAPACITY_SERIES.map((s) => ({ key: s, mark: { symbol: SERIES_SYMBOL[s], color: SERIES_COLOR[s] }, label: SERIES_LABEL[s] }))}>
        <SetKey precomputed={precomputed?.label} live={live?.label} />
        <span className="fig-legend-item wrap">▲ on a stem above the dotted line: not reached up to d max</span>
      </Legend>
      <ChartFrame {...chart.frame} label={LABEL} layers={['dmax', 'fits', 'marks']} yTitle="d_min" xTitle="N (log scale: one step = N doubled)" />
      <table className="fig-fits" data-testid="capacity-fits">
        <caption>Fitted slope: extra dimensions per doubling of N</caption>
        <thead>
          <tr>
            <th scope="col">series</th>
            <th scope="col">precomputed</th>
            {live && <th scope="col">live</th>}
          </tr>
        </thead>
        <tbody>
          {CAPACITY_SERIES.map((s) => (
            <tr key={s}>
              <th scope="row">
                <span className="fig-swatch" style={{ background: SERIES_COLOR[s] }} /> {SERIES_LABEL[s]}
              </th>
              <td data-testid={`fit-pre-${s}`} data-slope={preFits?.[s]?.slope ?? ''}>
                {fitText(preFits?.[s])}
              </td>
              {live && (
                <td data-testid={`fit-live-${s}`} data-slope={liveFits?.[s]?.slope ?? ''}>
                  {fitText(liveFits?.[s])}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </FigureShell>
  );
});
