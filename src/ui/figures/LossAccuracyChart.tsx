/**
 * Training curves: loss (log scale) above, accuracy per relation below, against the training step.
 * Long histories are downsampled to at most MAX_POINTS points per series before drawing.
 */
import { useEffect, useId, useMemo, useRef } from 'react';
import { axisBottom, axisLeft, bisectLeft, line, pointer, scaleLinear, scaleLog, select, type NumberValue } from 'd3';
import { drawGridAndYAxis, drawLines, Legend, PlotBox, PlotLayers } from './ChartFrame';
import { FigureShell } from './FigureShell';
import { FG, MUTED, readoutLine, relationColor, useContainerWidth } from './figureKit';
import { downsampleIndices } from './views';
import { summarizeTraining } from './summaries';
import { fmtLogTick, fmtLoss, fmtNum, stepTickFormat } from '../format';

export interface LossAccuracyChartProps {
  steps: number[];
  loss: number[];
  /** Per step, per relation. */
  accuracy: number[][];
  relations: number;
  /** Time travel: the step the other figures show, marked by a vertical rule; null or absent: live. */
  viewStep?: number | null;
}

const MAX_POINTS = 600;

/** Powers of ten inside the domain; with 1, 2 and 5 multiples when that leaves too few. */
function logTicks([lo, hi]: [number, number], maxTicks: number): number[] {
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = b - a;
  let ticks: number[] = [];
  for (let e = a; e <= b; e++) ticks.push(10 ** e);
  if (decades < 2) {
    ticks = [];
    for (let e = a; e <= b; e++) for (const k of [1, 2, 5]) ticks.push(k * 10 ** e);
  }
  ticks = ticks.filter((t) => t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9));
  if (ticks.length > maxTicks) {
    const every = Math.ceil(ticks.length / maxTicks);
    ticks = ticks.filter((_, i) => (ticks.length - 1 - i) % every === 0);
  }
  return ticks;
}

/** The index of the recorded step nearest `step` in ascending `steps` (−1 when empty). */
function nearestIndex(steps: number[], step: number): number {
  if (steps.length === 0) return -1;
  const k = Math.min(steps.length - 1, bisectLeft(steps, step));
  return k > 0 && Math.abs(steps[k - 1] - step) <= Math.abs(steps[k] - step) ? k - 1 : k;
}

