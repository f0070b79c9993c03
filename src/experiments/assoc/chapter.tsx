/**
 * Chapter "Associative memories" (docs/science.md §7, paper A): the same kind of facts stored another way.
 * A live sequential-learning run (the notebook's linear model) whose three stages are found in its curve
 * as it streams in; the precomputed heads × width map and facts-per-parameter sweep from the CLI; and a
 * small live heads × width sweep. Every number in the text is computed from the data shown.
 */
import { useMemo, useState } from 'react';
import { ASSOC_DEFAULTS, type AssocSweepSettings } from './assoc';
import { AssocLossFigure } from './AssocLossFigure';
import { AssocMapFigure } from './AssocMapFigure';
import { AssocCapacityFigure } from './AssocCapacityFigure';
import { assocProgressText, type AssocTrainJob } from './job';
import { capacityCommand, describeSweepSettings, parseAssocCapacity, parseAssocSweep, sweepCommand } from './data';
import { capacitySentences, detectStages, plateauSentence, stageSentences, sweepSentences } from './story';
import { isBusy, useExperiment } from '../../ui/useExperimentWorker';
import { CheckboxGroup, ExperimentProgress, formFields, liveSuffix, PrecomputedError, Sentences, StartControls, type ChapterProps } from '../../ui/chapters/chapterKit';
import type { Parsed } from '../kit';
import { fmtInt, fmtNum } from '../../ui/format';

// The precomputed files, when the CLI has written them (`npm run cli -- assoc sweep|capacity … --out …`, README).
const FILES = import.meta.glob<unknown>('./assoc-*.json', { eager: true, import: 'default' });
const SWEEP_PATH = 'src/experiments/assoc/assoc-sweep.json';
const CAPACITY_PATH = 'src/experiments/assoc/assoc-capacity.json';
function readFile<T>(name: string, path: string, parse: (json: unknown) => Parsed<T>): Parsed<T> {
  const json = FILES[`./${name}`];
  return json === undefined ? { ok: false, message: `${path} is not there yet (its command in the README writes it)` } : parse(json);
}
const PRE_SWEEP = readFile('assoc-sweep.json', SWEEP_PATH, parseAssocSweep);
const PRE_CAPACITY = readFile('assoc-capacity.json', CAPACITY_PATH, parseAssocCapacity);

const LINEAR = ASSOC_DEFAULTS.linear;
const STEP_CHOICES = [3000, 5000, 8000] as const;
const SEED_CHOICES = [1, 2, 3] as const;
/** A curve point every EVERY steps. */
const EVERY = 10;

/** The live sweep: a smaller task than the precomputed one, so that a few models train in a minute or two. */
const SWEEP_TASK = { s: 8, r: 8, answers: 8, noise: 16, seqLen: 32, structured: false, seed: 1 };
const SWEEP_FIXED = { d: 16, headDim: 4, lr: 0.01, batch: 256 };
const HEAD_CHOICES = [1, 2, 4, 8] as const;
const WIDTH_CHOICES = [2, 8, 32, 64] as const;
const SWEEP_STEP_CHOICES = [200, 500, 1000] as const;

interface SweepForm {
  heads: number[];
  widths: number[];
  steps: number;
}

function describeTrain(j: AssocTrainJob): string {
  const t = j.task;
  return `S = ${t.s}, R = ${t.r}, D = ${t.answers}, ${t.noise} noise tokens, T = ${t.seqLen}, one-hot embeddings, linear attention, gradient descent lr ${j.lr}, batch ${fmtInt(j.batch)}, seed ${t.seed}`;
}

function describeLiveSweep(s: AssocSweepSettings): string {
  return `S = ${s.task.s}, R = ${s.task.r}, D = ${s.task.answers}, d = ${s.d}, dh = ${s.headDim}, up to ${fmtInt(s.steps)} steps per model, lr ${s.lr}`;
}

function PrecomputedMap() {
  if (!PRE_SWEEP.ok) return <PrecomputedError parsed={PRE_SWEEP} what="The precomputed heads × width map" />;
  const file = PRE_SWEEP.data;
  const facts = file.settings.task.s * file.settings.task.r;
  const label = `precomputed (CLI, ${file.backend}; ${describeSweepSettings(file)}${file.complete ? '' : '; unfinished'})`;
  return (
    <>
      <div className="numbers" data-testid="assoc-map-findings">
        <p>Measured in the precomputed sweep ({describeSweepSettings(file)}; {file.backend}):</p>
        <Sentences items={sweepSentences(file.cells, facts)} />
      </div>
      <div className="exp-figure">
        <AssocMapFigure cells={file.cells} heads={[...new Set(file.cells.map((c) => c.heads))]} widths={[...new Set(file.cells.map((c) => c.width))]} facts={facts} label={label} />
        <p className="hint-text">
          {label}: <code data-testid="assoc-sweep-command">{sweepCommand(file, SWEEP_PATH)}</code>
        </p>
      </div>
    </>
  );
}

