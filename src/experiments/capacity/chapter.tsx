/**
 * Chapter "How much room do the facts need?" (docs/science.md §5): the precomputed capacity sweep at once,
 * and a small live sweep in the experiment worker, drawn beside it. Every number in the text is
 * computed from the data shown.
 */
import { useMemo, useState } from 'react';
import type { CapacityArm, CapacitySettings } from './capacity';
import capacityLearnedJson from './capacity-learned.json';
import capacityFrozenJson from './capacity-frozen.json';
import { CapacityFigure, type CapacitySet } from './CapacityFigure';
import { isBusy, useExperiment } from '../../ui/useExperimentWorker';
import { CheckboxGroup, ExperimentProgress, formFields, PrecomputedError, StartControls, Sentences, type ChapterProps } from '../../ui/chapters/chapterKit';
import { mergeCapacityFiles, parseCapacityFile } from './data';
import { capacityProgressText } from './job';
import { CAPACITY_SERIES, capacityComparison, capacityStory, describeNs, seriesSentence, type CapacityStory } from './story';
import { fmtInt } from '../../ui/format';

// `npm run cli -- capacity --n 64,128,256,512,1024 --r 4 --arms learned|frozen --out …` (README).
const PRECOMPUTED = mergeCapacityFiles([parseCapacityFile(capacityLearnedJson as unknown), parseCapacityFile(capacityFrozenJson as unknown)]);

const N_CHOICES = [8, 16, 32, 64, 128] as const;
const R_CHOICES = [1, 2, 3, 4, 5, 6, 7, 8] as const;
const M_CHOICES = [16, 32, 64, 128, 256] as const;
const STEP_CHOICES = [150, 300, 600, 1000] as const;
const ARMS: readonly CapacityArm[] = ['learned', 'frozen'];
/** The live search range of d and the fixed parts of a live sweep. */
const LIVE_D_MAX = 64;
const LIVE_FIXED = { lr: 0.01, seed: 1, dFloor: 2, dMax: LIVE_D_MAX };

interface Form {
  ns: number[];
  r: number;
  m: number;
  steps: number;
  arms: CapacityArm[];
}

function describeSettings(s: Pick<CapacitySettings, 'ns' | 'r' | 'm' | 'steps' | 'seed' | 'lr' | 'dMax'>): string {
  return `${describeNs(s.ns)}, R = ${s.r}, m = ${s.m}, learning rate ${s.lr}, ${fmtInt(s.steps)} steps per trial, seed ${s.seed}, d ≤ ${s.dMax}`;
}

/** One sentence per series (only those with points), then the comparisons the data bear out. */
function Findings({ story, dMax }: { story: CapacityStory; dMax: number }) {
  return (
    <>
      <Sentences items={CAPACITY_SERIES.filter((s) => story.series[s].points.length > 0).map((s) => seriesSentence(story.series[s], dMax))} />
      {capacityComparison(story).map((t, i) => (
        <p key={i}>{t}</p>
      ))}
    </>
  );
}

/** The precomputed sweep, as the figure draws it, and its findings: fixed for the page's life. */
const PRE = PRECOMPUTED.ok ? PRECOMPUTED.data : null;
const PRE_SET: CapacitySet | null = PRE && {
  points: PRE.points,
  dMax: PRE.settings.dMax,
  label: `precomputed (CLI, ${PRE.backend}, seed ${PRE.settings.seed}, ${fmtInt(PRE.settings.steps)} steps per trial${PRE.complete ? '' : ', unfinished'})`,
};
const PRE_STORY = PRE && capacityStory(PRE.points);

