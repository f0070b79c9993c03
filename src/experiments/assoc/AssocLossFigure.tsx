/**
 * Sequential learning (docs/science.md §7, paper A's notebook): the loss, the relation-only loss and the
 * subject-only loss against the step, with dashed lines at log(D·R) (the model knows nothing) and
 * log D (it knows the relation, not the subject), and the three stages shaded and named where the
 * curve shows them (story.ts finds them). Hovering the plot reads the nearest recorded step.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, bisector, pointer, scaleLinear, schemeTableau10, select } from 'd3';
import type { AssocCurvePoint } from './assoc';
import { ChartFrame, drawGridAndYAxis, drawRules, drawStepSeries, stepScale, hoverOverlay, joinGroups, Legend, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { MUTED, readoutLine } from '../../ui/figures/figureKit';
import { detectStages, logText, STAGE_LABEL, summarizeAssocCurve, type StageName } from './story';
import { fmtInt, fmtLoss, fmtNum, stepTickFormat } from '../../ui/format';

type Series = 'loss' | 'relationLoss' | 'subjectLoss';
const SERIES: readonly Series[] = ['loss', 'relationLoss', 'subjectLoss'];
const SERIES_LABEL: Record<Series, string> = { loss: 'loss', relationLoss: 'relation-only loss', subjectLoss: 'subject-only loss' };
const COLOR: Record<Series, string> = { loss: schemeTableau10[0], relationLoss: schemeTableau10[1], subjectLoss: schemeTableau10[2] };
const DASH: Record<Series, string | null> = { loss: null, relationLoss: '6 3', subjectLoss: '2 3' };
const STAGE_FILL: Record<StageName, string> = { nothing: schemeTableau10[9], plateau: schemeTableau10[1], recall: schemeTableau10[4] };

export interface AssocLossFigureProps {
  curve: AssocCurvePoint[];
  /** D (answers per relation) and R (relations): the dashed lines at log(D·R) and log D. */
  answers: number;
  relations: number;
  /** The step budget: the x axis' end. */
  steps: number;
  /** e.g. "live (wasm; S = 16, R = 4, D = 8, linear attention, GD lr 0.1)". */
  label: string;
  /** The run is still going: an open stage is said "still". */
  running: boolean;
}

const LABEL =
  'Line chart of the training loss, the relation-only loss and the subject-only loss against the step, with dashed lines at log(D·R) and log D, and the stages of learning shaded.';

interface Band {
  stage: StageName;
  from: number;
  to: number;
}

