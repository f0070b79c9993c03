/**
 * The precomputed optimiser sweep (docs/science.md §9) as a table: one row per (R, optimiser) at one N,
 * each measurement the mean over seeds with its range. Cells that pass our bar (held-out probe ≥ 0.9
 * on every relation, every seed) are marked; an R² whose fit interpolates carries a †.
 */
import { memo } from 'react';
import type { OptimizerTableRow } from './optimizerTable';
import { describeOptimizer } from '../../core/training/optimizerSettings';
import { CLEAN_PROBE, fmtSpread, OPTIMIZER_SHORT } from './optimizerData';
import { FigureShell } from '../../ui/figures/FigureShell';
import { OPTIMIZER_COLOR } from './OptimizerCurvesFigure';
import type { OptimizerSettings } from '../../core/training/optimizerSettings';
import './optimizers.css';
import { fmtChance, fmtInt, fmtNum } from '../../ui/format';

export interface OptimizerTableProps {
  /** The rows of one N (optimizerTable). */
  rows: OptimizerTableRow[];
  n: number;
  d: number;
  m: number;
  steps: number;
  seeds: number[];
  /** The optimisers' settings as the sweep ran them. */
  settings: OptimizerSettings[];
  /** e.g. "precomputed (CLI, wasm)". */
  label: string;
  command: string;
  complete: boolean;
}

function steps100(row: OptimizerTableRow): string {
  if (row.reached === 0) return `— (0 of ${row.seeds.length})`;
  return `${fmtSpread(row.stepsTo100).replace(/\.00/g, '')}${row.reached < row.seeds.length ? ` (${row.reached} of ${row.seeds.length})` : ''}`;
}

export const OptimizerTable = memo(function OptimizerTable(props: OptimizerTableProps) {
  const { rows, n } = props;
  const chance = 1 / n;
  const summary = `${props.label}: ${rows
    .map(
      (r) =>
        `R = ${r.r}, ${OPTIMIZER_SHORT[r.optimizer]}: held-out probe ${fmtSpread(r.metrics.probeMin)}, superposition R² ${fmtNum(r.metrics.superpositionR2.mean)} (baseline ${fmtNum(r.metrics.baselineR2.mean)}), knock-out ${fmtNum(r.metrics.knockoutDiagonal.mean)} / ${fmtNum(r.metrics.knockoutOffDiagonal.mean)}, zero-shot ${fmtNum(r.metrics.zeroShot.mean)}.`,
    )
    .join(' ')}`;
  return (
    <FigureShell
      testId={`optimizer-table-${n}`}
      data={{ 'data-rows': rows.length }}
      title={
        <>
          N = {fmtInt(n)}, d = {props.d}, m = {props.m}: {fmtInt(props.steps)} steps, seeds {props.seeds.join(', ')}
        </>
      }
      lead={
        <>
          {props.label}
          {props.complete ? '' : ' — an unfinished sweep: some fact tables are missing'}. Each cell: mean over seeds (smallest–largest).
          Chance is {fmtChance(chance)}. <span className="opt-clean-key">Shaded</span>: held-out probe ≥ {CLEAN_PROBE} on every relation
          in every seed.
        </>
      }
      exportName={`optimizers-n${n}`}
      summary={summary}
    >
      {/* A wide table scrolls sideways on a narrow screen: the scroll box takes focus, so the keyboard can scroll it too. */}
      <div className="fig-scroll opt-table-scroll" tabIndex={0} role="region" aria-label={`Optimiser sweep at N = ${fmtInt(n)}: table, scrolls sideways`}>
        <table className="exp-table opt-table">
          <thead>
            <tr>
              <th scope="col">R</th>
              <th scope="col">optimiser</th>
              <th scope="col">held-out probe, weakest relation</th>
              <th scope="col">held-out probe, mean</th>
              <th scope="col">superposition R² (shared-map baseline)</th>
              <th scope="col">knock-out: own relation / others</th>
              <th scope="col">zero-shot transfer (maps’ held-out check)</th>
              <th scope="col">steps to 100%</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const clean = row.metrics.probeMin.count > 0 && row.metrics.probeMin.min >= CLEAN_PROBE;
              return (
                <tr
                  key={`${row.r}-${row.optimizer}`}
                  data-r={row.r}
                  data-optimizer={row.optimizer}
                  data-probe-min={row.metrics.probeMin.mean}
                  data-clean={clean ? '1' : '0'}
                  className={row.optimizer === 'adam' ? 'opt-row-first' : undefined}
                >
                  <th scope="row">{row.r}</th>
                  <td>
                    <span className="fig-swatch" style={{ background: OPTIMIZER_COLOR[row.optimizer] }} /> {OPTIMIZER_SHORT[row.optimizer]}
                    {row.diverged > 0 && <span className="opt-note"> ({row.diverged} diverged)</span>}
                  </td>
                  <td className={clean ? 'opt-clean' : undefined}>{fmtSpread(row.metrics.probeMin)}</td>
                  <td>{fmtSpread(row.metrics.probeMean)}</td>
                  <td>
                    {fmtNum(row.metrics.superpositionR2.mean)}
                    {row.interpolating > 0 ? '†' : ''} ({fmtNum(row.metrics.baselineR2.mean)})
                  </td>
                  <td>
                    {fmtNum(row.metrics.knockoutDiagonal.mean)} / {fmtNum(row.metrics.knockoutOffDiagonal.mean)}
                  </td>
                  <td>
                    {fmtSpread(row.metrics.zeroShot)} ({fmtNum(row.metrics.transferValidation.mean)})
                  </td>
                  <td>{steps100(row)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="hint-text">
        † the superposition fit has nearly as many features (R·d) as fitted subjects: it interpolates, and its held-out R² cannot be read
        as structure. Optimisers (each with its defaults): {props.settings.map(describeOptimizer).join('; ')}.
      </p>
      <p className="hint-text">
        Made with <code data-testid={`optimizer-command-${n}`}>{props.command}</code>
      </p>
    </FigureShell>
  );
});
