/**
 * Save and load a run: the metric history as CSV, the weights as a weight file (core's JSON format,
 * written in the training worker), and loading a weight file — chosen with the file input or dropped
 * anywhere on the page — to inspect it or train it on. The file is read and checked in the training
 * worker; a bad one gives a notice here and leaves the current run as it was.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import './share.css';
import type { RunSettings } from '../worker/protocol';
import { checkWeightFileSize } from '../worker/weightImport';
import { downloadBlob } from './figures/exportFigure';
import { metricsCsv } from './metricHistory';
import { BROWSER_MAX_LOGIT_CELLS } from './urlState';
import type { TrainingControls, TrainingView } from './useTrainingWorker';

/** Larger files are refused before they are read (a model the page can train is far smaller). */
export const MAX_WEIGHT_FILE_BYTES = 256 * 1024 * 1024;
const LIMITS = { maxLogitCells: BROWSER_MAX_LOGIT_CELLS, maxBytes: MAX_WEIGHT_FILE_BYTES };

interface Notice {
  kind: 'error' | 'ok';
  text: string;
}

export interface RunFilesProps {
  view: TrainingView;
  controls: TrainingControls;
  settings: RunSettings;
  /** A weight file became the run: the page takes over its settings (without restarting it). */
  onLoaded(settings: RunSettings): void;
}

export function RunFiles({ view, controls, settings, onLoaded }: RunFilesProps) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<'weights' | 'load' | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  const relations = view.settings?.r ?? settings.r;
  const steps = view.history.steps.length;
  const name = (s: RunSettings) => `factual-recall-n${s.n}-r${s.r}-d${s.d}-m${s.m}`;

  const saveCsv = () => {
    const s = view.settings ?? settings;
    downloadBlob(new Blob([metricsCsv(view.history, relations)], { type: 'text/csv' }), `${name(s)}-metrics.csv`);
  };

  const saveWeights = async () => {
    setBusy('weights');
    try {
      const file = await controls.exportWeightFile();
      downloadBlob(file.blob, `${name(file.settings)}-step${file.step}-weights.json`);
    } catch (e) {
      setNotice({ kind: 'error', text: `The weights could not be saved: ${(e as Error).message}` });
    } finally {
      setBusy(null);
    }
  };

  const load = useCallback(
    async (file: File) => {
      const shown = JSON.stringify(file.name.length > 60 ? `${file.name.slice(0, 60)}…` : file.name);
      const tooBig = checkWeightFileSize(file.size, LIMITS);
      if (tooBig) {
        setNotice({ kind: 'error', text: `${shown} was not loaded: ${tooBig} The current run is unchanged.` });
        return;
      }
      setBusy('load');
      setNotice(null);
      try {
        const { settings: loaded, step } = await controls.loadWeightFile(file, settingsRef.current, LIMITS);
        onLoaded(loaded);
        setNotice({ kind: 'ok', text: `Loaded ${shown}: N = ${loaded.n}, R = ${loaded.r}, d = ${loaded.d}, m = ${loaded.m}, step ${step}.` });
      } catch (e) {
        setNotice({ kind: 'error', text: `${shown} was not loaded: ${(e as Error).message.replace(/^weight file: /, '')}. The current run is unchanged.` });
      } finally {
        setBusy(null);
      }
    },
    [controls, onLoaded],
  );

  // Dropping a file anywhere on the page loads it (and never navigates away to the file).
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      const file = e.dataTransfer?.files?.[0];
      depth = 0;
      setDragging(false);
      if (!file) return;
      e.preventDefault();
      void load(file);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [load]);

  return (
    <section className={`run-files${dragging ? ' dragging' : ''}`} aria-label="Save and load this run" data-testid="run-files">
      <div className="run-files-row">
        <span className="run-files-group">
          <span className="run-files-label">Save</span>
          <button type="button" data-testid="export-csv" onClick={saveCsv} disabled={steps === 0}>
            Metrics (CSV)
          </button>
          <button type="button" data-testid="export-weights" onClick={() => void saveWeights()} disabled={busy !== null || !view.settings}>
            {busy === 'weights' ? 'Writing…' : 'Weights (JSON)'}
          </button>
        </span>
        <span className="run-files-group">
          <span className="run-files-label">Load</span>
          <input
            id={inputId}
            className="run-files-input"
            data-testid="import-weights"
            type="file"
            accept=".json,application/json"
            disabled={busy === 'load'}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = ''; // choosing the same file again loads it again
              if (file) void load(file);
            }}
          />
          <label htmlFor={inputId} className="run-files-pick">
            {busy === 'load' ? 'Reading…' : 'Weights (JSON)…'}
          </label>
        </span>
        <span className="hint">or drop a weight file on the page: one saved here or by the CLI (--weights) continues training here.</span>
      </div>
      {dragging && <p className="run-files-drop">Drop a weight file to load it.</p>}
      {notice && (
        <p className={`run-files-notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="file-notice" data-kind={notice.kind}>
          <span>{notice.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </p>
      )}
    </section>
  );
}
