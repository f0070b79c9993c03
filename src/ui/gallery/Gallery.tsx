/**
 * The figure gallery, `?gallery=1`: every figure of the page drawn at once from fixture files, with no
 * worker and no training, for working on the figures (edit one, reload, look) and for the figure
 * snapshot tests (tests/browser/snapshots.test.ts), which serialise each section's drawing.
 *
 * The fixtures (src/ui/gallery/fixtures/) are written by the CLI:
 *   npm run cli -- fixtures --out src/ui/gallery/fixtures
 * (src/cli/fixtures.ts: the default playground trained 300 steps and measured as the training worker
 * measures it, a small optimiser comparison, and copies of the chapters' precomputed sweeps), and one
 * CLI run's curve for the associative-memory chapter:
 *   npm run cli -- assoc train --model linear --steps 4500 --every 20 --out src/ui/gallery/fixtures/assoc-curve.json
 *
 * Each figure sits in a <section data-testid="gallery-<name>"> and in the same wrapper as on the page
 * (`.figures` for the playground's, `.chapter .exp-figure` for the chapters'), so it is laid out alike.
 * Controls that would ask the worker for something (the knock-out button) do nothing here; the
 * projection's relation menu switches between the fixture's samples.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { AttributeProjectionFigure } from '../figures/AttributeProjectionFigure';
import { GatingFigure } from '../figures/GatingFigure';
import { LossAccuracyChart } from '../figures/LossAccuracyChart';
import { CapacityFigure } from '../../experiments/capacity/CapacityFigure';
import { MultihopFigure } from '../../experiments/multihop/MultihopFigure';
import { OptimizerCurvesFigure } from '../../experiments/optimizers/OptimizerCurvesFigure';
import { OptimizerTable } from '../../experiments/optimizers/OptimizerTable';
import { fileCommand, parseOptimizerFile, sweepStory } from '../../experiments/optimizers/optimizerData';
import { optimizerSettings } from '../../core/training/optimizerSettings';
import { mergeCapacityFiles, parseCapacityFile } from '../../experiments/capacity/data';
import { parseMultihopFile } from '../../experiments/multihop/data';
import { TransferFigure } from '../../experiments/transfer/TransferFigure';
import { AssocLossFigure } from '../../experiments/assoc/AssocLossFigure';
import { AssocMapFigure } from '../../experiments/assoc/AssocMapFigure';
import { AssocCapacityFigure } from '../../experiments/assoc/AssocCapacityFigure';
import { parseAssocCapacity, parseAssocSweep } from '../../experiments/assoc/data';
import type { AssocCurvePoint } from '../../experiments/assoc/assoc';
import { fmtInt } from '../format';
import { fixtureProblem, gatingFromJson, knockoutFromJson, projectionFromJson, type OptimizerCurvesFixture, type PlaygroundFixture, type TransferFixture } from './fixtureFormat';
import playgroundJson from './fixtures/playground.json';
import optimizerCurvesJson from './fixtures/optimizer-curves.json';
import capacityLearnedJson from './fixtures/capacity-learned.json';
import capacityFrozenJson from './fixtures/capacity-frozen.json';
import multihopJson from './fixtures/multihop.json';
import optimizersJson from './fixtures/optimizers.json';
import transferJson from './fixtures/transfer.json';
import { exposeSnapshots } from './snapshot';
import { GALLERY_FIGURES, type GalleryFigure } from './snapshotText';
import '../chapters/chapters.css';
import './gallery.css';


const FIXTURES = 'src/ui/gallery/fixtures/';

/** The associative-memory chapter's fixtures, read when present (a missing one is said in its section). */
const ASSOC = import.meta.glob<unknown>('./fixtures/assoc-*.json', { eager: true, import: 'default' });
const missing = (name: string) => `${FIXTURES}${name} is missing`;

exposeSnapshots();

function Section({ name, title, source, chapter, children }: { name: GalleryFigure; title: string; source: string; chapter?: boolean; children: ReactNode }) {
  const headingId = `gallery-heading-${name}`;
  return (
    <section className="gallery-section" data-testid={`gallery-${name}`} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title} <code className="gallery-name">{name}</code>
      </h2>
      <p className="gallery-source">from {source}</p>
      {chapter ? (
        <div className="chapter exp-chapter">
          <div className="exp-figure">{children}</div>
        </div>
      ) : (
        <div className="figures">{children}</div>
      )}
    </section>
  );
}

/** A fixture that cannot be drawn: said in its section, the other figures still drawn. */
function Broken({ message }: { message: string }) {
  return (
    <p className="gallery-error" role="alert">
      {message}
    </p>
  );
}

