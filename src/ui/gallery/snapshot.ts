/**
 * A gallery figure's snapshot, made in the page: the figure's drawing as the SVG export makes it
 * (figureToSvg: its <svg> layers with their computed styles inline, its canvases as PNG images, its
 * labels as text, at their on-screen positions), its HTML tables added below the drawing as XHTML in
 * <foreignObject>s, then normalised (snapshotText.ts). A figure drawn in HTML alone (the optimiser
 * table) is its markup as XHTML in one <foreignObject>. The snapshot tests (tests/browser/snapshots.test.ts)
 * call it through `window.__gallerySnapshot(name)`.
 */
import { figureToSvg } from '../figures/exportFigure';
import { normalizeSnapshot } from './snapshotText';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const PAD = 12;

/** The snapshot of the figure in section `gallery-<name>`; null when there is no figure there (yet). */
export function figureSnapshot(name: string): string | null {
  const figure = document.querySelector(`[data-testid="gallery-${name}"] figure`);
  if (!(figure instanceof HTMLElement)) return null;
  if (!figure.querySelector('svg, canvas')) return htmlFigureSnapshot(figure);
  const { svg } = figureToSvg(figure, { canvasesAsImages: true, background: true });
  const tables = Array.from(figure.querySelectorAll('table')).filter((t) => t.getClientRects().length > 0);
  if (tables.length === 0) return normalizeSnapshot(svg);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  let width = Number(root.getAttribute('width'));
  let height = Number(root.getAttribute('height'));
  for (const table of tables) {
    const box = table.getBoundingClientRect();
    const slot = doc.createElementNS(SVG_NS, 'foreignObject');
    slot.setAttribute('x', String(PAD));
    slot.setAttribute('y', String(height));
    slot.setAttribute('width', String(box.width));
    slot.setAttribute('height', String(box.height));
    const wrap = doc.createElementNS(XHTML_NS, 'div');
    wrap.appendChild(doc.importNode(table, true));
    slot.appendChild(wrap);
    root.appendChild(slot);
    height += box.height + PAD;
    width = Math.max(width, box.width + 2 * PAD);
  }
  root.setAttribute('width', String(Math.ceil(width)));
  root.setAttribute('height', String(Math.ceil(height)));
  root.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  return normalizeSnapshot(`<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`);
}

/**
 * A figure drawn in HTML alone (a table): an SVG of its size holding the figure's markup as XHTML in a
 * <foreignObject>, without its export buttons (page controls, not drawing).
 */
function htmlFigureSnapshot(figure: HTMLElement): string {
  const box = figure.getBoundingClientRect();
  const width = Math.ceil(box.width + 2 * PAD);
  const height = Math.ceil(box.height + 2 * PAD);
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  const root = doc.documentElement;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor);
  root.appendChild(bg);
  const slot = doc.createElementNS(SVG_NS, 'foreignObject');
  slot.setAttribute('x', String(PAD));
  slot.setAttribute('y', String(PAD));
  slot.setAttribute('width', String(box.width));
  slot.setAttribute('height', String(box.height));
  const clone = doc.importNode(figure, true) as Element;
  for (const el of Array.from(clone.querySelectorAll('.fig-export'))) el.remove();
  slot.appendChild(clone);
  root.appendChild(slot);
  return normalizeSnapshot(`<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`);
}

declare global {
  interface Window {
    __gallerySnapshot?: (name: string) => string | null;
  }
}

/** Makes `figureSnapshot` callable from the tests (the gallery only: the page itself never loads this). */
export function exposeSnapshots(): void {
  window.__gallerySnapshot = figureSnapshot;
}