export default function CapacityChapter({ client, playground }: ChapterProps) {
  const [state, controls] = useExperiment(client, 'capacity');
  const playgroundR = playground.initialR;
  const [form, setForm] = useState<Form>(() => ({ ns: [16, 32, 64], r: playgroundR >= 1 && playgroundR <= 8 ? playgroundR : 4, m: 64, steps: 300, arms: [...ARMS] }));
  const [ran, setRan] = useState<CapacitySettings | null>(null);
  const busy = isBusy(state.status);
  const field = formFields(form, setForm, busy, 'capacity');


  // Live points: the finished report, or the points so far; redrawn only when a point is added.
  const livePoints = state.result?.report.points ?? state.progress?.points ?? null;
  const liveKey = livePoints?.map((p) => `${p.arm}:${p.n}:${p.dMin}`).join('|') ?? '';
  const liveLabel = ran ? `live (${state.backend ?? 'this browser'}, seed ${ran.seed}, ${fmtInt(ran.steps)} steps per trial)` : '';
  const liveSet = useMemo<CapacitySet | null>(
    () => (ran && livePoints && livePoints.length > 0 ? { points: livePoints, dMax: ran.dMax, label: liveLabel } : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [liveKey, ran, liveLabel],
  );
  const liveStory = useMemo(() => (liveSet ? capacityStory(liveSet.points) : null), [liveSet]);

  const valid = form.ns.length > 0 && form.arms.length > 0;
  const start = () => {
    const settings: CapacitySettings = { ...LIVE_FIXED, ns: [...form.ns].sort((a, b) => a - b), r: form.r, m: form.m, steps: form.steps, arms: form.arms };
    setRan(settings);
    controls.run({ settings });
  };

  return (
    <section className="chapter exp-chapter" aria-labelledby="chapter-capacity" data-testid="chapter-capacity">
      <h2 id="chapter-capacity">How much room do the facts need?</h2>
      <p>
        For each N, we search for the smallest embedding dimension, <em>d</em>
        <sub>min</sub>, at which training gets every fact right within a fixed budget of steps — the same R, MLP width m, learning
        rate and optimiser at every N. Once with learned subject embeddings; once with the subject embeddings frozen at their random
        start, so that the network has to store the facts elsewhere, as an associative memory (the control). Beside them, the
        construction's d* = (R+1)⌈log₂N⌉ + R, built and checked at each N. The horizontal axis is log N: a straight line means d grows
        like log N, and its slope is what each doubling of N costs. The paper predicts slow, logarithmic growth for learned
        embeddings, as for the construction; the plot shows what we measured.
      </p>
      {PRE && PRE_STORY ? (
        <div className="numbers" data-testid="capacity-findings">
          <p>
            Measured in the precomputed sweep ({describeSettings(PRE.settings)}; {PRE.backend})
            {PRE.complete ? '' : ' — an unfinished sweep: the file holds only the points computed before it stopped'}:
          </p>
          <Findings story={PRE_STORY} dMax={PRE.settings.dMax} />
          <p className="hint-text">
            One seed and one training run per point: each d<sub>min</sub> carries run-to-run noise, so read the slopes as rough.
          </p>
        </div>
      ) : (
        <PrecomputedError parsed={PRECOMPUTED} />
      )}

      <div className="exp-figure">
        <CapacityFigure precomputed={PRE_SET} live={liveSet} />
      </div>

      <h3>Run a sweep yourself</h3>
      <p className="hint-text">
        A small sweep runs here, in a background worker, on the same code; each trial stops at the first step with every fact right.
        Larger N, R or budgets take longer (from seconds to a few minutes). d is searched from {LIVE_FIXED.dFloor} to {LIVE_D_MAX}.
      </p>
      <div className="exp-form" data-testid="capacity-form">
        <CheckboxGroup legend="N" values={N_CHOICES} {...field.choices('ns')} />
        <CheckboxGroup legend="subject embeddings" values={ARMS} {...field.choices('arms')} format={(a) => (a === 'learned' ? 'learned' : 'frozen (control)')} />
        {field.selects({ r: ['R — relations', R_CHOICES], m: ['m — MLP width', M_CHOICES], steps: ['steps per trial', STEP_CHOICES] })}
      </div>
      <StartControls state={state} onStart={start} onCancel={controls.cancel} testId="capacity" valid={valid} label="Run the sweep" hint="Choose at least one N and one kind of subject embeddings." />
      <ExperimentProgress state={state} describe={capacityProgressText} label="Capacity sweep" what="the points" testId="capacity-progress" />
      {ran && liveStory && liveSet && (state.status === 'done' || state.status === 'cancelled') && (
        <div className="numbers" data-testid="capacity-live-findings">
          <p>
            Your live sweep ({describeSettings(ran)}){state.status === 'cancelled' ? ', cancelled before the end' : ''}:
          </p>
          <Findings story={liveStory} dMax={ran.dMax} />
        </div>
      )}
    </section>
  );
}
