/**
 * The export buttons of a figure (SVG, PNG), at its end: placed inside any figure, they export the <figure>
 * they sit in with exportFigure.ts, so every figure shares the same code.
 */
import { useRef, useState } from 'react';
import { exportFigure, type FigureFormat } from './exportFigure';
import './exportFigure.css';

export function FigureExport({ name }: { name: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState<FigureFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: FigureFormat) => {
    const figure = ref.current?.closest('figure');
    if (!figure) return;
    setBusy(format);
    setError(null);
    try {
      await exportFigure(figure, format, `factual-recall-${name}`);
    } catch (e) {
      setError(`The ${format.toUpperCase()} could not be made: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="fig-export" ref={ref} role="group" aria-label="Download this figure">
      {(['svg', 'png'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="fig-button fig-export-button"
          data-testid={`export-${format}`}
          onClick={() => void run(format)}
          disabled={busy !== null}
          title={`Download this figure as ${format.toUpperCase()}`}
        >
          {busy === format ? '…' : `⤓ ${format.toUpperCase()}`}
        </button>
      ))}
      {error && (
        <span className="fig-export-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