function PlaygroundFigures() {
  const fixture = playgroundJson as unknown as PlaygroundFixture;
  const problem = fixtureProblem('playground.json', fixture);
  if (problem) {
    return (
      <>
        {(['training', 'projection', 'gating'] as const).map((name) => (
          <Section key={name} name={name} title={name} source={`${FIXTURES}playground.json`}>
            <Broken message={problem} />
          </Section>
        ))}
      </>
    );
  }
  return <PlaygroundDrawn fixture={fixture} />;
}

function PlaygroundDrawn({ fixture }: { fixture: PlaygroundFixture }) {
  const [relation, setRelation] = useState(0);
  const measured = useMemo(
    () => ({
      projections: fixture.projections.map(projectionFromJson),
      gating: gatingFromJson(fixture.gating),
      knockout: knockoutFromJson(fixture.knockout),
    }),
    [fixture],
  );
  const { steps, loss, accuracy } = fixture.history;
  const r = fixture.settings.r;
  const source = `${FIXTURES}playground.json (${fixture.backend}, N = ${fixture.settings.n}, R = ${r}, d = ${fixture.settings.d}, m = ${fixture.settings.m}, step ${fmtInt(fixture.step)})`;
  return (
    <>
      <Section name="training" title="Loss and accuracy" source={source}>
        <LossAccuracyChart steps={steps} loss={loss} accuracy={accuracy} relations={r} />
      </Section>
      <Section name="projection" title="Attribute projection, probes, superposition" source={source}>
        <AttributeProjectionFigure
          projection={measured.projections[Math.min(relation, measured.projections.length - 1)]}
          probe={fixture.probe}
          superposition={fixture.superposition}
          relations={r}
          onRelationChange={setRelation}
          step={fixture.step}
        />
      </Section>
      <Section name="gating" title="Gating and knock-out" source={source}>
        <GatingFigure gating={measured.gating} knockout={measured.knockout} onKnockout={() => undefined} knockoutPending={false} step={fixture.step} />
      </Section>
    </>
  );
}

function ChapterFigures() {
  const capacity = useMemo(() => mergeCapacityFiles([parseCapacityFile(capacityLearnedJson as unknown), parseCapacityFile(capacityFrozenJson as unknown)]), []);
  const multihop = useMemo(() => parseMultihopFile(multihopJson as unknown), []);
  const optimizers = useMemo(() => parseOptimizerFile(optimizersJson as unknown), []);
  const curves = optimizerCurvesJson as unknown as OptimizerCurvesFixture;
  const curvesProblem = fixtureProblem('optimizer-curves.json', curves);
  const story = useMemo(() => (optimizers.ok ? sweepStory(optimizers.data) : null), [optimizers]);
  const transfer = transferJson as unknown as TransferFixture;
  const transferProblem = fixtureProblem('transfer.json', transfer);
  return (
    <>
      <Section name="capacity" title="Capacity" source={`${FIXTURES}capacity-learned.json, capacity-frozen.json`} chapter>
        {capacity.ok ? (
          <CapacityFigure
            precomputed={{ points: capacity.data.points, dMax: capacity.data.settings.dMax, label: `precomputed (CLI, ${capacity.data.backend}, seed ${capacity.data.settings.seed})` }}
            live={null}
          />
        ) : (
          <Broken message={capacity.message} />
        )}
      </Section>
      <Section name="transfer" title="New facts for free?" source={`${FIXTURES}transfer.json`} chapter>
        {transferProblem ? (
          <Broken message={transferProblem} />
        ) : (
          <TransferFigure zero={transfer.zero} config={transfer.config} modelStep={transfer.modelStep} own={transfer.own} chance={transfer.chance} />
        )}
      </Section>
      <Section name="multihop" title="Two hops" source={`${FIXTURES}multihop.json`} chapter>
        {multihop.ok ? (
          <MultihopFigure
            precomputed={{ points: multihop.data.points, n: multihop.data.config.n, label: `precomputed (CLI, ${multihop.data.backend}, N = ${multihop.data.config.n}, R = ${multihop.data.config.r})` }}
            live={null}
          />
        ) : (
          <Broken message={multihop.message} />
        )}
      </Section>
      <Section name="optimizer-curves" title="Optimisers side by side" source={`${FIXTURES}optimizer-curves.json`} chapter>
        {curvesProblem ? <Broken message={curvesProblem} /> : <OptimizerCurvesFigure runs={curves.runs} steps={curves.steps} label={curves.label} />}
      </Section>
      <Section name="optimizer-table" title="The optimiser sweep" source={`${FIXTURES}optimizers.json`} chapter>
        {optimizers.ok && story ? (
          <OptimizerTable
            rows={story.rows.filter((x) => x.n === optimizers.data.settings.ns[0])}
            n={optimizers.data.settings.ns[0]}
            d={optimizers.data.settings.d}
            m={optimizers.data.settings.m}
            steps={optimizers.data.settings.steps}
            seeds={optimizers.data.settings.seeds}
            settings={optimizers.data.settings.optimizers.map((o) => optimizers.data.records.find((x) => x.optimizer === o)?.settings ?? optimizerSettings(o))}
            label={`precomputed (CLI, ${optimizers.data.backend})`}
            command={fileCommand(optimizers.data, `${FIXTURES}optimizers.json`)}
            complete={optimizers.data.complete}
          />
        ) : (
          <Broken message={optimizers.ok ? 'no rows' : optimizers.message} />
        )}
      </Section>
    </>
  );
}

