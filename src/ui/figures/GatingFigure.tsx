/**
 * ReLU gating per relation (docs/science.md §4): a heat map of G[j, r], units sorted by preferred relation,
 * with each unit's selectivity beside it, and the causal knockout check as an R × R accuracy matrix:
 * only units whose selectivity passes the report's threshold are zeroed, the shared and dead ones
 * are counted apart.
 */
import { useId, useMemo } from 'react';
import { axisBottom, scaleLinear, select } from 'd3';
import type { GatingReport, KnockoutReport } from '../../core/measure/measure';
import { FigureShell } from './FigureShell';
import { HeatMap } from './HeatMap';
import { BG, FG, GRID, MUTED, SEQUENTIAL, clamp, relationColor, sequentialColor, textOn, useContainerWidth } from './figureKit';
import { cellSize, heatFrame } from './heatMap';
import { gatingView, unitGroups, unitOrder, unitsPerRelation, type UnitGroup } from './views';
import { summarizeGating } from './summaries';
import { fmtInt, fmtNum } from '../format';

export interface GatingFigureProps {
  gating: GatingReport;
  knockout?: KnockoutReport;
  onKnockout(): void;
  knockoutPending: boolean;
  step: number;
}

/** Rows available for the units: above this, consecutive units share a pixel row. */
const MAX_ROWS = 360;
/** Target height of the heat map when there are few units. */
const TARGET_H = 320;
const BASE_M = { right: 12, top: 8, bottom: 46 };
const GAP = 16;

