/**
 * The difference between run A and run B in numbers: step, accuracy, step of 100%, held-out probe
 * (lowest and mean), superposition R², loss, each for A and B and B − A.
 */
import type { RunSettings } from '../worker/protocol';
import { probeVerdict, runLabel, runNumbers, type RunNumbers } from './compare';
import { describeTraining } from './StatusPanel';
import type { CompareChanges } from './urlState';
import type { TrainingView } from './useTrainingWorker';

interface Row {
  key: string;
  label: string;
  value(n: RunNumbers): number | null;
  format(x: number): string;
  /** Whether B − A means something here (not for the step counters themselves). */
  difference: boolean;
}

const int = new Intl.NumberFormat('en-US');
const two = (x: number) => x.toFixed(2);
const signed = (x: number, format: (x: number) => string) => (x > 0 ? `+${format(x)}` : x < 0 ? `−${format(-x)}` : format(0));

const ROWS: Row[] = [
  { key: 'step', label: 'step', value: (n) => n.step, format: (x) => int.format(x), difference: false },
  { key: 'accuracy', label: 'accuracy (mean over relations)', value: (n) => n.accuracy, format: (x) => `${(100 * x).toFixed(1)}%`, difference: true },
  { key: 'steps-to-100', label: 'step of 100%', value: (n) => n.stepsTo100, format: (x) => int.format(x), difference: true },
  { key: 'probe-min', label: 'held-out probe, weakest relation', value: (n) => n.probeMin, format: two, difference: true },
  { key: 'probe-mean', label: 'held-out probe, mean', value: (n) => n.probeMean, format: two, difference: true },
  { key: 'r2', label: 'superposition R² (held-out)', value: (n) => n.r2, format: two, difference: true },
  { key: 'loss', label: 'loss', value: (n) => n.loss, format: (x) => x.toPrecision(3), difference: true },
];

export interface CompareSummaryProps {
  a: TrainingView;
  b: TrainingView;
  settingsA: RunSettings;
  settingsB: RunSettings;
  changes: CompareChanges;
}

export function CompareSummary({ a, b, settingsA, settingsB, changes }: CompareSummaryProps) {
  const na = runNumbers(a);
  const nb = runNumbers(b);
  const verdict = probeVerdict(na, nb);
  const cell = (row: Row, n: RunNumbers) => {
    const v = row.value(n);
    return v === null ? '—' : row.format(v);
  };
  return (
    <section className="compare-summary" aria-label="Run A against run B, in numbers" data-testid="compare-summary">
      <h2 className="compare-title">
        A: {runLabel(changes, settingsA)} · B: {runLabel(changes, settingsB)}
      </h2>
      <p className="compare-recipes">
        Same {settingsA.n * settingsA.r} facts (N = {settingsA.n}, R = {settingsA.r}, seed {settingsA.seed})
        {settingsA.d === settingsB.d && settingsA.m === settingsB.m ? ' and the same initial weights' : ', each from the initial weights of its own size'}. A
        trains with {describeTraining(settingsA)}; B with {describeTraining(settingsB)}
        {settingsA.d !== settingsB.d || settingsA.m !== settingsB.m ? `, d = ${settingsB.d}, m = ${settingsB.m}` : ''}.
      </p>
      <div className="compare-table-wrap">
        <table className="compare-table">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">A</th>
              <th scope="col">B</th>
              <th scope="col">B − A</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => {
              const va = row.value(na);
              const vb = row.value(nb);
              const diff = row.difference && va !== null && vb !== null ? vb - va : null;
              return (
                <tr key={row.key} data-row={row.key} data-a={va ?? ''} data-b={vb ?? ''}>
                  <th scope="row">{row.label}</th>
                  <td>{cell(row, na)}</td>
                  <td>{cell(row, nb)}</td>
                  <td>{diff === null ? '—' : signed(diff, row.format)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="compare-verdict" data-testid="compare-verdict">
        {verdict ?? 'Measuring both runs…'}
      </p>
    </section>
  );
}