export function LossAccuracyChart({ steps, loss, accuracy, relations, viewStep = null }: LossAccuracyChartProps) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const readoutRef = useRef<HTMLParagraphElement>(null);
  const descId = useId();

  const n = steps.length;
  const lastStep = n > 0 ? steps[n - 1] : -1;
  // The parent may append to the same arrays, so depend on the length and the last step as well.
  const idx = useMemo(() => downsampleIndices(n, MAX_POINTS), [n, lastStep, steps]);
  const R = Math.max(0, relations);
  const marks = idx.length * (1 + R);
  const summary = summarizeTraining({ steps, loss, accuracy, relations: R });
  // The loss chart's own history has every step: the viewed one is found exactly (or the nearest).
  const viewed = viewStep === null ? -1 : nearestIndex(steps, viewStep);

  const W = Math.max(260, width);
  const narrow = W < 520;
  const margin = { left: narrow ? 46 : 58, right: 14 };
  const panelH = narrow ? 118 : 150;
  const lossTop = 10;
  const accTop = lossTop + panelH + 38;
  const H = accTop + panelH + 42;
  const plotW = Math.max(40, W - margin.left - margin.right);

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl) return;
    const svg = select(svgEl);
    const ds = idx;
    const x = scaleLinear().range([0, plotW]);
    if (ds.length > 0) {
      const a = steps[ds[0]];
      const b = steps[ds[ds.length - 1]];
      x.domain(a === b ? [a - 1, b + 1] : [a, b]);
    } else x.domain([0, 100]);

    // Loss panel (log scale over the positive finite values drawn).
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of ds) {
      const v = loss[i];
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(lo < Infinity)) {
      lo = 0.01;
      hi = 10;
    } else if (hi / lo < 10) {
      const mid = Math.sqrt(hi * lo);
      lo = Math.min(lo, mid / Math.sqrt(10));
      hi = Math.max(hi, mid * Math.sqrt(10));
    }
    const yL = scaleLog().domain([lo, hi]).range([panelH, 0]).nice();
    const lossTicks = logTicks(yL.domain() as [number, number], narrow ? 3 : 5);
    const fmtStep = stepTickFormat(Math.max(Math.abs(x.domain()[0]), Math.abs(x.domain()[1])));
    const stepFormat = (v: NumberValue) => fmtStep(Number(v));
    const yA = scaleLinear().domain([0, 1]).range([panelH, 0]);
    const xTicks = narrow ? 4 : 8;

    const lossG = svg.select<SVGGElement>('g.loss-panel');
    drawGridAndYAxis(lossG, () => axisLeft(yL).tickValues(lossTicks).tickFormat((v) => fmtLogTick(Number(v))), plotW);
    lossG.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(xTicks).tickFormat(stepFormat).tickSizeOuter(0));
    const lossLine = line<number>()
      .defined((i) => loss[i] > 0 && Number.isFinite(loss[i]))
      .x((i) => x(steps[i]))
      .y((i) => yL(loss[i]));
    lossG.select('path.loss-line').attr('d', lossLine(ds) ?? '');

    const accG = svg.select<SVGGElement>('g.acc-panel');
    drawGridAndYAxis(accG, () => axisLeft(yA).tickValues([0, 0.25, 0.5, 0.75, 1]).tickFormat((v) => String(Number(v))), plotW);
    accG.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(xTicks).tickFormat(stepFormat).tickSizeOuter(0));
    const series = Array.from({ length: R }, (_, r) => r);
    drawLines(accG.select('g.lines'), series, String, {
      stroke: relationColor,
      width: 1.75,
      d: (r) =>
        line<number>()
          .defined((i) => accuracy[i] !== undefined && Number.isFinite(accuracy[i][r]))
          .x((i) => x(steps[i]))
          .y((i) => yA(accuracy[i][r]))(ds),
    });

    // Hover: a vertical rule across both panels and a numeric read-out.
    const latest = () => {
      if (ds.length === 0) return 'Press play to start training: the curves appear here.';
      if (viewed >= 0) return readout(viewed, 'Viewing:');
      return readout(ds[ds.length - 1], 'Latest:');
    };
    const readout = (i: number, prefix: string) => {
      const acc = accuracy[i] ?? [];
      const parts = series.map((r) => `r${r} ${fmtNum(acc[r])}`);
      return `${prefix} step ${steps[i]} · loss ${fmtLoss(loss[i])} · accuracy ${parts.join(', ')}`;
    };
    const rule = svg.select<SVGLineElement>('line.hover-rule');
    const viewX = viewed >= 0 ? margin.left + x(steps[viewed]) : 0;
    svg
      .select<SVGLineElement>('line.view-rule')
      .attr('x1', viewX)
      .attr('x2', viewX)
      .attr('visibility', viewed >= 0 ? 'visible' : 'hidden');
    const out = readoutLine(svgEl, readoutRef.current, latest());
    const dsSteps = ds.map((i) => steps[i]);
    svg
      .select<SVGRectElement>('rect.overlay')
      .on('pointermove', (ev: PointerEvent) => {
        if (ds.length === 0) return;
        const [px] = pointer(ev, svgEl);
        const sv = x.invert(px - margin.left);
        let k = bisectLeft(dsSteps, sv);
        if (k >= ds.length) k = ds.length - 1;
        if (k > 0 && Math.abs(dsSteps[k - 1] - sv) < Math.abs(dsSteps[k] - sv)) k--;
        const xi = margin.left + x(dsSteps[k]);
        rule.attr('x1', xi).attr('x2', xi).attr('visibility', 'visible');
        out.show(readout(ds[k], 'At'));
      })
      .on('pointerleave', () => {
        rule.attr('visibility', 'hidden');
        out.hide();
      });
  }, [idx, steps, loss, accuracy, R, plotW, panelH, narrow, margin.left, lastStep, viewed]);

  return (
    <FigureShell
      testId="figure-training"
      data={{ 'data-marks': marks, 'data-step': viewed >= 0 ? steps[viewed] : lastStep, 'data-view': viewed >= 0 ? 'history' : 'live' }}
      title="Training: loss and accuracy per relation"
      look={
        <>
          the loss falls on a log scale while each relation’s accuracy climbs to 1. Relations are learned together, in the same
          steps, because they share one embedding per subject.
        </>
      }
      exportName="training"
      summary={summary}
      descId={descId}
    >
      <Legend
        items={[
          { key: 'loss', mark: { swatch: FG }, label: 'loss (cross-entropy)' },
          ...Array.from({ length: R }, (_, r) => ({ key: String(r), mark: { swatch: relationColor(r) }, label: `relation ${r}` })),
        ]}
      />
      <PlotBox
        width={W}
        height={H}
        svgRef={svgRef}
        label={`Line charts of training loss (log scale) and accuracy for each of ${R} relations against the training step.`}
        descId={descId}
        wrapRef={wrapRef}
        readoutRef={readoutRef}
      >
        <PlotLayers className="loss-panel" left={margin.left} top={lossTop} plotW={plotW} plotH={panelH} yTitle="loss (log)" yTitleDx={margin.left - 12}>
          <path className="loss-line" fill="none" stroke={FG} strokeWidth={1.75} strokeLinejoin="round" />
        </PlotLayers>
        <PlotLayers className="acc-panel" left={margin.left} top={accTop} plotW={plotW} plotH={panelH} yTitle="accuracy" yTitleDx={margin.left - 12}>
          <g className="lines" />
        </PlotLayers>
        <text className="fig-axis-title" x={margin.left + plotW / 2} y={H - 6} textAnchor="middle" style={{ fill: MUTED }}>
          training step
        </text>
        {n === 0 && (
          <text x={margin.left + plotW / 2} y={lossTop + panelH / 2} textAnchor="middle" style={{ fill: MUTED }}>
            No steps yet
          </text>
        )}
        <line className="view-rule" y1={lossTop - 4} y2={accTop + panelH} stroke={FG} strokeWidth={2} visibility="hidden" />
        <line className="hover-rule" y1={lossTop} y2={accTop + panelH} stroke={MUTED} strokeDasharray="3 3" visibility="hidden" />
        <rect className="overlay" x={margin.left} y={lossTop} width={plotW} height={accTop + panelH - lossTop} fill="transparent" />
      </PlotBox>
    </FigureShell>
  );
}
