/**
 * The zero-shot transfer figure (docs/science.md §4): per relation, the accuracy on new facts of
 * embeddings rebuilt from the model's superposition maps, beside chance, the old embeddings, the
 * held-out validation and the model's own facts; the sentence above it is computed from those numbers.
 */
import type { ModelConfig } from '../../core/model/model';
import { FigureShell } from '../../ui/figures/FigureShell';
import { summarizeTransferValidation, transferVerdict } from '../../ui/figures/summaries';
import { countWord, fmtChance, fmtInt, fmtNum, joinAnd } from '../../ui/format';
import type { ZeroShotSummary } from './job';

export interface TransferFigureProps {
  zero: ZeroShotSummary;
  /** The tested model, the training steps it had, and its accuracy per relation on its own facts. */
  config: ModelConfig;
  modelStep: number;
  own: number[];
  /** 1/N. */
  chance: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const pct = (x: number) => `${fmtNum(100 * x, x === 1 ? 0 : 1)}%`;

function describeModel(c: ModelConfig, step: number): string {
  return `N = ${fmtInt(c.n)}, R = ${c.r}, d = ${c.d}, m = ${c.m}, after ${fmtInt(step)} training step${step === 1 ? '' : 's'}`;
}

export function TransferFigure({ zero, config, modelStep, own, chance }: TransferFigureProps) {
  const verdict = transferVerdict(zero, chance);
  return (
    <FigureShell
      testId="figure-transfer"
      data={{ 'data-marks': zero.accuracyByRelation.length }}
      title="Zero-shot accuracy on new facts, per relation"
      exportName="transfer"
      summary={`Zero-shot accuracy on new facts, per relation: ${joinAnd(zero.accuracyByRelation.map((a) => fmtNum(a)))}; chance ${fmtChance(chance)}; the old embeddings ${fmtNum(mean(zero.unchangedAccuracyByRelation))}; the held-out validation ${fmtNum(mean(zero.reconstructedAccuracyByRelation))}.`}
    >
      <p className="numbers" data-testid="transfer-summary">
        Your model ({describeModel(config, modelStep)}) answers {pct(mean(own))} of its own facts. {summarizeTransferValidation(zero)} On
        new bijections, with embeddings built from the same maps and no training, it answers {pct(mean(zero.accuracyByRelation))} of
        the new facts ({joinAnd(zero.accuracyByRelation.map((a) => fmtNum(a)))} for the {countWord(zero.accuracyByRelation.length)} relations);
        chance is {fmtChance(chance)}, and the model's old embeddings get {fmtNum(mean(zero.unchangedAccuracyByRelation))}. {verdict}
        {mean(own) < 1 && ' The model does not yet get all of its own facts right: train it to 100% first for a fair test.'}
      </p>
      <div className="fig-scroll">
        <table className="exp-table" data-testid="transfer-zero-shot" data-accuracy={zero.accuracyByRelation.join(',')}>
          <thead>
            <tr>
              <th scope="col">relation</th>
              <th scope="col">zero-shot, new facts</th>
              <th scope="col">old embeddings, new facts</th>
              <th scope="col">validation: held-out subjects, rebuilt, old facts</th>
              <th scope="col">own facts</th>
            </tr>
          </thead>
          <tbody>
            {zero.accuracyByRelation.map((a, r) => (
              <tr key={r}>
                <th scope="row">r{r}</th>
                <td>
                  <span className="exp-cell-bar" aria-hidden="true">
                    <span style={{ width: `${100 * a}%` }} />
                    <span className="exp-chance" style={{ left: `${100 * chance}%` }} />
                  </span>
                  {fmtNum(a)}
                </td>
                <td>{fmtNum(zero.unchangedAccuracyByRelation[r])}</td>
                <td>{fmtNum(zero.reconstructedAccuracyByRelation[r])}</td>
                <td>{fmtNum(own[r])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="fig-note">
        Bars: zero-shot accuracy; the thin mark is chance (1/N = {fmtChance(chance)}). Validation: the {fmtInt(zero.heldOutSubjects)}{' '}
        subjects the fit did not see, their embeddings replaced by Σ<sub>r</sub> A<sub>r</sub> u<sub>π_r(s)</sub>, on their own facts.
      </p>
    </FigureShell>
  );
}
