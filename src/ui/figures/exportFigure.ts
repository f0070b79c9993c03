/**
 * Export a figure as a standalone SVG or PNG, for every figure alike: the figure's drawing is read
 * from the page as it is shown — its <svg> layers with their computed styles written inline (the
 * theme's CSS variables resolved), the <canvas> layers of the heat maps as images, and the HTML
 * labels that belong to the drawing (title, subtitles, legend items) as SVG text — all at their
 * on-screen positions. PNG draws the same SVG, and the canvases themselves, onto a canvas at 2×.
 * Also the download helper used for every file the page writes (Blob + object URL, no network).
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** Computed properties copied inline onto every exported SVG element. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant-numeric',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'stop-color',
  'stop-opacity',
] as const;

/** HTML pieces of a figure that are part of its drawing, exported as text. */
const TEXT_SELECTOR = '.fig-subtitle, .fig-legend-item, .fig-stat-value, .fig-stat-sub';
const SWATCH_SELECTOR = '.fig-legend-item .fig-swatch';

export type FigureFormat = 'svg' | 'png';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function shown(el: Element): boolean {
  if (el.getClientRects().length === 0) return false;
  const r = el.getBoundingClientRect();
  if (r.width < 0.5 || r.height < 0.5) return false;
  const cs = getComputedStyle(el);
  return cs.visibility !== 'hidden' && cs.display !== 'none';
}

