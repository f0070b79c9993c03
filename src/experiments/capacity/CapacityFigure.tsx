/**
 * Capacity (docs/science.md §5): d_min against log₂N for learned embeddings, frozen random embeddings (the
 * associative control) and the construction's d*, each with its least-squares line. Precomputed points
 * are filled with solid lines; live points (run in this browser) are hollow with dashed lines. A point
 * that did not reach 100% up to dMax is an upward arrow at dMax, left out of the fit.
 */
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, scaleLinear, schemeTableau10, select, symbol, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle, type SymbolType } from 'd3';
import type { CapacityPoint, LineFit } from './capacity';
import '../../ui/figures/figures.css';
import { ChartFrame, chartLayout, drawGridAndYAxis, SymbolLegend } from '../../ui/figures/ChartFrame';
import { FigureExport } from '../../ui/figures/FigureExport';
import { BG, MUTED, useContainerWidth } from '../../ui/figures/figureKit';
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
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const titleId = useId();
  const descId = useId();

  const preFits = useMemo(() => (precomputed ? capacityFits(precomputed.points) : null), [precomputed]);
  const liveFits = useMemo(() => (live ? capacityFits(live.points) : null), [live]);
  const marks = useMemo(() => [...marksOf(precomputed, 'pre'), ...marksOf(live, 'live')], [precomputed, live]);
  const segments = useMemo(() => [...segmentsOf(precomputed, 'pre', preFits), ...segmentsOf(live, 'live', liveFits)], [precomputed, live, preFits, liveFits]);
  const summary = useMemo(() => summarizeCapacity(precomputed, live), [precomputed, live]);
  const liveCount = live?.points.length ?? 0;

  const layout = chartLayout(width, 22, { narrow: 230, wide: 290 });
  const { narrow, plotW, plotH } = layout;

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
    const dmax = plot
      .select('g.dmax')
      .selectAll<SVGGElement, number>('g')
      .data(limits, (v) => String(v))
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('stroke', MUTED).attr('stroke-dasharray', '2 3');
        g.append('text').attr('text-anchor', 'start').attr('dy', -3).style('fill', MUTED);
        return g;
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

    const out = readoutRef.current;
    const describe = (m: Mark) => {
      const p = m.point;
      const where = m.set === 'live' ? 'live' : 'precomputed';
      if (p.arm === 'construction') return `${SERIES_LABEL.construction}, N = ${fmtInt(p.n)}: d* = ${p.dMin}${p.accuracy !== undefined ? `, accuracy ${fmtNum(p.accuracy)}` : ''} (${where})`;
      return m.unreached
        ? `${SERIES_LABEL[p.arm]}, N = ${fmtInt(p.n)}: not reached up to d = ${fmtInt(m.y)} (${where})`
        : `${SERIES_LABEL[p.arm]}, N = ${fmtInt(p.n)}: d_min = ${p.dMin} (${where})`;
    };
    const idle = marks.length ? 'Point at a mark to read it.' : '';
    if (out && !svgEl.dataset.hovering) out.textContent = idle;

    const groups = plot
      .select('g.marks')
      .selectAll<SVGGElement, Mark>('g.mark')
      .data(marks, (m) => m.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'mark');
        g.append('line').attr('class', 'stem');
        g.append('path').attr('class', 'shape');
        return g;
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
    groups
      .select<SVGPathElement>('path.shape')
      .attr('d', (m) => symbol(m.unreached ? symbolTriangle : SERIES_SYMBOL[m.point.arm], m.set === 'live' ? 52 : 60)())
      .attr('transform', (m) => (m.unreached ? 'translate(0,-16)' : null))
      .attr('fill', (m) => (m.set === 'live' ? BG : SERIES_COLOR[m.point.arm]))
      .attr('stroke', (m) => (m.set === 'live' ? SERIES_COLOR[m.point.arm] : BG))
      .attr('stroke-width', (m) => (m.set === 'live' ? 2 : 1));
    groups
      .on('pointerenter', (_ev, m) => {
        svgEl.dataset.hovering = '1';
        if (out) out.textContent = describe(m);
      })
      .on('pointerleave', () => {
        delete svgEl.dataset.hovering;
        if (out) out.textContent = idle;
      });
  }, [marks, segments, plotW, plotH, narrow]);

  const fitText = (fit: LineFit | null | undefined) => (fit ? `${fmtNum(fit.slope, 1)}` : '—');
  return (
    <figure className="fig" data-testid="figure-capacity" data-marks={marks.length} data-live-marks={liveCount} aria-labelledby={titleId}>
      <h3 className="fig-title" id={titleId}>
        Smallest d that learns every fact, against N
      </h3>
      <p className="fig-look">
        What to look for: how fast each series climbs as N doubles (one step right on the axis). The slope of a line is the number of
        extra dimensions each doubling of N costs.
      </p>
      <SymbolLegend series={CAPACITY_SERIES.map((s) => ({ key: s, shape: SERIES_SYMBOL[s], color: SERIES_COLOR[s], label: SERIES_LABEL[s] }))}>
        <span className="fig-legend-item wrap">filled, solid: {precomputed?.label ?? 'precomputed'}</span>
        {live && <span className="fig-legend-item wrap">hollow, dashed: {live.label}</span>}
        <span className="fig-legend-item wrap">▲ on a stem above the dotted line: not reached up to d max</span>
      </SymbolLegend>
      <div ref={wrapRef} style={{ width: '100%' }}>
        <ChartFrame
          layout={layout}
          svgRef={svgRef}
          descId={descId}
          label="Scatter plot of the smallest embedding dimension d_min that reaches 100% accuracy against N on a log scale, for learned embeddings, frozen random embeddings and the construction, with fitted lines."
          layers={['dmax', 'fits', 'marks']}
          yTitle="d_min"
          xTitle="N (log scale: one step = N doubled)"
        />
      </div>
      <p className="fig-readout" ref={readoutRef} aria-hidden="true" />
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
      <FigureExport name="capacity" />
      <figcaption className="fig-sr" id={descId}>
        {summary}
      </figcaption>
    </figure>
  );
});
