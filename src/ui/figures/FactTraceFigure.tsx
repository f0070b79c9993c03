/**
 * Follow one fact (s, r) through the model (issue 16; docs/science.md §2–§4): what the subject's
 * embedding holds for every relation (the ridge probes), how the relation token attends, which MLP
 * units fire and what each adds to the right attribute's logit, and the top logits. Drawn from one
 * trace the worker computes (core/measure/factTrace.ts), again whenever a measurement arrives.
 */
import { useId, type ChangeEvent } from 'react';
import type { FactTrace } from '../../core/measure/factTraceData';
import { topContributors } from '../../core/measure/factTraceData';
import { fmtInt, fmtNum } from '../format';
import { FigureShell } from './FigureShell';
import { RelationSelect } from './RelationSelect';
import { FG, GRID, MUTED, relationColor } from './figureKit';
import { firingByRelation, fmtPercent, summarizeFactTrace, unitsLogit } from './factTraceSummary';
import './factTrace.css';

export interface FactTraceFigureProps {
  /** The fact the reader asked for (the trace may still be of the previous one while it loads). */
  subject: number;
  relation: number;
  n: number;
  relations: number;
  trace: FactTrace | null;
  /** Step of the trace's weights. */
  step: number;
  /** Why there is no trace (no run yet, a fact out of range). */
  message?: string;
  /** Each MLP unit's preferred relation from the live gating measurement (−1: never active), if any. */
  unitRelation: ArrayLike<number> | null;
  onFact(subject: number, relation: number): void;
  /** The step the other figures show while time-travelling (null: live); the trace is always of the live model. */
  viewedStep?: number | null;
}

const STRIP_W = 300;
const STRIP_H = 84;
const CONTRIBUTORS = 6;

/** The MLP units as a strip of bars: height = what the unit adds to the right logit, colour = its relation. */
function UnitStrip({ trace, unitRelation, descId }: { trace: FactTrace; unitRelation: ArrayLike<number> | null; descId: string }) {
  const m = trace.contribution.length;
  let max = 0;
  for (const c of trace.contribution) max = Math.max(max, Math.abs(c));
  const mid = STRIP_H / 2;
  const scale = max > 0 ? (mid - 4) / max : 0;
  const step = STRIP_W / Math.max(1, m);
  const barW = Math.max(0.75, step - (step > 3 ? 1 : 0));
  // One path per relation (and one for units of none), so that thousands of units stay cheap.
  const paths = new Map<number, string>();
  trace.contribution.forEach((c, j) => {
    if (!(trace.preActivation[j] > 0)) return;
    const rel = unitRelation && unitRelation.length === m ? unitRelation[j] : -1;
    const h = Math.max(1.5, Math.abs(c) * scale);
    const y = c >= 0 ? mid - h : mid;
    paths.set(rel, `${paths.get(rel) ?? ''}M${(j * step).toFixed(2)},${y.toFixed(2)}h${barW.toFixed(2)}v${h.toFixed(2)}h${(-barW).toFixed(2)}z`);
  });
  const firing = firingByRelation(trace, unitRelation).active.length;
  return (
    <svg
      className="fact-strip"
      width={STRIP_W}
      height={STRIP_H}
      viewBox={`0 0 ${STRIP_W} ${STRIP_H}`}
      role="img"
      aria-label={`Bars for the ${m} MLP units of the followed fact, one per unit: ${firing} fire; a bar's height is what the unit adds to the right attribute's logit, its colour the unit's relation.`}
      aria-describedby={descId}
    >
      <line x1={0} x2={STRIP_W} y1={mid} y2={mid} stroke={GRID} />
      {[...paths].map(([rel, d]) => (
        <path key={rel} d={d} fill={rel >= 0 ? relationColor(rel) : MUTED} />
      ))}
    </svg>
  );
}