/** The first non-transparent background at or above `el`, else white. */
function backgroundOf(el: Element | null): string {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

function copyStyles(source: Element, target: Element): void {
  const cs = getComputedStyle(source);
  if (cs.display === 'none') {
    target.remove();
    return;
  }
  const decl = STYLE_PROPS.map((p) => {
    const v = cs.getPropertyValue(p);
    return v ? `${p}:${v}` : '';
  })
    .filter(Boolean)
    .join(';');
  // Attributes written with the page's CSS variables mean nothing outside it: the inline style replaces them.
  for (const attr of Array.from(target.attributes)) {
    if (attr.value.includes('var(') || attr.name === 'class' || attr.name === 'style' || attr.name.startsWith('data-') || attr.name.startsWith('aria-')) {
      target.removeAttribute(attr.name);
    }
  }
  if (decl) target.setAttribute('style', decl);
  const from = Array.from(source.children);
  const to = Array.from(target.children);
  for (let i = 0; i < from.length && i < to.length; i++) copyStyles(from[i], to[i]);
}

function textElement(doc: Document, text: string, box: Box, style: CSSStyleDeclaration): SVGTextElement {
  const t = doc.createElementNS(SVG_NS, 'text');
  t.setAttribute('x', String(box.x));
  t.setAttribute('y', String(box.y + box.h / 2));
  t.setAttribute('dominant-baseline', 'central');
  t.setAttribute(
    'style',
    [`fill:${style.color}`, `font-family:${style.fontFamily}`, `font-size:${style.fontSize}`, `font-weight:${style.fontWeight}`, `font-style:${style.fontStyle}`].join(';'),
  );
  t.textContent = text;
  return t;
}

/** Text of an element as laid out: each line of each of its text nodes, with the box it occupies. */
function textRuns(el: Element): { text: string; rect: DOMRect; style: CSSStyleDeclaration }[] {
  const runs: { text: string; rect: DOMRect; style: CSSStyleDeclaration }[] = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const raw = node.textContent ?? '';
    if (!raw.trim() || !node.parentElement || node.parentElement.closest('svg')) continue;
    const style = getComputedStyle(node.parentElement);
    range.selectNodeContents(node);
    if (range.getClientRects().length <= 1) {
      const rect = range.getBoundingClientRect();
      if (rect.width >= 0.5 && rect.height >= 0.5) runs.push({ text: raw.replace(/\s+/g, ' ').trim(), rect, style });
      continue;
    }
    // A wrapped text node: group its words by the line they sit on.
    let line: { words: string[]; rect: DOMRect } | null = null;
    const flush = () => {
      if (line) runs.push({ text: line.words.join(' '), rect: line.rect, style });
      line = null;
    };
    for (const match of raw.matchAll(/\S+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rect = range.getBoundingClientRect();
      if (rect.width < 0.5) continue;
      const current = line as { words: string[]; rect: DOMRect } | null;
      if (current && Math.abs(rect.top - current.rect.top) < rect.height / 2) {
        current.words.push(match[0]);
        current.rect = new DOMRect(current.rect.left, current.rect.top, rect.right - current.rect.left, Math.max(current.rect.height, rect.height));
      } else {
        flush();
        line = { words: [match[0]], rect };
      }
    }
    flush();
  }
  return runs;
}

export interface FigureSvg {
  svg: string;
  width: number;
  height: number;
  /** The canvases and where they go (used for PNG, where they are drawn directly). */
  canvases: { canvas: HTMLCanvasElement; box: Box }[];
  background: string;
}

/**
 * The figure as a standalone SVG document. `canvasesAsImages`: embed the canvas layers as PNG
 * images (the SVG file); without it they are left out and returned for drawing (the PNG file).
 */
/** Puts an SVG element at a box of the figure. */
function placeAt(el: Element, box: Box): void {
  el.setAttribute('x', String(box.x));
  el.setAttribute('y', String(box.y));
  el.setAttribute('width', String(box.w));
  el.setAttribute('height', String(box.h));
}

export function figureToSvg(figure: HTMLElement, options: { canvasesAsImages: boolean; background: boolean }): FigureSvg {
  const doc = document;
  const origin = figure.getBoundingClientRect();
  const svgs = Array.from(figure.querySelectorAll<SVGSVGElement>('svg')).filter((s) => !s.parentElement?.closest('svg') && shown(s));
  const canvases = Array.from(figure.querySelectorAll<HTMLCanvasElement>('canvas')).filter(shown);
  const texts = Array.from(figure.querySelectorAll<HTMLElement>(TEXT_SELECTOR)).filter(shown);
  const swatches = Array.from(figure.querySelectorAll<HTMLElement>(SWATCH_SELECTOR)).filter(shown);
  const rectBox = (r: DOMRect): Box => ({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
  const boxOf = (el: Element): Box => rectBox(el.getBoundingClientRect());

  // The drawing's extent: every part, then the title above it.
  const parts = [...svgs, ...canvases, ...texts, ...swatches].map(boxOf);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of parts) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  if (!(x1 > x0)) {
    x0 = y0 = 0;
    x1 = origin.width;
    y1 = origin.height;
  }
  const pad = 12;
  const titleEl = figure.querySelector<HTMLElement>('.fig-title');
  const titleStyle = titleEl ? getComputedStyle(titleEl) : null;
  const titleText = titleEl?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const titleSize = titleStyle ? parseFloat(titleStyle.fontSize) || 16 : 16;
  const titleH = titleText ? Math.ceil(titleSize * 1.6) : 0;
  let titleW = 0;
  if (titleText && titleStyle) {
    const ctx = doc.createElement('canvas').getContext('2d');
    if (ctx) {
      ctx.font = `${titleStyle.fontWeight} ${titleStyle.fontSize} ${titleStyle.fontFamily}`;
      titleW = Math.ceil(ctx.measureText(titleText).width);
    }
  }
  const width = Math.ceil(Math.max(x1 - x0, titleW) + 2 * pad);
  const height = Math.ceil(y1 - y0 + titleH + 2 * pad);
  const dx = pad - x0;
  const dy = pad + titleH - y0;
  const place = (b: Box): Box => ({ x: b.x + dx, y: b.y + dy, w: b.w, h: b.h });

  const root = doc.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('xmlns:xlink', XLINK_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const background = backgroundOf(figure);
  if (options.background) {
    const bg = doc.createElementNS(SVG_NS, 'rect');
    bg.setAttribute('width', '100%');
    bg.setAttribute('height', '100%');
    bg.setAttribute('fill', background);
    root.appendChild(bg);
  }
  if (titleText && titleStyle) {
    const t = textElement(doc, titleText, { x: pad, y: pad, w: titleW, h: titleH * 0.75 }, titleStyle);
    root.appendChild(t);
  }

  // Parts in document order, so that layers stack as on screen (a heat map's canvas under its axes).
  const all = [...svgs, ...canvases, ...texts, ...swatches];
  all.sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const drawn: { canvas: HTMLCanvasElement; box: Box }[] = [];
  for (const el of all) {
    const box = place(boxOf(el));
    if (el instanceof HTMLCanvasElement) {
      if (options.canvasesAsImages) {
        const img = doc.createElementNS(SVG_NS, 'image');
        placeAt(img, box);
        img.setAttribute('preserveAspectRatio', 'none');
        img.setAttribute('style', 'image-rendering:pixelated');
        img.setAttribute('href', el.toDataURL('image/png'));
        root.appendChild(img);
      } else drawn.push({ canvas: el, box });
    } else if (el instanceof SVGSVGElement) {
      const clone = el.cloneNode(true) as SVGSVGElement;
      copyStyles(el, clone);
      placeAt(clone, box);
      clone.setAttribute('overflow', 'visible');
      root.appendChild(clone);
    } else if (el.matches(SWATCH_SELECTOR)) {
      const rect = doc.createElementNS(SVG_NS, 'rect');
      placeAt(rect, box);
      rect.setAttribute('rx', '2');
      rect.setAttribute('fill', getComputedStyle(el).backgroundColor);
      root.appendChild(rect);
    } else {
      for (const run of textRuns(el)) root.appendChild(textElement(doc, run.text, place(rectBox(run.rect)), run.style));
    }
  }
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
  return { svg, width, height, canvases: drawn, background };
}

/** The figure as an SVG file. */
export function figureSvgBlob(figure: HTMLElement): Blob {
  return new Blob([figureToSvg(figure, { canvasesAsImages: true, background: true }).svg], { type: 'image/svg+xml' });
}

/** The figure as a PNG file at `scale`× its CSS size: background, canvas layers, then the SVG drawn over them. */
export async function figurePngBlob(figure: HTMLElement, scale = 2): Promise<Blob> {
  const { svg, width, height, canvases, background } = figureToSvg(figure, { canvasesAsImages: false, background: false });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = false;
  for (const { canvas: layer, box } of canvases) ctx.drawImage(layer, box.x, box.y, box.w, box.h);
  ctx.imageSmoothingEnabled = true;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    ctx.drawImage(img, 0, 0, width, height);
  } finally {
    URL.revokeObjectURL(url);
  }
  return new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}

/** Saves a Blob as a file through an object URL and a download link (no network). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Long enough for the browser to start reading it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Exports `figure` and starts the download of `<name>.<format>`. */
export async function exportFigure(figure: HTMLElement, format: FigureFormat, name: string): Promise<void> {
  const blob = format === 'svg' ? figureSvgBlob(figure) : await figurePngBlob(figure);
  downloadBlob(blob, `${name}.${format}`);
}
