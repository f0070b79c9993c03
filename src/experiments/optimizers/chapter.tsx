/**
 * Chapter "Which training finds the geometry?" (docs/science.md §9): Adam, SGD with momentum, plain
 * gradient descent and sign descent trained live on one fact table from the same initial weights, side
 * by side in the experiment worker; and the precomputed sweep from the CLI (optimiser × R × seeds at
 * two N). Every number in the text is computed from the data on screen.
 */
import { useMemo, useState } from 'react';
import { describeOptimizer, OPTIMIZERS, optimizerSettings } from '../../core/training/optimizerSettings';
import type { OptimizerComparisonSettings, OptimizerRun } from './optimizerSweep';
import { optimizersProgressText, type OptimizersJob } from './job';
import optimizersN256Json from './optimizers-n256.json';
import optimizersN512Json from './optimizers-n512.json';
import { OptimizerCurvesFigure } from './OptimizerCurvesFigure';
import { OptimizerTable } from './OptimizerTable';
import { isBusy, useExperiment } from '../../ui/useExperimentWorker';
import { CheckboxGroup, ExperimentProgress, formFields, liveSuffix, StartControls, Sentences, type ChapterProps } from '../../ui/chapters/chapterKit';
import { CLEAN_PROBE, fileCommand, liveSentences, OPTIMIZER_SHORT, parseOptimizerFile, sweepStory, type OptimizerFile } from './optimizerData';
import { fmtInt } from '../../ui/format';

/** The precomputed sweeps and the paths the CLI wrote them to (the command printed under each table). */
const PRECOMPUTED = [
  { path: 'src/experiments/optimizers/optimizers-n256.json', parsed: parseOptimizerFile(optimizersN256Json as unknown) },
  { path: 'src/experiments/optimizers/optimizers-n512.json', parsed: parseOptimizerFile(optimizersN512Json as unknown) },
];

const N_CHOICES = [64, 128, 256] as const;
const R_CHOICES = [1, 2, 3, 4] as const;
const D_CHOICES = [16, 32, 64] as const;
const M_CHOICES = [64, 128, 256] as const;
const STEP_CHOICES = [100, 300, 600, 1000] as const;
const SEED_CHOICES = [1, 2, 3] as const;

type Form = Omit<OptimizerComparisonSettings, 'probeEvery' | 'curveEvery'>;

/** About 30 probe measurements per run, at a multiple of 10 steps. */
export function probeEveryFor(steps: number): number {
  return Math.max(10, Math.round(steps / 30 / 10) * 10);
}

function describeJob(j: Pick<OptimizersJob, 'n' | 'r' | 'd' | 'm' | 'steps' | 'seed'>): string {
  return `N = ${fmtInt(j.n)}, R = ${j.r}, d = ${j.d}, m = ${j.m}, ${fmtInt(j.steps)} steps each, seed ${j.seed}`;
}

function PrecomputedFindings({ file, path }: { file: OptimizerFile; path: string }) {
  const story = useMemo(() => sweepStory(file), [file]);
  const ns = file.settings.ns;
  return (
    <>
      <div className="numbers" data-testid={`optimizers-findings-${ns.join('-')}`}>
        <p>
          Measured in the precomputed sweep at N = {ns.map(fmtInt).join(', ')} ({file.backend}
          {file.complete ? '' : '; unfinished: some fact tables are missing'}):
        </p>
        <Sentences items={story.sentences} />
      </div>
      <div className="exp-figure">
        {ns.map((n) => (
          <OptimizerTable
            key={n}
            rows={story.rows.filter((x) => x.n === n)}
            n={n}
            d={file.settings.d}
            m={file.settings.m}
            steps={file.settings.steps}
            seeds={file.settings.seeds}
            settings={file.settings.optimizers.map((o) => file.records.find((x) => x.optimizer === o)?.settings ?? optimizerSettings(o))}
            label={`precomputed (CLI, ${file.backend})`}
            command={fileCommand(file, path)}
            complete={file.complete}
          />
        ))}
      </div>
    </>
  );
}