interface AssocCurveFile {
  format: string;
  backend: string;
  settings: { task: { s: number; r: number; answers: number; seed: number }; steps: number; lr: number };
  curve: AssocCurvePoint[];
}

function AssocFigures() {
  const curve = ASSOC['./fixtures/assoc-curve.json'] as AssocCurveFile | undefined;
  const sweepJson = ASSOC['./fixtures/assoc-sweep.json'];
  const capacityJson = ASSOC['./fixtures/assoc-capacity.json'];
  const sweep = useMemo(() => (sweepJson === undefined ? null : parseAssocSweep(sweepJson)), [sweepJson]);
  const capacity = useMemo(() => (capacityJson === undefined ? null : parseAssocCapacity(capacityJson)), [capacityJson]);
  const curveOk = curve?.format === 'factual-recall-assoc-train' && Array.isArray(curve.curve);
  return (
    <>
      <Section name="assoc-loss" title="Sequential learning" source={`${FIXTURES}assoc-curve.json`} chapter>
        {curveOk ? (
          <AssocLossFigure
            curve={curve.curve}
            answers={curve.settings.task.answers}
            relations={curve.settings.task.r}
            steps={curve.settings.steps}
            running={false}
            label={`fixture (CLI, ${curve.backend}; S = ${curve.settings.task.s}, R = ${curve.settings.task.r}, D = ${curve.settings.task.answers}, seed ${curve.settings.task.seed})`}
          />
        ) : (
          <Broken message={curve ? 'assoc-curve.json is not a factual-recall-assoc-train file' : missing('assoc-curve.json')} />
        )}
      </Section>
      <Section name="assoc-map" title="Heads × MLP width" source={`${FIXTURES}assoc-sweep.json`} chapter>
        {sweep?.ok ? (
          <AssocMapFigure
            cells={sweep.data.cells}
            heads={sweep.data.settings.heads}
            widths={sweep.data.settings.widths}
            facts={sweep.data.settings.task.s * sweep.data.settings.task.r}
            label={`precomputed (CLI, ${sweep.data.backend})`}
          />
        ) : (
          <Broken message={sweep ? sweep.message : missing('assoc-sweep.json')} />
        )}
      </Section>
      <Section name="assoc-capacity" title="Facts per parameter" source={`${FIXTURES}assoc-capacity.json`} chapter>
        {capacity?.ok ? (
          <AssocCapacityFigure points={capacity.data.points} fit={capacity.data.fit} label={`precomputed (CLI, ${capacity.data.backend})`} />
        ) : (
          <Broken message={capacity ? capacity.message : missing('assoc-capacity.json')} />
        )}
      </Section>
    </>
  );
}

export function Gallery() {
  return (
    <main className="page gallery" data-testid="gallery">
      <h1>Figure gallery</h1>
      <p className="hint-text">
        Every figure of the page, drawn from fixture files without training (<code>npm run cli -- fixtures --out src/ui/gallery/fixtures</code>{' '}
        writes them). The snapshot tests compare these drawings with <code>tests/browser/snapshots/</code>; rewrite those with{' '}
        <code>UPDATE_SNAPSHOTS=1</code>.
      </p>
      <nav aria-label="Figures">
        <ul className="gallery-index">
          {GALLERY_FIGURES.map((name) => (
            <li key={name}>
              <a href={`#gallery-heading-${name}`}>{name}</a>
            </li>
          ))}
        </ul>
      </nav>
      <PlaygroundFigures />
      <ChapterFigures />
      <AssocFigures />
    </main>
  );
}
