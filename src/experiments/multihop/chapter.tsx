/**
 * Chapter "Two hops: think step by step, or in one pass?" (docs/science.md §6): the precomputed sweep over
 * d at once, and a small live sweep in the experiment worker beside it. Every number in the text is
 * computed from the data shown.
 */
import { useMemo, useState } from 'react';
import type { MultihopPoint } from './multihopPoint';
import multihopJson from './multihop-default.json';
import { MultihopFigure, type MultihopSet } from './MultihopFigure';
import { isBusy, useExperiment } from '../../ui/useExperimentWorker';
import { CheckboxGroup, ExperimentProgress, formFields, liveSuffix, PrecomputedError, StartControls, Sentences, type ChapterProps } from '../../ui/chapters/chapterKit';
import { parseMultihopFile } from './data';
import { multihopProgressText } from './job';
import { directFinalTrainingAccuracy, multihopSentences, multihopStory } from './story';
import { fmtInt, fmtNum } from '../../ui/format';

const PRECOMPUTED = parseMultihopFile(multihopJson as unknown);

const N_CHOICES = [8, 16, 32] as const;
const R_CHOICES = [2, 3, 4] as const;
const M_CHOICES = [32, 64, 128, 256] as const;
const D_CHOICES = [2, 4, 8, 16, 32] as const;
const STEP_CHOICES = [300, 600, 1000, 2000] as const;
const LIVE_FIXED = { seed: 1, lr: 0.01 };

interface Form {
  n: number;
  r: number;
  m: number;
  ds: number[];
  steps: number;
}

type Ran = Form & { seed: number; lr: number };

function describeRun(c: { n: number; r: number; m: number; steps: number; seed: number; lr: number }): string {
  return `N = ${fmtInt(c.n)}, R = ${c.r}, m = ${c.m}, learning rate ${c.lr}, ${fmtInt(c.steps)} steps per model, seed ${c.seed}`;
}