/** Memoised: the chapter re-renders on every progress message; the figure redraws when its curve changes. */
export const AssocLossFigure = memo(function AssocLossFigure({ curve, answers, relations, steps, label, running }: AssocLossFigureProps) {
  const chart = useChart(22, { narrow: 220, wide: 270 });
  const { svgRef, readoutRef, layout: { narrow, plotW, plotH } } = chart;
  const stages = useMemo(() => detectStages(curve, answers, relations), [curve, answers, relations]);
  const bands = useMemo<Band[]>(
    () => (['nothing', 'plateau', 'recall'] as const).flatMap((stage) => (stages[stage] ? [{ stage, from: stages[stage]!.from, to: stages[stage]!.to }] : [])),
    [stages],
  );
  const summary = useMemo(() => summarizeAssocCurve(curve, answers, relations, running), [curve, answers, relations, running]);

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const plot = select(svgEl).select<SVGGElement>('g.plot');
    const { maxStep, x } = stepScale(steps, curve, plotW);
    const top = Math.max(stages.logDR * 1.08, ...curve.map((p) => Math.max(p.loss, p.relationLoss, p.subjectLoss)).filter(Number.isFinite));
    const y = scaleLinear().domain([0, top]).range([plotH, 0]).nice();
    drawGridAndYAxis(plot, () => axisLeft(y).ticks(5), plotW);
    plot.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(narrow ? 4 : 7).tickFormat((v) => stepTickFormat(maxStep)(Number(v))).tickSizeOuter(0));

    // The stages: a band each, its name at the top.
    const band = joinGroups(plot.select('g.stages'), 'stage', bands, (b) => b.stage, (g) => {
      g.append('rect').attr('opacity', 0.14);
      g.append('text').attr('text-anchor', 'middle').attr('y', -6).style('font-size', '11px');
    })
      .attr('data-stage', (b) => b.stage)
      .attr('data-from', (b) => b.from)
      .attr('data-to', (b) => b.to);
    band
      .select('rect')
      .attr('x', (b) => x(b.from))
      .attr('width', (b) => Math.max(1, x(b.to) - x(b.from)))
      .attr('y', 0)
      .attr('height', plotH)
      .attr('fill', (b) => STAGE_FILL[b.stage]);
    band
      .select('text')
      .attr('x', (b) => (x(b.from) + x(b.to)) / 2)
      .style('fill', MUTED)
      .text((b) => (x(b.to) - x(b.from) >= (narrow ? 70 : 90) ? STAGE_LABEL[b.stage] : ''));

    // log(D·R) and log D, dashed and labelled.
    const rules = [
      { key: 'logDR', v: stages.logDR, text: `log(D·R) = ${logText(answers * relations)}` },
      { key: 'logD', v: stages.logD, text: `log D = ${logText(answers)}` },
    ];
    drawRules(plot.select('g.rule'), rules, { y: (r) => y(r.v), width: plotW, dash: () => '5 4', key: (r) => r.key });
    plot
      .select('g.rule-labels')
      .selectAll<SVGTextElement, (typeof rules)[number]>('text')
      .data(rules, (r) => r.key)
      .join('text')
      .attr('x', plotW - 4)
      .attr('y', (r) => y(r.v) - 4)
      .attr('text-anchor', 'end')
      .style('font-size', '11px')
      .style('fill', MUTED)
      .text((r) => r.text);

    drawStepSeries(plot.select('g.lines'), SERIES, curve, { x, y }, { color: COLOR, dash: DASH });

    // Read-out: the recorded step nearest the pointer.
    const out = readoutLine(svgEl, readoutRef.current, curve.length ? 'Point at the plot to read a step.' : '');
    const near = bisector<AssocCurvePoint, number>((p) => p.step).center;
    hoverOverlay(plot, plotW, plotH)
      .on('pointermove', (ev: PointerEvent) => {
        if (curve.length === 0) return;
        const p = curve[near(curve, x.invert(pointer(ev)[0]))];
        out.show(`step ${fmtInt(p.step)}: loss ${fmtLoss(p.loss)}, relation-only ${fmtLoss(p.relationLoss)}, subject-only ${fmtLoss(p.subjectLoss)}, accuracy ${fmtNum(p.accuracy)}`);
      })
      .on('pointerleave', () => out.hide());
  }, [curve, bands, stages, steps, answers, relations, plotW, plotH, narrow]);

  return (
    <FigureShell
      testId="figure-assoc-loss"
      data={{ 'data-points': curve.length, 'data-stages': bands.map((b) => b.stage).join(' ') }}
      title="Sequential learning: knows nothing, hallucinates, recalls"
      look={
        <>
          the loss starts at log(D·R), every answer equally likely. When it stops at log D while the relation-only loss is near 0, the
          model names an answer of the right relation but not the subject’s: it hallucinates. Only then does the subject-only loss fall, and
          the facts are recalled.
        </>
      }
      exportName="assoc-loss"
      summary={summary}
      descId={chart.descId}
    >
      <Legend items={SERIES.map((s) => ({ key: s, mark: { line: COLOR[s], dash: DASH[s] }, label: SERIES_LABEL[s] }))}>
        {bands.map((b) => (
          <span className="fig-legend-item" key={b.stage}>
            <span className="fig-swatch box" style={{ background: STAGE_FILL[b.stage], opacity: 0.4 }} />
            {STAGE_LABEL[b.stage]}
          </span>
        ))}
        {label && <span className="fig-legend-item wrap">{label}</span>}
      </Legend>
      <ChartFrame {...chart.frame} label={LABEL} layers={['stages', 'rule', 'rule-labels', 'lines', 'hover']} yTitle="loss (nats)" xTitle="training step" />
    </FigureShell>
  );
});
