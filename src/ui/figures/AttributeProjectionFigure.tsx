/**
 * Subject embeddings projected onto attribute vectors (docs/science.md §4): a heat map of
 * cos(B_r e_s, u_a) for K sampled subjects, the held-out probe accuracy per relation (ridge chosen by
 * GCV), and the superposition R² with the relation-symmetric baseline beside it as a reference and a
 * warning when the fit has nearly as many features as fitted subjects.
 */
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { axisBottom, axisLeft, scaleBand, scaleLinear, select } from 'd3';
import type { ProbeReport, ProjectionSample, SuperpositionReport } from '../../core/measure/measure';
import { drawGridAndYAxis, drawRules, Legend } from './ChartFrame';
import { FigureShell } from './FigureShell';
import { RelationSelect } from './RelationSelect';
import { HeatMap } from './HeatMap';
import { BG, DIVERGING, FG, GRID, MUTED, clamp, relationColor, textOn, useContainerWidth } from './figureKit';
import { cellSize, heatFrame, labelEvery } from './heatMap';
import { projectionView } from './views';
import { interpolationNote, ridgeNote, summarizeProjection } from './summaries';
import { fmtInt, fmtNum } from '../format';

export interface AttributeProjectionFigureProps {
  projection: ProjectionSample;
  probe: ProbeReport;
  superposition: SuperpositionReport;
  relations: number;
  onRelationChange(r: number): void;
  step: number;
  /** A click on a row: follow that subject's fact for the shown relation (the "Follow one fact" figure). */
  onSelectSubject?(subject: number, relation: number): void;
}

const HEAT_MAX_W = 520;
const HEAT_MAX_H = 420;
const BASE_M = { right: 10, top: 6, bottom: 44 };