function PrecomputedCapacity() {
  if (!PRE_CAPACITY.ok) return <PrecomputedError parsed={PRE_CAPACITY} what="The precomputed facts-per-parameter sweep" />;
  const file = PRE_CAPACITY.data;
  const s = file.settings;
  const label = `precomputed (CLI, ${file.backend}; H = ${s?.heads}, D = ${s?.answers}, d = ${(s?.ds ?? []).join(', ')}${file.complete ? '' : '; unfinished'})`;
  return (
    <>
      <div className="numbers" data-testid="assoc-capacity-findings">
        <p>Measured in the precomputed search ({file.backend}):</p>
        <Sentences items={capacitySentences(file.points, file.fit)} />
      </div>
      <div className="exp-figure">
        <AssocCapacityFigure points={file.points} fit={file.fit} label={label} />
        <p className="hint-text">
          {label}: <code data-testid="assoc-capacity-command">{capacityCommand(file, CAPACITY_PATH)}</code>
        </p>
      </div>
    </>
  );
}

export default function AssocChapter({ client }: ChapterProps) {
  const [train, trainControls] = useExperiment(client, 'assoc');
  const [sweep, sweepControls] = useExperiment(client, 'assoc');
  const [form, setForm] = useState({ steps: 5000 as number, seed: 1 as number });
  const [sweepForm, setSweepForm] = useState<SweepForm>({ heads: [1, 4], widths: [8, 64], steps: 500 });
  const [ran, setRan] = useState<AssocTrainJob | null>(null);
  const [swept, setSwept] = useState<AssocSweepSettings | null>(null);
  const trainBusy = isBusy(train.status);
  const sweepBusy = isBusy(sweep.status);
  const field = formFields(form, setForm, trainBusy || sweepBusy, 'assoc');
  const sweepField = formFields(sweepForm, setSweepForm, trainBusy || sweepBusy, 'assoc-sweep');

  const tp = train.progress?.kind === 'train' ? train.progress : null;
  const tr = train.result?.kind === 'train' ? train.result.result : null;
  const curve = useMemo(() => tr?.curve ?? tp?.curve ?? [], [tr, tp]);
  const running = trainBusy;
  const stages = useMemo(() => (ran ? detectStages(curve, ran.task.answers, ran.task.r) : null), [curve, ran]);
  const sp = sweep.progress?.kind === 'sweep' ? sweep.progress : null;
  const sr = sweep.result?.kind === 'sweep' ? sweep.result : null;
  const sweepCells = sr?.cells ?? sp?.cells ?? [];

  const startTrain = () => {
    const job: AssocTrainJob = { kind: 'train', ...LINEAR, task: { ...LINEAR.task, seed: form.seed }, steps: form.steps, every: EVERY };
    setRan(job);
    trainControls.run(job);
  };
  const startSweep = () => {
    const settings: AssocSweepSettings = { task: SWEEP_TASK, ...SWEEP_FIXED, heads: [...sweepForm.heads].sort((a, b) => a - b), widths: [...sweepForm.widths].sort((a, b) => a - b), steps: sweepForm.steps };
    setSwept(settings);
    sweepControls.run({ kind: 'sweep', settings });
  };

  return (
    <section className="chapter exp-chapter" aria-labelledby="chapter-assoc" data-testid="chapter-assoc">
      <h2 id="chapter-assoc">Associative memories</h2>
      <p>
        The same kind of facts — a subject, a relation, one answer — can be stored another way. Nichani, Lee and Bietti (A) freeze the
        embeddings at random vectors. Then no geometry can be written into them, and the weights have to hold the facts as an associative
        memory: the MLP and the attention store the pairs (subject, relation) → answer one by one, like a lookup table. A’s result is that
        such a store still works, but its capacity grows only linearly with its parameters — about {fmtNum(0.15)} facts per parameter —
        where the geometric store of the chapters above grows its embedding dimension only like log N. The same facts, a different store.
      </p>
      <p>
        A’s task puts the subject and the relation at random places among noise tokens; the model reads the answer off the last token. The
        relation owns D of the D·R answers. So a model can know the relation without the subject: it then spreads its bet over that
        relation’s D answers, loss log D, and names one of them — an answer of the right kind, but not the subject’s. A calls this
        hallucination, and in their simplified model (one-hot embeddings, linear attention, no MLP, plain gradient descent) it is a stage of
        learning: the loss sits at log(D·R), then at log D, then falls.
      </p>

      <h3>Watch the three stages</h3>
      <p className="hint-text">
        The notebook’s settings ({describeTrain({ kind: 'train', ...LINEAR, every: EVERY })}), trained here in a background worker. Beside
        the loss, the relation-only loss (how much probability goes to the right relation’s answers) and the subject-only loss (to the answers
        with the subject’s place within a relation).
      </p>
      <div className="exp-form" data-testid="assoc-form">
        {field.selects({ steps: ['steps', STEP_CHOICES], seed: ['seed', SEED_CHOICES] })}
      </div>
      <StartControls state={train} onStart={startTrain} onCancel={trainControls.cancel} testId="assoc" valid={!sweepBusy} label="Train" hint="Wait for the sweep below to finish, or cancel it." />
      <ExperimentProgress state={train} describe={assocProgressText} label="Sequential learning" what="the curve" testId="assoc-progress" />
      {ran && stages && curve.length > 0 && (
        <>
          <div className="exp-figure">
            <AssocLossFigure curve={curve} answers={ran.task.answers} relations={ran.task.r} steps={ran.steps} running={running} label={`live (${train.backend ?? 'this browser'}; seed ${ran.task.seed})`} />
          </div>
          <div className="numbers" data-testid="assoc-stages">
            <p>
              Your run ({describeTrain(ran)}){liveSuffix(train)}:
            </p>
            <p
              data-testid="assoc-plateau"
              data-from={stages.plateau?.from ?? ''}
              data-to={stages.plateau?.to ?? ''}
              data-open={stages.plateau ? String(stages.plateau.open && running) : ''}
            >
              {plateauSentence(stages, ran.task.answers, running)}
            </p>
            <Sentences items={stageSentences(stages, ran.task.answers, ran.task.r, running).filter((_, i) => i !== 1)} />
          </div>
        </>
      )}
      <p className="hint-text">
        In A’s full model — softmax attention, frozen random embeddings, an MLP, Adam — our port of their code found no plateau: it learns
        the facts in a hundred steps or so. The stage belongs to the simplified model and plain gradient descent.
      </p>

      <h3>Where the facts go: heads or MLP width</h3>
      <p>
        In the full model the facts can live in the attention (d·dh·H parameters) or in the MLP (d·m). A trains a grid of models, heads
        across and MLP width up, each until it stores every fact or its budget runs out; computed beforehand with the command line.
      </p>
      <PrecomputedMap />

      <h3>Facts per parameter</h3>
      <p>
        For models of growing size d, with eight heads and the MLP width tied to d, A searches for the most facts each stores at 99%
        (S = R = size, D = 8) and counts the parameters of attention and MLP (the frozen embeddings left out). A’s line: facts = 0.15 ×
        parameters.
      </p>
      <PrecomputedCapacity />

      <h3>Run a small sweep yourself</h3>
      <p className="hint-text">
        A few models of a smaller task ({describeLiveSweep({ task: SWEEP_TASK, ...SWEEP_FIXED, heads: [], widths: [], steps: sweepForm.steps })}) train here in turn,
        each until 99% or its budget.
      </p>
      <div className="exp-form" data-testid="assoc-sweep-form">
        <CheckboxGroup legend="heads H" values={HEAD_CHOICES} {...sweepField.choices('heads')} />
        <CheckboxGroup legend="MLP width m" values={WIDTH_CHOICES} {...sweepField.choices('widths')} />
        {sweepField.selects({ steps: ['steps per model', SWEEP_STEP_CHOICES] })}
      </div>
      <StartControls
        state={sweep}
        onStart={startSweep}
        onCancel={sweepControls.cancel}
        testId="assoc-sweep"
        valid={sweepForm.heads.length > 0 && sweepForm.widths.length > 0 && !trainBusy}
        label="Run the sweep"
        hint="Choose at least one head count and one width (and wait for the run above)."
      />
      <ExperimentProgress state={sweep} describe={assocProgressText} label="Heads × width sweep" what="the models" testId="assoc-sweep-progress" />
      {swept && sweepCells.length > 0 && (
        <>
          <div className="numbers" data-testid="assoc-sweep-findings">
            <p>
              Your sweep ({describeLiveSweep(swept)}){liveSuffix(sweep)}:
            </p>
            <Sentences items={sweepSentences(sweepCells, swept.task.s * swept.task.r)} />
          </div>
          <div className="exp-figure">
            <AssocMapFigure
              testId="figure-assoc-live-map"
              cells={sweepCells}
              heads={swept.heads}
              widths={swept.widths}
              facts={swept.task.s * swept.task.r}
              label={`live (${sweep.backend ?? 'this browser'}; ${describeLiveSweep(swept)})`}
            />
          </div>
        </>
      )}
    </section>
  );
}
