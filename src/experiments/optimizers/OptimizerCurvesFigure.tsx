/**
 * The optimisers side by side (docs/science.md §9), live: for each optimiser trained on the same facts from
 * the same initial weights, the held-out probe accuracy on the weakest relation, the training accuracy
 * (mean over relations) and the loss, against the training step. Three panels, one line per optimiser.
 * The worker sends finished numbers; this only draws them.
 */
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, line, scaleLinear, scaleLog, schemeTableau10, select } from 'd3';
import type { OptimizerName } from '../../core/training/optimizerSettings';
import type { OptimizerRun } from './optimizerSweep';
import { CLEAN_PROBE, OPTIMIZER_SHORT, summarizeOptimizerCurves } from './optimizerData';
import { ChartFrame, chartLayout, drawGridAndYAxis, drawLines, drawRules, Legend, type ChartLayout } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { useContainerWidth } from '../../ui/figures/figureKit';
import './optimizers.css';

export const OPTIMIZER_COLOR: Record<OptimizerName, string> = {
  adam: schemeTableau10[1],
  sgd: schemeTableau10[0],
  gd: schemeTableau10[3],
  sign: schemeTableau10[2],
};
/** A dash pattern per optimiser as well as a colour, so the lines stay apart without colour. */
export const OPTIMIZER_DASH: Record<OptimizerName, string | null> = { adam: null, sgd: null, gd: '7 3', sign: '2 3' };

interface Series {
  optimizer: OptimizerName;
  points: { step: number; value: number }[];
}

type Panel = 'probe' | 'accuracy' | 'loss';

const PANELS: { id: Panel; title: string; label: string }[] = [
  { id: 'probe', title: 'held-out probe', label: 'Line chart of held-out probe accuracy on the weakest relation against the training step, one line per optimiser.' },
  { id: 'accuracy', title: 'train accuracy', label: 'Line chart of training accuracy (mean over relations) against the training step, one line per optimiser.' },
  { id: 'loss', title: 'loss (log)', label: 'Line chart of the training loss on a log scale against the training step, one line per optimiser.' },
];

function seriesOf(runs: OptimizerRun[], panel: Panel): Series[] {
  return runs.map((run) => ({
    optimizer: run.optimizer,
    points:
      panel === 'probe'
        ? run.probes.map((p) => ({ step: p.step, value: Math.min(...p.heldOut) }))
        : run.curve.map((c) => ({ step: c.step, value: panel === 'loss' ? c.loss : c.accuracyByRelation.reduce((a, b) => a + b, 0) / c.accuracyByRelation.length })),
  }));
}

function CurvePanel({ panel, series, maxStep, layout }: { panel: (typeof PANELS)[number]; series: Series[]; maxStep: number; layout: ChartLayout }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const descId = useId();
  const { plotW, plotH, narrow } = layout;
  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const plot = select(svgEl).select<SVGGElement>('g.plot');
    const x = scaleLinear().domain([0, Math.max(1, maxStep)]).range([0, plotW]);
    plot.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(narrow ? 4 : 6).tickSizeOuter(0));
    const isLoss = panel.id === 'loss';
    const values = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => Number.isFinite(v) && (!isLoss || v > 0));
    let y;
    if (isLoss) {
      const lo = values.length ? Math.min(...values) : 1e-3;
      const hi = values.length ? Math.max(...values) : 10;
      y = scaleLog().domain([Math.min(lo, hi / 10), hi]).range([plotH, 0]).nice();
      const yy = y;
      drawGridAndYAxis(plot, () => axisLeft(yy).ticks(4, '~g'), plotW);
    } else {
      y = scaleLinear().domain([0, 1]).range([plotH, 0]);
      const yy = y;
      drawGridAndYAxis(plot, () => axisLeft(yy).tickValues([0, 0.25, 0.5, 0.75, 1]), plotW);
    }
    const yScale = y;
    drawRules(plot.select('g.rule'), panel.id === 'probe' ? [CLEAN_PROBE] : [], { y: (v) => yScale(v), width: plotW, dash: () => '2 4' });
    drawLines(plot.select('g.lines'), series, (s) => s.optimizer, {
      stroke: (s) => OPTIMIZER_COLOR[s.optimizer],
      width: 2,
      dash: (s) => OPTIMIZER_DASH[s.optimizer],
      d: (s) =>
        line<{ step: number; value: number }>()
          .defined((p) => Number.isFinite(p.value) && (!isLoss || p.value > 0))
          .x((p) => x(p.step))
          .y((p) => yScale(p.value))(s.points),
    })
      .attr('class', 'curve')
      .attr('data-optimizer', (s) => s.optimizer)
      .attr('data-points', (s) => s.points.length);
  }, [series, maxStep, plotW, plotH, narrow, panel]);
  return (
    <div className="opt-panel" data-testid={`optimizer-panel-${panel.id}`}>
      <ChartFrame layout={layout} svgRef={svgRef} descId={descId} label={panel.label} layers={['rule', 'lines']} yTitle={panel.title} xTitle="training step" />
      <p className="fig-sr" id={descId}>
        {panel.title}
      </p>
    </div>
  );
}

/** Memoised: the chapter re-renders on every progress message; the figure redraws when its runs change. */
export const OptimizerCurvesFigure = memo(function OptimizerCurvesFigure({ runs, steps, label }: { runs: OptimizerRun[]; steps: number; label: string }) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const descId = useId();
  const layout = chartLayout(width, 12, { narrow: 150, wide: 170 });
  const panels = useMemo(() => PANELS.map((p) => ({ panel: p, series: seriesOf(runs, p.id) })), [runs]);
  const summary = summarizeOptimizerCurves(runs);
  return (
    <FigureShell
      testId="figure-optimizers"
      data={{ 'data-runs': runs.length }}
      title="Four optimisers, one fact table, side by side"
      look={
        <>
          all four start from the same weights. Top: the held-out probe on the weakest relation — whether one linear map per relation
          reads the attribute of subjects it was not fitted on out of their embeddings (the dotted line is {CLEAN_PROBE}). Middle:
          training accuracy, mean over relations. Bottom: the loss, log scale. Getting every fact right and writing them as a geometry
          are different things: compare the top panel with the middle one.
        </>
      }
      exportName="optimizers"
      summary={summary}
      descId={descId}
    >
      <Legend
        items={runs.map((run) => ({
          key: run.optimizer,
          mark: { line: OPTIMIZER_COLOR[run.optimizer], dash: OPTIMIZER_DASH[run.optimizer] },
          label: OPTIMIZER_SHORT[run.optimizer],
        }))}
      >
        {label && <span className="fig-legend-item wrap">{label}</span>}
      </Legend>
      <div ref={wrapRef} className="opt-panels" style={{ width: '100%' }}>
        {panels.map(({ panel, series }) => (
          <CurvePanel key={panel.id} panel={panel} series={series} maxStep={steps} layout={layout} />
        ))}
      </div>
    </FigureShell>
  );
});