export function AttributeProjectionFigure(props: AttributeProjectionFigureProps) {
  const { projection, probe, superposition, relations, onRelationChange, step, onSelectSubject } = props;
  const [showAll, setShowAll] = useState(false);
  const [pending, setPending] = useState<number | null>(null);
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const barsRef = useRef<SVGSVGElement>(null);
  const descId = useId();

  useEffect(() => {
    if (pending !== null && projection.relation === pending) setPending(null);
  }, [projection.relation, pending]);
  const selected = pending ?? projection.relation;

  const n = projection.n;
  const K = Math.min(projection.targets.length, n > 0 ? Math.floor(projection.scores.length / n) : 0);
  // Room for the longest subject id left of the heat map.
  const M = { ...BASE_M, left: 26 + Math.ceil(String(Math.max(1, n - 1)).length * 6.2) };
  const heatW = Math.min(HEAT_MAX_W, Math.max(240, width));
  const availW = heatW - M.left - M.right;
  const rowPx = cellSize(Math.min(availW, HEAT_MAX_H), K, 1, 14);
  const view = useMemo(() => projectionView(projection, showAll, availW), [projection, showAll, availW]);
  const colPx = showAll ? (view.binSize > 1 ? 1 : cellSize(availW, Math.max(1, view.cols), 1, 14)) : rowPx;
  const empty = view.rows === 0 || view.cols === 0;
  const plotW = empty ? Math.min(availW, 240) : view.cols * colPx;
  const plotH = empty ? 160 : view.rows * rowPx;
  const frame = heatFrame(M, plotW, plotH, 120);
  const svgW = frame.width;
  const marks = view.rows * view.cols;
  const summary = summarizeProjection({ projection, probe, superposition, relations, step });
  // The side panel sits beside the heat map when at least 240 px are left (28 px gap), else below it.
  const besideW = width - Math.min(svgW, width) - 28;
  const sideW = Math.max(200, besideW >= 240 ? Math.min(340, besideW) : Math.min(340, width));

  // Axes and the right attributes' outlines over the heat map.
  const drawAxes = (svgEl: SVGSVGElement) => {
    const svg = select(svgEl);
    const rowEvery = labelEvery(rowPx, 13);
    const y = scaleBand<number>()
      .domain(Array.from({ length: view.rows }, (_, i) => i))
      .range([0, plotH]);
    svg
      .select<SVGGElement>('g.axis-y')
      .attr('transform', `translate(${M.left},${M.top})`)
      .call(
        axisLeft(y)
          .tickValues(y.domain().filter((i) => i % rowEvery === 0))
          .tickFormat((i) => String(projection.subjects[i]))
          .tickSize(3),
      )
      .call((g) => g.select('.domain').remove());
    const ax = svg.select<SVGGElement>('g.axis-x').attr('transform', `translate(${M.left},${M.top + plotH})`);
    if (!showAll) {
      const x = scaleBand<number>()
        .domain(Array.from({ length: view.cols }, (_, j) => j))
        .range([0, plotW]);
      const colEvery = labelEvery(colPx, String(Math.max(1, n - 1)).length * 6.5 + 8);
      ax.call(
        axisBottom(x)
          .tickValues(x.domain().filter((j) => j % colEvery === 0))
          .tickFormat((j) => String(view.colAttribute[j]))
          .tickSize(3),
      );
    } else {
      const x = scaleLinear()
        .domain([0, view.cols * view.binSize])
        .range([0, plotW]);
      ax.call(axisBottom(x).ticks(Math.max(2, Math.floor(plotW / 70))).tickSize(3).tickSizeOuter(0));
    }
    ax.call((g) => g.select('.domain').attr('stroke', GRID));

    // Outline the right attribute of each row (all-attribute view; the reordered view has it on the diagonal).
    const marksData = showAll ? Array.from({ length: view.rows }, (_, i) => i) : [];
    for (const [cls, stroke, sw] of [
      ['g.targets-halo', BG, 3.2],
      ['g.targets', FG, 1.2],
    ] as const) {
      svg
        .select(cls)
        .attr('transform', `translate(${M.left},${M.top})`)
        .selectAll<SVGRectElement, number>('rect')
        .data(marksData)
        .join('rect')
        .attr('x', (i) => view.targetCol[i] * colPx - 1.5)
        .attr('y', (i) => i * rowPx - 0.5)
        .attr('width', colPx + 3)
        .attr('height', rowPx + 1)
        .attr('fill', 'none')
        .attr('stroke', stroke)
        .attr('stroke-width', sw);
    }
  };

  const readout = ({ row: i, col: j }: { row: number; col: number | null }) => {
    if (j === null) return null;
    const s = projection.subjects[i];
    const v = view.values[i * view.cols + j];
    const right = view.targetCol[i] === j;
    if (!showAll || view.binSize === 1) {
      return `subject ${s} · attribute ${view.colAttribute[j]}${right ? ' (its right answer)' : ''} · cos ${fmtNum(v)}`;
    }
    const a0 = view.colAttribute[j];
    const a1 = Math.min(n, a0 + view.binSize) - 1;
    return `subject ${s} · attributes ${a0}–${a1}${right ? ' (include its right answer)' : ''} · most extreme cos ${fmtNum(v)}`;
  };

  // Probe accuracy bars.
  const barsH = 176;
  useEffect(() => {
    const svgEl = barsRef.current;
    if (!svgEl) return;
    const bm = { left: 46, right: 10, top: 18, bottom: 34 };
    const w = sideW - bm.left - bm.right;
    const h = barsH - bm.top - bm.bottom;
    const R = Math.max(0, relations);
    const rels = Array.from({ length: R }, (_, r) => r);
    const x = scaleBand<number>().domain(rels).range([0, w]).padding(0.28);
    const y = scaleLinear().domain([0, 1]).range([h, 0]);
    const svg = select(svgEl);
    const root = svg.select<SVGGElement>('g.root').attr('transform', `translate(${bm.left},${bm.top})`);
    drawGridAndYAxis(
      root,
      () => axisLeft(y).tickValues([0, 0.25, 0.5, 0.75, 1]).tickSize(3).tickFormat((v) => String(Number(v))),
      w,
      () => axisLeft(y).tickValues([0, 0.5, 1]),
    );
    root
      .select<SVGGElement>('g.axis-x')
      .attr('transform', `translate(0,${h})`)
      .call(axisBottom(x).tickFormat((r) => (x.bandwidth() >= 22 ? `r${r}` : String(r))).tickSize(0).tickPadding(6))
      .call((g) => g.select('.domain').attr('stroke', GRID));
    const acc = (r: number) => {
      const v = probe.heldOutAccuracy[r];
      return Number.isFinite(v) ? clamp(v, 0, 1) : 0;
    };
    root
      .select('g.bars')
      .selectAll<SVGRectElement, number>('rect')
      .data(rels)
      .join('rect')
      .attr('x', (r) => x(r) ?? 0)
      .attr('width', x.bandwidth())
      .attr('y', (r) => y(acc(r)))
      .attr('height', (r) => h - y(acc(r)))
      .attr('fill', (r) => relationColor(r))
      .attr('stroke', (r) => (r === projection.relation ? FG : 'none'))
      .attr('stroke-width', 2);
    root
      .select('g.train-ticks')
      .selectAll<SVGLineElement, number>('line')
      .data(rels.filter((r) => Number.isFinite(probe.trainAccuracy[r])))
      .join('line')
      .attr('x1', (r) => (x(r) ?? 0) - 3)
      .attr('x2', (r) => (x(r) ?? 0) + x.bandwidth() + 3)
      .attr('y1', (r) => y(clamp(probe.trainAccuracy[r], 0, 1)))
      .attr('y2', (r) => y(clamp(probe.trainAccuracy[r], 0, 1)))
      .attr('stroke', FG)
      .attr('stroke-width', 2);
    const inside = (r: number) => h - y(acc(r)) >= 18;
    root
      .select('g.values')
      .selectAll<SVGTextElement, number>('text')
      .data(x.bandwidth() >= 20 ? rels : [])
      .join('text')
      .attr('x', (r) => (x(r) ?? 0) + x.bandwidth() / 2)
      .attr('y', (r) => (inside(r) ? y(acc(r)) + 13 : y(acc(r)) - 5))
      .attr('text-anchor', 'middle')
      .style('font-size', '10px')
      .style('font-variant-numeric', 'tabular-nums')
      .style('fill', (r) => (inside(r) ? textOn(relationColor(r)) : FG))
      .text((r) => fmtNum(probe.heldOutAccuracy[r]));
    const chance = n > 0 ? 1 / n : 0;
    drawRules(root.select('g.chance'), [chance], { y, width: w, dash: () => '4 3', strokeWidth: 1.5 });
  }, [probe, relations, sideW, n, projection.relation]);

  const onSelect = (ev: ChangeEvent<HTMLSelectElement>) => {
    const r = Number(ev.target.value);
    setPending(r);
    onRelationChange(r);
  };

  const r2 = superposition.heldOutR2;
  const warning = interpolationNote(superposition);

  return (
    <FigureShell
      testId="figure-projection"
      data={{ 'data-marks': marks, 'data-step': step }}
      title="Subject embeddings, projected onto attribute vectors"
      look={
        <>
          each row is a subject, each column an attribute vector; colour is the cosine between the probe’s image of the
          subject and the attribute. Watch the diagonal appear: every subject comes to point at its own attribute — and the
          probes find that for every relation at once, in the same embedding.
        </>
      }
      exportName="projection"
      summary={summary}
      descId={descId}
    >
      <div className="fig-controls">
        <RelationSelect value={selected} relations={relations} onChange={onSelect} />
        <label>
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
          Show all {fmtInt(n)} attributes (in id order)
        </label>
        {pending !== null && <span className="fig-note" aria-live="polite">loading relation {pending}…</span>}
      </div>
      <div ref={wrapRef} style={{ width: '100%' }}>
        <div className="fig-body">
          <div className="fig-panel" style={{ width: svgW, maxWidth: '100%' }}>
            <p className="fig-subtitle">
              cos(B<sub>{projection.relation}</sub> e<sub>s</sub>, u<sub>a</sub>), relation {projection.relation}
            </p>
            <HeatMap
              cells={{ rows: view.rows, cols: view.cols, cellW: colPx, cellH: rowPx, values: view.values }}
              scale={DIVERGING}
              frame={frame}
              label={
                showAll
                  ? `Heat map of probe cosine scores for relation ${projection.relation}: ${view.rows} sampled subjects by all ${n} attributes, right attributes outlined.`
                  : `Heat map of probe cosine scores for relation ${projection.relation}: ${view.rows} sampled subjects by their ${view.cols} target attributes; the right answers lie on the diagonal.`
              }
              descId={descId}
              titles={{
                y: 'sampled subject s',
                yX: 11,
                x: [
                  {
                    text: showAll
                      ? view.binSize > 1
                        ? `attribute a (${view.binSize} per column, most extreme shown)`
                        : 'attribute a'
                      : 'attribute π_r(s) of each row (reordered)',
                    x: M.left + plotW / 2,
                  },
                ],
              }}
              empty={empty}
              draw={drawAxes}
              idle={
                (showAll
                  ? 'Hover a cell to read its value. Outlined: the right attribute π_r(s) of each subject.'
                  : 'Hover a cell to read its value. The diagonal holds each subject’s right attribute π_r(s).') +
                (onSelectSubject ? ' Click a row to follow that subject’s fact below.' : '')
              }
              readout={readout}
              onCellClick={onSelectSubject && (({ row }) => onSelectSubject(projection.subjects[row], projection.relation))}
              legend={{ label: 'cos(B_r e_s, u_a)', width: Math.min(heatW, 260) }}
              layers={['axis-y', 'axis-x', 'targets-halo', 'targets']}
            />
          </div>
          <div className="fig-side" style={{ width: sideW }}>
            <p className="fig-subtitle">Held-out probe accuracy per relation</p>
            <svg
              ref={barsRef}
              width={sideW}
              height={barsH}
              role="img"
              aria-label={`Bar chart of held-out probe accuracy for each of ${relations} relations, with a chance line at 1/${n}.`}
              aria-describedby={descId}
              style={{ display: 'block', color: MUTED, overflow: 'visible' }}
            >
              <g className="root">
                <g className="grid" />
                <g className="axis-y" />
                <g className="axis-x" />
                <g className="chance" />
                <g className="bars" />
                <g className="train-ticks" />
                <g className="values" style={{ color: FG }} />
                <text className="fig-axis-title" transform={`translate(-36,${(barsH - 52) / 2}) rotate(-90)`} textAnchor="middle">
                  accuracy
                </text>
              </g>
            </svg>
            <Legend
              items={[
                { key: 'held-out', mark: { swatch: MUTED, box: true }, label: 'bars: held-out 20%' },
                { key: 'fitted', mark: { swatch: FG, height: 2 }, label: 'tick: fitted 80%' },
                { key: 'chance', mark: { line: MUTED, dash: '4 3', strokeWidth: 1.5, length: 18 }, label: 'chance 1/N' },
              ]}
            />
            <p className="fig-note" data-testid="probe-ridge">
              {ridgeNote(probe)}
            </p>
            <div className="fig-stat" data-testid="superposition-stat">
              <div className="fig-stat-value">
                R² = {fmtNum(r2)}{' '}
                <span className="fig-stat-sub" style={{ display: 'inline' }}>
                  (shared-map baseline {fmtNum(superposition.baselineHeldOutR2)})
                </span>
              </div>
              <div className="fig-stat-sub">
                superposition fit on held-out subjects · {fmtNum(superposition.trainR2)} on the fitted ones
              </div>
              <p>
                How much of the subject embeddings is explained as e<sub>s</sub> ≈ Σ<sub>r</sub> A<sub>r</sub> u
                <sub>π_r(s)</sub>: the sum of the subject’s own attribute vectors, each moved by one linear map per
                relation shared by all subjects. 1 means every embedding is exactly such a superposition.
              </p>
              <p>
                The baseline e<sub>s</sub> ≈ A Σ<sub>r</sub> u<sub>π_r(s)</sub> uses one map for every relation. It is a
                reference, not a test: it is not 0 even for a perfect model (about 1/R for the construction); what the
                relations’ own maps add is the gap, here {fmtNum(r2 - superposition.baselineHeldOutR2)}.
              </p>
              {warning && (
                <p className="fig-note" role="note" data-testid="superposition-interpolates">
                  ⚠ {warning}
                </p>
              )}
            </div>
          </div>
        </div>
      </div>
    </FigureShell>
  );
}
