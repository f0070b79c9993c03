/**
 * Multi-hop (docs/science.md §6): accuracy on 2-hop queries against d (log scale) for chain of thought
 * (answering hop by hop with the single-hop model) and for the direct model (one pass), beside the
 * single-hop accuracy and chance. Precomputed points are filled with solid lines; live ones hollow with
 * dashed lines. The three series are nudged a few pixels apart where they coincide.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, line, scaleLog, scaleLinear, schemeTableau10, select, symbolCircle, symbolDiamond, symbolSquare, type SymbolType } from 'd3';
import type { MultihopPoint } from './multihopPoint';
import { ChartFrame, drawGridAndYAxis, drawLines, drawRules, hoverMarks, Legend, SetKey, styleSetMarks, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
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

/** The drawing's accessible name. */
const LABEL =
  'Line chart of accuracy on 2-hop queries against the embedding dimension d (log scale), for chain of thought and for the direct one-pass model, with single-hop accuracy and chance.';

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
  const chart = useChart(12, { narrow: 220, wide: 270 });
  const { svgRef, readoutRef, descId, layout: { narrow, plotW, plotH } } = chart;

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
    drawRules(plot.select('g.chance'), chances, { y: (c) => y(c.value), width: plotW, dash: (c) => (c.set === 'live' ? '2 3' : '6 4'), key: (c) => c.set });
    const px = (m: Mark) => x(m.d) + NUDGE[m.series];
    drawLines(plot.select('g.curves'), curves, (c) => c.key, {
      stroke: (c) => COLOR[c.series],
      width: 1.5,
      dash: (c) => (c.set === 'live' ? '5 4' : null),
      d: (c) =>
        line<Mark>()
          .defined((m) => Number.isFinite(m.value))
          .x(px)
          .y((m) => y(m.value))(c.points),
    });
    const points = plot
      .select('g.marks')
      .selectAll<SVGPathElement, Mark>('path')
      .data(marks, (m) => m.key)
      .join('path')
      .attr('transform', (m) => `translate(${px(m)},${y(m.value)})`)
      .attr('data-set', (m) => m.set)
      .attr('data-series', (m) => m.series);
    styleSetMarks(points, (m) => SHAPE[m.series], (m) => COLOR[m.series], { pre: 52, live: 44 });
    hoverMarks(points, svgEl, readoutRef.current, marks.length ? 'Point at a mark to read it.' : '', (m) =>
      `${MULTIHOP_LABEL[m.series]}, d = ${m.d}: accuracy ${fmtNum(m.value)} (${m.set === 'live' ? 'live' : 'precomputed'})`,
    );
  }, [marks, curves, chances, plotW, plotH, narrow]);

  return (
    <FigureShell
      testId="figure-multihop"
      data={{ 'data-marks': marks.length, 'data-live-marks': marks.filter((m) => m.set === 'live').length }}
      title="Two hops: chain of thought against one pass, by embedding dimension"
      look={
        <>
          chain of thought sits on single hop wherever single hop is perfect; the direct model needs a larger d to catch up, if it
          does.
        </>
      }
      exportName="multihop"
      summary={summary}
      descId={descId}
    >
      <Legend items={MULTIHOP_SERIES.map((s) => ({ key: s, mark: { symbol: SHAPE[s], color: COLOR[s] }, label: MULTIHOP_LABEL[s] }))}>
        <span className="fig-legend-item wrap">
          dashed grey: chance{chances.map((c) => ` ${fmtChance(c.value)}${chances.length > 1 ? ` (${c.set === 'pre' ? 'precomputed' : 'live'})` : ''}`).join(',')}
        </span>
        <SetKey precomputed={precomputed?.label} live={live?.label} />
      </Legend>
      <ChartFrame {...chart.frame} label={LABEL} layers={['chance', 'curves', 'marks']} yTitle="accuracy" xTitle="d, embedding dimension (log scale)" />
    </FigureShell>
  );
});