function MultihopTable({ points, n, r, testId }: { points: MultihopPoint[]; n: number; r: number; testId: string }) {
  return (
    <div className="fig-scroll">
      <table className="exp-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">d</th>
            <th scope="col">single hop</th>
            <th scope="col">chain of thought</th>
            <th scope="col">direct</th>
            <th scope="col">direct training: peak (step) → end</th>
            <th scope="col">steps to 100%: single / direct</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.d} data-d={p.d} data-single={p.singleHopAccuracy} data-cot={p.cotAccuracy} data-direct={p.directAccuracy}>
              <th scope="row">{p.d}</th>
              <td>{fmtNum(p.singleHopAccuracy)}</td>
              <td>{fmtNum(p.cotAccuracy)}</td>
              <td>{fmtNum(p.directAccuracy)}</td>
              <td>
                {fmtNum(p.directTraining.peakAccuracy)} ({fmtInt(p.directTraining.peakStep)}) → {fmtNum(directFinalTrainingAccuracy(p, n, r))}
              </td>
              <td>
                {p.singleHopTraining.stepsTo100 === null ? '—' : fmtInt(p.singleHopTraining.stepsTo100)} /{' '}
                {p.directTraining.stepsTo100 === null ? '—' : fmtInt(p.directTraining.stepsTo100)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The precomputed sweep, as the figure draws it, and its sentences: fixed for the page's life. */
const PRE = PRECOMPUTED.ok ? PRECOMPUTED.data : null;
const PRE_SET: MultihopSet | null = PRE && {
  points: PRE.points,
  n: PRE.config.n,
  label: `precomputed (CLI, ${PRE.backend}, N = ${PRE.config.n}, R = ${PRE.config.r}, seed ${PRE.config.seed}, ${fmtInt(PRE.config.steps)} steps)`,
};
const PRE_SENTENCES = PRE ? multihopSentences(multihopStory(PRE.points, PRE.config.n, PRE.config.r), PRE.config.steps) : [];

export default function MultihopChapter({ client }: ChapterProps) {
  const [state, controls] = useExperiment(client, 'multihop');
  const [form, setForm] = useState<Form>({ n: 16, r: 4, m: 64, ds: [4, 8, 16], steps: 600 });
  const [ran, setRan] = useState<Ran | null>(null);
  const busy = isBusy(state.status);
  const field = formFields(form, setForm, busy, 'multihop');

  const livePoints = state.result?.points ?? state.progress?.points ?? null;
  const liveKey = livePoints?.map((p) => p.d).join(',') ?? '';
  const liveLabel = ran ? `live (${state.backend ?? 'this browser'}, N = ${ran.n}, R = ${ran.r}, seed ${ran.seed}, ${fmtInt(ran.steps)} steps)` : '';
  const liveSet = useMemo<MultihopSet | null>(
    () => (ran && livePoints && livePoints.length > 0 ? { points: livePoints, n: ran.n, label: liveLabel } : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [liveKey, ran, liveLabel],
  );
  const liveSentences = useMemo(() => (ran && liveSet ? multihopSentences(multihopStory(liveSet.points, ran.n, ran.r), ran.steps) : []), [liveSet, ran]);

  const valid = form.ds.length > 0;
  const start = () => {
    const run: Ran = { ...form, ds: [...form.ds].sort((a, b) => a - b), ...LIVE_FIXED };
    setRan(run);
    controls.run({ n: run.n, r: run.r, m: run.m, ds: run.ds, steps: run.steps, seed: run.seed, lr: run.lr });
  };

  return (
    <section className="chapter exp-chapter" aria-labelledby="chapter-multihop" data-testid="chapter-multihop">
      <h2 id="chapter-multihop">Two hops: step by step, or in one pass?</h2>
      <p>
        A two-hop query asks for π<sub>r2</sub>(π<sub>r1</sub>(s)) — “the mother of the wife of s”. There are two ways to answer it.{' '}
        <strong>Chain of thought</strong>: ask the single-hop model twice, feeding its first answer back in as the next subject; it
        needs nothing beyond what single hop needs. <strong>Direct</strong>: train one model, on the N·R² chains and the single hops
        together, to answer in one pass — a construction like ours would then need each subject to carry the answers of all R²
        chains, not just its R facts. Ravfogel et
        al. prove a trade-off between capacity and depth of this kind, with a matching lower bound; we show it qualitatively and do
        not reproduce their constants.
      </p>
      {PRE ? (
        <div className="numbers" data-testid="multihop-findings">
          <p>
            Measured in the precomputed sweep ({describeRun(PRE.config)}; {fmtInt(PRE.points[0]?.chainQueries ?? 0)} two-hop queries;{' '}
            {PRE.backend}):
          </p>
          <Sentences items={PRE_SENTENCES} />
        </div>
      ) : (
        <PrecomputedError parsed={PRECOMPUTED} />
      )}

      <div className="exp-figure">
        <MultihopFigure precomputed={PRE_SET} live={liveSet} />
        {PRE && (
          <details>
            <summary>The precomputed numbers</summary>
            <MultihopTable points={PRE.points} n={PRE.config.n} r={PRE.config.r} testId="multihop-pre-table" />
          </details>
        )}
      </div>

      <h3>Run it yourself</h3>
      <p className="hint-text">
        For each d, a single-hop model and a direct model train in a background worker; each stops at the first step with every
        training query right. Chain of thought reuses the single-hop model.
      </p>
      <div className="exp-form" data-testid="multihop-form">
        <CheckboxGroup legend="d" values={D_CHOICES} {...field.choices('ds')} />
        {field.selects({ n: ['N', N_CHOICES], r: ['R — relations', R_CHOICES], m: ['m — MLP width', M_CHOICES], steps: ['steps per model', STEP_CHOICES] })}
      </div>
      <StartControls state={state} onStart={start} onCancel={controls.cancel} testId="multihop" valid={valid} label="Run the sweep" hint="Choose at least one d." />
      <ExperimentProgress state={state} describe={multihopProgressText} label="Multi-hop sweep" what="the finished values of d" testId="multihop-progress" />
      {ran && liveSet && (
        <div className="numbers" data-testid="multihop-live-findings">
          <p>
            Your live sweep ({describeRun(ran)}){liveSuffix(state)}:
          </p>
          <Sentences items={liveSentences} />
          <MultihopTable points={liveSet.points} n={ran.n} r={ran.r} testId="multihop-live-table" />
        </div>
      )}
    </section>
  );
}
