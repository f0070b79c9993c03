/**
 * Multi-hop (docs/science.md §6): accuracy on 2-hop queries against d (log scale) for chain of thought
 * (answering hop by hop with the single-hop model) and for the direct model (one pass), beside the
 * single-hop accuracy and chance. Precomputed points are filled with solid lines; live ones hollow with
 * dashed lines. The three series are nudged a few pixels apart where they coincide.
 */
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, line, scaleLog, scaleLinear, schemeTableau10, select, symbol, symbolCircle, symbolDiamond, symbolSquare, type SymbolType } from 'd3';
import type { MultihopPoint } from './multihopPoint';
import '../../ui/figures/figures.css';
import { ChartFrame, chartLayout, drawGridAndYAxis, SymbolLegend } from '../../ui/figures/ChartFrame';
import { FigureExport } from '../../ui/figures/FigureExport';
import { BG, MUTED, useContainerWidth } from '../../ui/figures/figureKit';
import { summarizeMultihop } from './story';
import { fmtChance, fmtInt, fmtNum } from '../../ui/format';

export interface MultihopSet {
  points: MultihopPoint[];
  /** Bijection size: chance is 1/n. */
  n: number;
  label: string;
}

export interface MultihopFigureProps {
  precomputed: MultihopSet | null;
  live: MultihopSet | null;
}

export type MultihopSeries = 'single' | 'cot' | 'direct';
export const MULTIHOP_SERIES: readonly MultihopSeries[] = ['single', 'cot', 'direct'];
export const MULTIHOP_LABEL: Record<MultihopSeries, string> = {
  single: 'single hop',
  cot: 'chain of thought, 2 hops',
  direct: 'direct, 2 hops in one pass',
};
const COLOR: Record<MultihopSeries, string> = { single: schemeTableau10[9], cot: schemeTableau10[0], direct: schemeTableau10[2] };
const SHAPE: Record<MultihopSeries, SymbolType> = { single: symbolCircle, cot: symbolDiamond, direct: symbolSquare };
const NUDGE: Record<MultihopSeries, number> = { single: -5, cot: 0, direct: 5 };

const valueOf = (p: MultihopPoint, s: MultihopSeries) => (s === 'single' ? p.singleHopAccuracy : s === 'cot' ? p.cotAccuracy : p.directAccuracy);

interface Mark {
  key: string;
  set: 'pre' | 'live';
  series: MultihopSeries;
  d: number;
  value: number;
}

interface Curve {
  key: string;
  set: 'pre' | 'live';
  series: MultihopSeries;
  points: Mark[];
}