export function GatingFigure({ gating, knockout, onKnockout, knockoutPending, step }: GatingFigureProps) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const descId = useId();
  const koTitleId = useId();

  const R = Math.max(0, gating.relations);
  const m = gating.units;
  const view = useMemo(() => gatingView(gating, MAX_ROWS), [gating]);
  const groups = useMemo(() => unitGroups(gating), [gating]);
  const counts = useMemo(() => unitsPerRelation(gating), [gating]);
  const activeUnits = m - (counts[R] ?? 0);

  const groupLabel = (g: UnitGroup) => `${g.relation >= 0 ? `r${g.relation}` : 'off'} · ${fmtInt(g.end - g.start)}`;
  // Room for the longest group label ("r12 · 1,980") left of the heat map.
  const longest = Math.max(0, ...groups.map((g) => groupLabel(g).length));
  const M = { ...BASE_M, left: Math.max(64, 40 + Math.ceil(longest * 6)) };
  const blockW = Math.min(560, Math.max(260, width));
  const selW = blockW < 400 ? 64 : 96;
  const colW = cellSize(blockW - M.left - M.right - GAP - selW, R, 8, 48);
  const heatW = R * colW;
  const rowPx = cellSize(TARGET_H, view.rows, 1, 16);
  const plotH = view.rows > 0 ? view.rows * rowPx : 160;
  const canvasW = heatW + GAP + selW;
  const frame = heatFrame(M, canvasW, plotH);
  const svgW = frame.width;
  const marks = view.rows * R;
  const summary = summarizeGating({ gating, knockout, step });
  const bin = Math.max(1, view.binSize);

  // Each row's selectivity as a bar right of the heat map, in the colour of its preferred relation.
  const paintSelectivity = (ctx: CanvasRenderingContext2D) => {
    for (let i = 0; i < view.rows; i++) {
      const s = view.selectivity[i];
      if (!(s > 0)) continue;
      const pr = view.preferred[i];
      ctx.fillStyle = pr >= 0 ? relationColor(pr) : '#999';
      ctx.fillRect(heatW + GAP, i * rowPx, clamp(s, 0, 1) * selW, rowPx);
    }
  };

  const drawAxes = (svgEl: SVGSVGElement) => {
    const svg = select(svgEl);
    const yOf = (pos: number) => (pos / bin) * rowPx;

    // Group separators and labels.
    const root = svg.select<SVGGElement>('g.groups').attr('transform', `translate(0,${M.top})`);
    const seps = groups.slice(1).map((g) => yOf(g.start));
    for (const [cls, x1, x2, stroke, sw] of [
      ['sep', M.left - 6, M.left + canvasW, BG, 2],
      ['sep-tick', 14, M.left - 6, GRID, null],
    ] as const) {
      root
        .selectAll<SVGLineElement, number>(`line.${cls}`)
        .data(seps)
        .join('line')
        .attr('class', cls)
        .attr('x1', x1)
        .attr('x2', x2)
        .attr('y1', (y) => y)
        .attr('y2', (y) => y)
        .attr('stroke', stroke)
        .attr('stroke-width', sw);
    }
    const labelled = groups.filter((g) => yOf(g.end) - yOf(g.start) >= 9);
    const lab = root
      .selectAll<SVGGElement, UnitGroup>('g.group-label')
      .data(labelled)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'group-label');
        g.append('rect').attr('width', 8).attr('height', 8).attr('rx', 1.5);
        g.append('text').attr('x', 12).attr('dy', '0.35em').style('font-size', '10px');
        return g;
      })
      .attr('transform', (g) => `translate(20,${(yOf(g.start) + yOf(g.end)) / 2})`);
    lab
      .select('rect')
      .attr('y', -4)
      .attr('fill', (g) => (g.relation >= 0 ? relationColor(g.relation) : 'none'))
      .attr('stroke', (g) => (g.relation >= 0 ? 'none' : MUTED));
    lab.select('text').style('fill', FG).text(groupLabel);

    // Column labels (relations) and the selectivity axis.
    const rels = Array.from({ length: R }, (_, r) => r);
    svg
      .select('g.col-labels')
      .attr('transform', `translate(${M.left},${M.top + plotH})`)
      .selectAll<SVGTextElement, number>('text')
      .data(colW >= 14 ? rels : rels.filter((r) => r % Math.ceil(14 / colW) === 0))
      .join('text')
      .attr('x', (r) => (r + 0.5) * colW)
      .attr('y', 14)
      .attr('text-anchor', 'middle')
      .style('font-size', '10px')
      .text((r) => (colW >= 20 ? `r${r}` : String(r)));
    const xs = scaleLinear()
      .domain([0, 1])
      .range([0, selW]);
    svg
      .select<SVGGElement>('g.sel-axis')
      .attr('transform', `translate(${M.left + heatW + GAP},${M.top + plotH})`)
      .call(axisBottom(xs).tickValues([0, 0.5, 1]).tickFormat((v) => String(Number(v))).tickSize(3))
      .call((g) => g.select('.domain').attr('stroke', GRID));
    svg
      .select('g.sel-grid')
      .attr('transform', `translate(${M.left + heatW + GAP},${M.top})`)
      .selectAll<SVGLineElement, number>('line')
      .data([0.5, 1])
      .join('line')
      .attr('x1', (v) => xs(v))
      .attr('x2', (v) => xs(v))
      .attr('y1', 0)
      .attr('y2', plotH)
      .attr('stroke', GRID)
      .attr('stroke-dasharray', '2 3');
  };

  const order = unitOrder(gating);
  const readout = ({ row: i }: { row: number }) => {
    const acts = Array.from({ length: R }, (_, r) => `r${r} ${fmtNum(view.active[i * R + r])}`).join(', ');
    const pr = view.preferred[i];
    const prefers = pr >= 0 ? `prefers r${pr}` : 'never active';
    if (bin === 1) return `unit ${order[view.start[i]]} (${prefers}, selectivity ${fmtNum(view.selectivity[i])}): active for ${acts}`;
    const a = view.start[i];
    const b = Math.min(m, a + bin);
    return `${b - a} units at positions ${a}–${b - 1} (mostly ${prefers}; mean selectivity ${fmtNum(view.selectivity[i])}): mean activity ${acts}`;
  };

  return (
    <FigureShell
      testId="figure-gating"
      data={{ 'data-marks': marks, 'data-step': step }}
      title="ReLU gating: which MLP units fire for which relation"
      look={
        <>
          each row is one hidden unit, sorted by the relation it fires for most. A block-diagonal pattern means the MLP is a
          relation-conditioned selector — the relation token switches on its own group of units — rather than a lookup table of
          facts. Knock the groups out to test it.
        </>
      }
      exportName="gating"
      summary={summary}
      descId={descId}
    >
      <div ref={wrapRef} style={{ width: '100%' }}>
        <div className="fig-body">
          <div className="fig-panel" style={{ width: svgW, maxWidth: '100%' }}>
            <HeatMap
              cells={{ rows: view.rows, cols: R, cellW: colW, cellH: rowPx, values: view.active }}
              scale={SEQUENTIAL}
              frame={frame}
              label={`Heat map of how often each of ${m} hidden units is active for each of ${R} relations, units grouped by preferred relation, with a bar of each unit's selectivity.`}
              descId={descId}
              titles={{
                y: 'hidden units, by preferred relation',
                yX: 8,
                x: [
                  { text: 'query relation r', x: M.left + heatW / 2 },
                  { text: 'selectivity', x: M.left + heatW + GAP + selW / 2 },
                ],
              }}
              empty={m === 0}
              paint={paintSelectivity}
              draw={drawAxes}
              idle="Hover a row to read a unit’s activity per relation."
              readout={readout}
              legend={{ label: 'G[j, r]: share of subjects on which unit j fires', width: Math.min(svgW, 280) }}
              layers={['sel-grid', 'groups', 'col-labels', 'sel-axis']}
            />
            <p className="fig-note">
              Mean selectivity <strong style={{ color: FG }}>{fmtNum(gating.meanSelectivity)}</strong> over {fmtInt(activeUnits)} active
              unit{activeUnits === 1 ? '' : 's'} (1 = a unit fires for one relation only, 0 = for all alike; bars are
              coloured by preferred relation).{' '}
              {view.binSize > 1
                ? `All ${fmtInt(m)} units are drawn in ${view.rows} rows: each row averages ${view.binSize} consecutive units.`
                : `One row per unit (${fmtInt(m)} units).`}
            </p>
          </div>
          <section className="fig-knockout" aria-labelledby={koTitleId} aria-busy={knockoutPending}>
            <p className="fig-subtitle" id={koTitleId}>
              Causal check: knockout
            </p>
            <p className="fig-note" style={{ marginBottom: '0.5rem' }}>
              Zero the selective units of one relation — those that prefer it with selectivity at or above a threshold
              (our choice, stated with the result) — and re-measure accuracy on every relation. Units below the threshold are shared by the relations and stay in place, since
              zeroing them would hurt every relation. If the selective units are relation selectors, only the diagonal
              should drop.
            </p>
            <button type="button" className="fig-button" onClick={onKnockout} disabled={knockoutPending}>
              {knockoutPending ? 'Knocking out…' : 'Knock out units by relation'}
            </button>
            <p className="fig-note" aria-live="polite">
              {knockoutPending ? `Measuring at step ${step}…` : knockout ? '' : 'No knockout measured yet.'}
            </p>
            {knockout && knockout.accuracy.length > 0 && <KnockoutMatrix report={knockout} width={Math.min(width, 460)} />}
          </section>
        </div>
      </div>
    </FigureShell>
  );
}