export default function OptimizerChapter({ client }: ChapterProps) {
  const [state, controls] = useExperiment(client, 'optimizers');
  const [form, setForm] = useState<Form>({ n: 256, r: 2, d: 32, m: 256, steps: 600, seed: 1, optimizers: [...OPTIMIZERS] });
  const [ran, setRan] = useState<OptimizersJob | null>(null);
  const busy = isBusy(state.status);
  const field = formFields(form, setForm, busy, 'optimizers');

  const runs: OptimizerRun[] = state.result?.runs ?? state.progress?.runs ?? [];
  const sentences = useMemo(() => (ran ? liveSentences(runs, 1 / ran.n) : []), [runs, ran]);
  const liveLabel = ran ? `live (${state.backend ?? 'this browser'}; ${describeJob(ran)})` : '';

  const valid = form.optimizers.length > 0;
  const start = () => {
    const job: OptimizersJob = { ...form, optimizers: OPTIMIZERS.filter((o) => form.optimizers.includes(o)), probeEvery: probeEveryFor(form.steps) };
    setRan(job);
    controls.run(job);
  };

  return (
    <section className="chapter exp-chapter" aria-labelledby="chapter-optimizers" data-testid="chapter-optimizers">
      <h2 id="chapter-optimizers">Which training finds the geometry?</h2>
      <p>
        Ravfogel et al. describe what gradient descent finds: subject embeddings that are linear superpositions of their attribute
        vectors, read out by an MLP that selects one relation’s part by ReLU gating. Whether a trained model shows it depends on how it
        was trained. Here four optimisers train the same model on the same facts from the same initial weights, each with its defaults:{' '}
        {OPTIMIZERS.map((o) => describeOptimizer(optimizerSettings(o))).join('; ')}. The embedding tables take
        a larger learning rate under SGD and GD, because in a mean loss over N·R facts each of their rows gets only its own facts’ share
        of the gradient. The test of the geometry is the held-out probe: a linear map per relation, fitted on 80% of the subjects, must
        name each held-out subject’s attribute from its embedding alone. We call a run clean when that probe reaches {CLEAN_PROBE} on every
        relation (our bar).
      </p>
      <h3>Why the optimiser should matter: the sign test</h3>
      <p>
        Early in training, the gradient of a subject’s embedding is a linear combination of its attribute vectors, so gradient descent —
        with or without momentum — adds linear combinations of attribute vectors to it, step after step: a linear superposition, the
        geometry. Adam divides each coordinate’s update by the running size of that coordinate’s gradient, √v + ε; once the gradients are
        much larger than ε, its update is close to the <em>sign</em> of the gradient, coordinate by coordinate. The sign of a linear
        combination is not a linear combination: it keeps the direction roughly (the sign of a Gaussian keeps about 2/π ≈ 0.64 of its
        variance) but not exactly, and the error is written into the embedding at every step. Two diagnostics follow. Sign descent —
        the update <em>is</em> the sign of the gradient — should then look like Adam, not like gradient descent; it is one of the four
        below. And Adam with a large ε (say 1, larger than the gradients), whose update is then linear in the gradient again, should look
        like gradient descent (a test for a PyTorch run, where ε is a setting; here it is not).
      </p>

      <h3>Run it yourself</h3>
      <p className="hint-text">
        The optimisers train in turn, a few steps each, in a background worker, so their curves grow side by side; the held-out probes
        are measured every {probeEveryFor(form.steps)} steps, and every measurement of the table below when the budget is spent. There is no early stop.
      </p>
      <div className="exp-form" data-testid="optimizers-form">
        <CheckboxGroup legend="optimisers" values={OPTIMIZERS} {...field.choices('optimizers', 'optimizers-choice')} format={(o) => OPTIMIZER_SHORT[o]} />
        {field.selects({ n: ['N', N_CHOICES], r: ['R — relations', R_CHOICES], d: ['d — embedding', D_CHOICES], m: ['m — MLP width', M_CHOICES], steps: ['steps', STEP_CHOICES], seed: ['seed', SEED_CHOICES] })}
      </div>
      <StartControls state={state} onStart={start} onCancel={controls.cancel} testId="optimizers" valid={valid} label="Train side by side" hint="Choose at least one optimiser." />
      <ExperimentProgress state={state} describe={optimizersProgressText} label="Optimisers side by side" what="the curves" testId="optimizers-progress" />
      {ran && runs.length > 0 && (
        <>
          <div className="exp-figure">
            <OptimizerCurvesFigure runs={runs} steps={ran.steps} label={liveLabel} />
          </div>
          {sentences.length > 0 && (
            <div className="numbers" data-testid="optimizers-live-findings">
              <p>
                Your run ({describeJob(ran)}){liveSuffix(state)}:
              </p>
              <Sentences items={sentences} />
            </div>
          )}
        </>
      )}

      <h3>The precomputed sweep: every optimiser, several R and seeds</h3>
      <p>
        Computed beforehand with the command line (the command is under each table), on the same code. Besides the held-out probe: the
        superposition R² (how much of the subject embeddings Σ<sub>r</sub> A<sub>r</sub> u<sub>π_r(s)</sub> explains on held-out subjects)
        beside the baseline of one map shared by the relations, which is not 0 even for the construction (about 1/R); the knock-out
        (zero the MLP units selective for one relation: that relation’s accuracy, and the others’ — the construction gives chance and 1);
        and zero-shot transfer (new subject embeddings built from the fitted maps for new facts, no training; the construction gives 1),
        beside the maps’ own check on subjects they were not fitted on.
      </p>
      {PRECOMPUTED.map(({ path, parsed }) =>
        parsed.ok ? (
          <PrecomputedFindings key={path} file={parsed.data} path={path} />
        ) : (
          <p key={path} className="exp-status-error" role="alert">
            The precomputed sweep in {path} could not be shown: {parsed.message}.
          </p>
        ),
      )}
    </section>
  );
}