/** Memoised: the chapters re-render on every progress message, the figure only when its points change. */
export const MultihopFigure = memo(function MultihopFigure({ precomputed, live }: MultihopFigureProps) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const titleId = useId();
  const descId = useId();

  const { marks, curves } = useMemo(() => {
    const marks: Mark[] = [];
    const curves: Curve[] = [];
    for (const [name, set] of [
      ['pre', precomputed],
      ['live', live],
    ] as const) {
      if (!set) continue;
      const sorted = set.points.slice().sort((a, b) => a.d - b.d);
      for (const series of MULTIHOP_SERIES) {
        const pts = sorted.map((p) => ({ key: `${name}-${series}-${p.d}`, set: name, series, d: p.d, value: valueOf(p, series) }));
        marks.push(...pts.filter((m) => Number.isFinite(m.value)));
        curves.push({ key: `${name}-${series}`, set: name, series, points: pts });
      }
    }
    return { marks, curves };
  }, [precomputed, live]);
  const chances = useMemo(
    () =>
      [
        ['pre', precomputed],
        ['live', live],
      ]
        .filter(([, s]) => s && (s as MultihopSet).points.length > 0)
        .map(([name, s]) => ({ set: name as 'pre' | 'live', value: 1 / (s as MultihopSet).n })),
    [precomputed, live],
  );
  const summary = useMemo(
    () =>
      summarizeMultihop([
        ...(precomputed ? [{ label: precomputed.label, points: precomputed.points }] : []),
        ...(live ? [{ label: live.label, points: live.points }] : []),
      ]),
    [precomputed, live],
  );

  const layout = chartLayout(width, 12, { narrow: 220, wide: 270 });
  const { narrow, plotW, plotH } = layout;

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const svg = select(svgEl);
    const ds = [...new Set(marks.map((m) => m.d))].sort((a, b) => a - b);
    const lo = ds.length ? ds[0] : 2;
    const hi = ds.length ? ds[ds.length - 1] : 64;
    const x = scaleLog()
      .base(2)
      .domain([lo / 1.3, hi * 1.3])
      .range([0, plotW]);
    const y = scaleLinear().domain([0, 1.04]).range([plotH, 0]);
    const every = Math.max(1, Math.ceil(ds.length / (narrow ? 6 : 12)));
    const plot = svg.select<SVGGElement>('g.plot');
    drawGridAndYAxis(plot, () => axisLeft(y).tickValues([0, 0.25, 0.5, 0.75, 1]).tickFormat((v) => String(Number(v))), plotW);
    plot
      .select<SVGGElement>('g.axis-x')
      .call(
        axisBottom(x)
          .tickValues(ds.filter((_, i) => i % every === 0))
          .tickFormat((v) => fmtInt(Number(v)))
          .tickSizeOuter(0),
      );
    plot
      .select('g.chance')
      .selectAll<SVGLineElement, { set: string; value: number }>('line')
      .data(chances, (c) => c.set)
      .join('line')
      .attr('x1', 0)
      .attr('x2', plotW)
      .attr('y1', (c) => y(c.value))
      .attr('y2', (c) => y(c.value))
      .attr('stroke', MUTED)
      .attr('stroke-dasharray', (c) => (c.set === 'live' ? '2 3' : '6 4'));
    const px = (m: Mark) => x(m.d) + NUDGE[m.series];
    plot
      .select('g.curves')
      .selectAll<SVGPathElement, Curve>('path')
      .data(curves, (c) => c.key)
      .join('path')
      .attr('fill', 'none')
      .attr('stroke', (c) => COLOR[c.series])
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', (c) => (c.set === 'live' ? '5 4' : null))
      .attr('d', (c) =>
        line<Mark>()
          .defined((m) => Number.isFinite(m.value))
          .x(px)
          .y((m) => y(m.value))(c.points),
      );
    const out = readoutRef.current;
    const idle = marks.length ? 'Point at a mark to read it.' : '';
    if (out && !svgEl.dataset.hovering) out.textContent = idle;
    plot
      .select('g.marks')
      .selectAll<SVGPathElement, Mark>('path')
      .data(marks, (m) => m.key)
      .join('path')
      .attr('d', (m) => symbol(SHAPE[m.series], m.set === 'live' ? 44 : 52)())
      .attr('transform', (m) => `translate(${px(m)},${y(m.value)})`)
      .attr('fill', (m) => (m.set === 'live' ? BG : COLOR[m.series]))
      .attr('stroke', (m) => (m.set === 'live' ? COLOR[m.series] : BG))
      .attr('stroke-width', (m) => (m.set === 'live' ? 2 : 1))
      .attr('data-set', (m) => m.set)
      .attr('data-series', (m) => m.series)
      .on('pointerenter', (_ev, m) => {
        svgEl.dataset.hovering = '1';
        if (out) out.textContent = `${MULTIHOP_LABEL[m.series]}, d = ${m.d}: accuracy ${fmtNum(m.value)} (${m.set === 'live' ? 'live' : 'precomputed'})`;
      })
      .on('pointerleave', () => {
        delete svgEl.dataset.hovering;
        if (out) out.textContent = idle;
      });
  }, [marks, curves, chances, plotW, plotH, narrow]);

  return (
    <figure className="fig" data-testid="figure-multihop" data-marks={marks.length} data-live-marks={marks.filter((m) => m.set === 'live').length} aria-labelledby={titleId}>
      <h3 className="fig-title" id={titleId}>
        Two hops: chain of thought against one pass, by embedding dimension
      </h3>
      <p className="fig-look">
        What to look for: chain of thought sits on single hop wherever single hop is perfect; the direct model needs a larger d to
        catch up, if it does.
      </p>
      <SymbolLegend series={MULTIHOP_SERIES.map((s) => ({ key: s, shape: SHAPE[s], color: COLOR[s], label: MULTIHOP_LABEL[s] }))}>
        <span className="fig-legend-item wrap">
          dashed grey: chance{chances.map((c) => ` ${fmtChance(c.value)}${chances.length > 1 ? ` (${c.set === 'pre' ? 'precomputed' : 'live'})` : ''}`).join(',')}
        </span>
        <span className="fig-legend-item wrap">filled, solid: {precomputed?.label ?? 'precomputed'}</span>
        {live && <span className="fig-legend-item wrap">hollow, dashed: {live.label}</span>}
      </SymbolLegend>
      <div ref={wrapRef} style={{ width: '100%' }}>
        <ChartFrame
          layout={layout}
          svgRef={svgRef}
          descId={descId}
          label="Line chart of accuracy on 2-hop queries against the embedding dimension d (log scale), for chain of thought and for the direct one-pass model, with single-hop accuracy and chance."
          layers={['chance', 'curves', 'marks']}
          yTitle="accuracy"
          xTitle="d, embedding dimension (log scale)"
        />
      </div>
      <p className="fig-readout" ref={readoutRef} aria-hidden="true" />
      <FigureExport name="multihop" />
      <figcaption className="fig-sr" id={descId}>
        {summary}
      </figcaption>
    </figure>
  );
});