export function FactTraceFigure(props: FactTraceFigureProps) {
  const { subject, relation, n, relations, trace, step, message, unitRelation, onFact, viewedStep } = props;
  const descId = useId();
  const subjectId = useId();
  const loading = trace !== null && (trace.subject !== subject || trace.relation !== relation);

  const onSubject = (ev: ChangeEvent<HTMLInputElement>) => {
    const s = Number(ev.target.value);
    if (ev.target.value !== '' && Number.isInteger(s) && s >= 0 && s < n) onFact(s, relation);
  };
  const onRelation = (ev: ChangeEvent<HTMLSelectElement>) => onFact(subject, Number(ev.target.value));

  const summary = trace ? summarizeFactTrace(trace, step, unitRelation) : (message ?? 'Waiting for the first trace of this fact.');
  const firing = trace ? firingByRelation(trace, unitRelation) : null;
  const data: Record<`data-${string}`, string | number> = trace
    ? {
        'data-subject': trace.subject,
        'data-relation': trace.relation,
        'data-target': trace.target,
        'data-top': trace.top[0]?.attribute ?? -1,
        'data-active': firing!.active.join(','),
        'data-step': step,
      }
    : {};

  return (
    <FigureShell
      testId="figure-fact"
      data={data}
      title="Follow one fact through the model"
      look={
        <>
          pick a subject and a relation (or click a row of the projection above). The subject’s embedding holds the answers
          of every relation at once; attention brings it to the relation token; the relation’s own MLP units fire and push
          the right attribute’s logit to the top.
        </>
      }
      exportName="fact"
      summary={summary}
      descId={descId}
    >
      <div className="fig-controls">
        <span className="fig-control">
          <label htmlFor={subjectId}>Subject</label>
          <input id={subjectId} className="fact-subject" type="number" min={0} max={Math.max(0, n - 1)} step={1} value={subject} onChange={onSubject} />
        </span>
        <RelationSelect value={relation} relations={relations} onChange={onRelation} />
        {trace && (
          <span>
            answer: attribute <strong>{trace.target}</strong> · step {fmtInt(step)}
          </span>
        )}
        {loading && (
          <span className="fig-note" aria-live="polite">
            loading subject {subject}, relation {relation}…
          </span>
        )}
      </div>
      {trace && viewedStep != null && viewedStep !== step && (
        <p className="fig-note" role="note" data-testid="fact-live-only">
          The figures above show step {fmtInt(viewedStep)}; this one follows the live model at step {fmtInt(step)} (past weights are not kept).
        </p>
      )}
      {!trace ? (
        <p className="placeholder">{message ?? 'Tracing the fact…'}</p>
      ) : (
        <div className="fact-grid">
          <section className="fact-panel" aria-label="What the subject's embedding holds">
            <p className="fig-subtitle">1 · The embedding holds every answer</p>
            <table className="fig-fits fact-table">
              <thead>
                <tr>
                  <th scope="col">relation</th>
                  <th scope="col">answer</th>
                  <th scope="col">probe reads</th>
                  <th scope="col">cos</th>
                </tr>
              </thead>
              <tbody>
                {trace.probes.map((p) => (
                  <tr key={p.relation} className={p.relation === trace.relation ? 'fact-row-on' : undefined}>
                    <th scope="row">
                      <span className="fig-swatch box" style={{ background: relationColor(p.relation) }} /> {p.relation}
                    </th>
                    <td>{p.target}</td>
                    <td>{p.targetRank === 1 ? `${p.best} ✓` : `${p.best} ✗ (#${p.targetRank})`}</td>
                    <td>{fmtNum(p.targetScore)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="fig-note">
              cos(B<sub>r</sub> e<sub>s</sub>, u<sub>answer</sub>) of each relation’s ridge probe; subject {trace.subject} is{' '}
              {trace.heldOut ? 'held out from' : 'among those fitted by'} the probes.
            </p>
          </section>

          <section className="fact-panel" aria-label="Attention">
            <p className="fig-subtitle">2 · Attention of the relation token</p>
            <table className="fig-fits fact-table">
              <thead>
                <tr>
                  <th scope="col">head</th>
                  <th scope="col">on subject</th>
                  <th scope="col">on itself</th>
                </tr>
              </thead>
              <tbody>
                {Array.from({ length: trace.heads }, (_, h) => (
                  <tr key={h}>
                    <th scope="row">{h}</th>
                    <td>{fmtNum(trace.attention[2 * h])}</td>
                    <td>{fmtNum(trace.attention[2 * h + 1])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="fig-note">The last position reads the subject through attention; ½ and ½ is the construction’s.</p>
          </section>

          <section className="fact-panel" aria-label="MLP units">
            <p className="fig-subtitle">
              3 · MLP units: {firing!.active.length} of {fmtInt(trace.contribution.length)} fire
            </p>
            <UnitStrip trace={trace} unitRelation={unitRelation} descId={descId} />
            <p className="fig-note">
              right logit {fmtNum(trace.targetLogit)} = {fmtNum(trace.directLogit)} around the MLP + {fmtNum(unitsLogit(trace))} from the units
            </p>
            <table className="fig-fits fact-table" data-testid="fact-units">
              <caption>Units adding most to the right logit</caption>
              <thead>
                <tr>
                  <th scope="col">unit</th>
                  <th scope="col">relation</th>
                  <th scope="col">pre-act.</th>
                  <th scope="col">adds</th>
                </tr>
              </thead>
              <tbody>
                {topContributors(trace, CONTRIBUTORS).map((c) => {
                  const rel = unitRelation && unitRelation.length === trace.contribution.length ? unitRelation[c.unit] : -1;
                  return (
                    <tr key={c.unit}>
                      <th scope="row">{c.unit}</th>
                      <td>
                        {rel >= 0 ? (
                          <>
                            <span className="fig-swatch box" style={{ background: relationColor(rel) }} /> {rel}
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                      <td>{fmtNum(c.preActivation)}</td>
                      <td>{`${c.contribution >= 0 ? '+' : ''}${fmtNum(c.contribution)}`}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>

          <section className="fact-panel" aria-label="Top logits">
            <p className="fig-subtitle">4 · Top logits</p>
            <ol className="fact-logits">
              {trace.top.map((t) => (
                <li key={t.attribute} className={t.attribute === trace.target ? 'fact-right' : undefined}>
                  <span className="fact-bar" style={{ width: `${Math.max(1, t.probability * 100)}%`, background: t.attribute === trace.target ? relationColor(trace.relation) : MUTED }} />
                  <span className="fact-logit-text">
                    attribute {t.attribute} · {fmtNum(t.logit)} · {fmtPercent(t.probability)}
                    {t.attribute === trace.target && <strong style={{ color: FG }}> ✓ right</strong>}
                  </span>
                </li>
              ))}
            </ol>
            {trace.targetRank > trace.top.length && (
              <p className="fig-note">
                The right attribute {trace.target} ranks {fmtInt(trace.targetRank)} (logit {fmtNum(trace.targetLogit)}).
              </p>
            )}
          </section>
        </div>
      )}
    </FigureShell>
  );
}