function KnockoutMatrix({ report, width }: { report: KnockoutReport; width: number }) {
  const K = report.accuracy.length;
  const selective = report.unitsRemoved.reduce((a, b) => a + b, 0);
  const R = Math.max(K, report.baseline.length, ...report.accuracy.map((r) => r.length));
  const labelW = 74;
  const unitsW = 52;
  const cell = clamp(Math.floor((width - labelW - unitsW) / Math.max(1, R)), 30, 52);
  const headH = 34;
  const gap = 8;
  const w = labelW + R * cell + unitsW;
  const h = headH + cell * 0.8 + gap + K * cell + 4;
  const baseY = headH;
  const rowsY = headH + cell * 0.8 + gap;
  const fs = cell >= 38 ? 11 : 10;
  const cellText = (v: number) => (cell >= 34 ? fmtNum(v) : fmtNum(v, 1));
  return (
    <div className="fig-scroll">
      <svg
        width={w}
        height={h}
        role="img"
        aria-label={`Knockout accuracy matrix: ${K} rows (units zeroed for relation k) by ${R} columns (accuracy on relation r), plus the baseline with nothing removed.`}
        data-knockout-cells={K * R}
        style={{ display: 'block', color: MUTED }}
      >
        <text x={labelW + (R * cell) / 2} y={11} textAnchor="middle" className="fig-axis-title">
          accuracy on relation →
        </text>
        <text x={0} y={headH - 8} className="fig-axis-title">
          zeroed ↓
        </text>
        <text x={labelW + R * cell + unitsW / 2} y={headH - 8} textAnchor="middle" className="fig-axis-title">
          zeroed
        </text>
        {Array.from({ length: R }, (_, r) => (
          <text key={r} x={labelW + (r + 0.5) * cell} y={headH - 8} textAnchor="middle" style={{ fontSize: 10, fill: FG }}>
            r{r}
          </text>
        ))}
        <text x={12} y={baseY + (cell * 0.8) / 2} dy="0.35em" style={{ fontSize: 10, fill: FG }}>
          baseline
        </text>
        {Array.from({ length: R }, (_, r) => {
          const v = report.baseline[r];
          const c = Number.isFinite(v) ? sequentialColor(v) : 'transparent';
          return (
            <g key={r} transform={`translate(${labelW + r * cell},${baseY})`}>
              <rect width={cell - 2} height={cell * 0.8 - 2} fill={c} rx={2} />
              <text x={(cell - 2) / 2} y={(cell * 0.8 - 2) / 2} dy="0.35em" textAnchor="middle" style={{ fontSize: fs, fill: Number.isFinite(v) ? textOn(c) : FG }}>
                {cellText(v)}
              </text>
            </g>
          );
        })}
        {report.accuracy.map((row, k) => (
          <g key={k} transform={`translate(0,${rowsY + k * cell})`}>
            <rect x={0} y={cell / 2 - 4} width={8} height={8} rx={1.5} fill={relationColor(k)} />
            <text x={12} y={cell / 2} dy="0.35em" style={{ fontSize: 10, fill: FG }}>
              r{k}’s units
            </text>
            {Array.from({ length: R }, (_, r) => {
              const v = row[r];
              const c = Number.isFinite(v) ? sequentialColor(v) : 'transparent';
              return (
                <g key={r} transform={`translate(${labelW + r * cell},0)`}>
                  <rect
                    width={cell - 2}
                    height={cell - 2}
                    rx={2}
                    fill={c}
                    stroke={r === k ? FG : 'none'}
                    strokeWidth={r === k ? 2 : 0}
                  />
                  <text x={(cell - 2) / 2} y={(cell - 2) / 2} dy="0.35em" textAnchor="middle" style={{ fontSize: fs, fill: Number.isFinite(v) ? textOn(c) : FG }}>
                    {cellText(v)}
                  </text>
                </g>
              );
            })}
            <text x={labelW + R * cell + unitsW / 2} y={cell / 2} dy="0.35em" textAnchor="middle" style={{ fontSize: 10, fill: FG }}>
              {report.unitsRemoved[k] ?? 0}
            </text>
          </g>
        ))}
      </svg>
      <p className="fig-note">
        Row k: the units preferring relation k with selectivity ≥ {fmtNum(report.threshold)} are zeroed (“zeroed” counts them);
        cell: accuracy on relation r (outlined: r = k). Colour uses the heat map’s scale, 0 → 1.
      </p>
      <p className="fig-note" data-testid="knockout-counts">
        {fmtInt(selective)} selective unit{selective === 1 ? '' : 's'} zeroed in all; {fmtInt(report.sharedUnits)} shared unit
        {report.sharedUnits === 1 ? '' : 's'} (active, selectivity below {fmtNum(report.threshold)}) and {fmtInt(report.deadUnits)} dead
        one{report.deadUnits === 1 ? '' : 's'} never zeroed. Mean accuracy on the diagonal{' '}
        <strong style={{ color: FG }}>{fmtNum(report.diagonalMean)}</strong>
        {K > 1 && (
          <>
            , off it <strong style={{ color: FG }}>{fmtNum(report.offDiagonalMean)}</strong>
          </>
        )}
        .
      </p>
    </div>
  );
}
