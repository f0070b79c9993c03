/**
 * The frame every figure shares: a <figure> named by its title, the "What to look for" line, the
 * drawing (children), the export buttons, and the text summary as the caption — hidden on screen but
 * read by screen readers, and the description (`descId`) the drawings point at with aria-describedby.
 * The ids, classes and test ids are what the browser tests and exportFigure.ts read.
 */
import { useId, type ReactNode } from 'react';
import { FigureExport } from './FigureExport';
import './figures.css';

export interface FigureShellProps {
  /** data-testid of the <figure>. */
  testId: string;
  title: ReactNode;
  /** What to look for, after the words "What to look for:". */
  look?: ReactNode;
  /** Or a lead line said as it is, in the same place. */
  lead?: ReactNode;
  /** File name of the exports: factual-recall-<exportName>.svg / .png. */
  exportName: string;
  /** The text summary (the caption). */
  summary: ReactNode;
  /** id of the caption; the drawings' aria-describedby. */
  descId?: string;
  /** data-* attributes of the <figure> (the tests read counts of marks from them). */
  data?: Record<`data-${string}`, string | number>;
  children: ReactNode;
}

export function FigureShell({ testId, title, look, lead, exportName, summary, descId, data, children }: FigureShellProps) {
  const titleId = useId();
  return (
    <figure className="fig" data-testid={testId} {...data} aria-labelledby={titleId}>
      <h3 className="fig-title" id={titleId}>
        {title}
      </h3>
      {(look !== undefined || lead !== undefined) && <p className="fig-look">{look !== undefined ? <>What to look for: {look}</> : lead}</p>}
      {children}
      <FigureExport name={exportName} />
      <figcaption className="fig-sr" id={descId}>
        {summary}
      </figcaption>
    </figure>
  );
}
