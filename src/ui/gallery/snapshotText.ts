/**
 * The figure snapshots' text (tests/browser/snapshots/<figure>.svg), as pure functions: normalising a
 * serialised drawing so that it is the same from run to run, and comparing two snapshots with a
 * readable account of the first line that differs. Used in the page (snapshot.ts) and by the tests.
 */

/** The figures the gallery draws, in order: each section's data-testid is `gallery-<name>`, its snapshot `<name>.svg`. */
export const GALLERY_FIGURES = ['training', 'projection', 'gating', 'capacity', 'transfer', 'multihop', 'optimizer-curves', 'optimizer-table', 'assoc-loss', 'assoc-map', 'assoc-capacity'] as const;
export type GalleryFigure = (typeof GALLERY_FIGURES)[number];

/** Numbers with more than two decimals (never inside base64, which has no '.'). */
const LONG_NUMBER = /-?\d+\.\d{3,}(?:e-?\d+)?/g;

/** `x` to two decimals, written without trailing zeros; −0 as 0. */
function twoDecimals(text: string): string {
  const x = Math.round(Number(text) * 100) / 100;
  return String(Object.is(x, -0) ? 0 : x);
}

/**
 * A serialised SVG (or XHTML) made stable:
 *  - every coordinate and length (numbers in attribute values) rounded to two decimals (layout gives
 *    sub-pixel positions); the text drawn is left as it is;
 *  - every id (React's useId gives ":r1:", "«r1»" or "_r_1_", which depend on render order) renamed to
 *    id1, id2, … in order of appearance, with its references (#id, url(#id), ="id");
 *  - one element per line, so that a change shows as the lines it touches.
 */
export function normalizeSnapshot(markup: string): string {
  // Inside attribute values only: the numbers a figure prints (tick labels, read-outs) stay as printed.
  let text = markup.replace(/\r\n?/g, '\n').replace(/="[^"]*"/g, (value) => value.replace(LONG_NUMBER, twoDecimals));
  const ids: string[] = [];
  for (const m of text.matchAll(/\sid="([^"]+)"/g)) if (!ids.includes(m[1])) ids.push(m[1]);
  // Longest first, so that an id that is a prefix of another is not replaced inside it.
  const renames = ids.map((id, i) => ({ id, to: `id${i + 1}` })).sort((a, b) => b.id.length - a.id.length);
  for (const { id, to } of renames) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    text = text
      .replace(new RegExp(`#${escaped}(?![\\w\\-:«»])`, 'g'), `#${to}`)
      .replace(new RegExp(`="${escaped}"`, 'g'), `="${to}"`)
      .replace(new RegExp(`(="[^"]*?\\s)${escaped}(?=[\\s"])`, 'g'), `$1${to}`)
      .replace(new RegExp(`(=")${escaped}(?=\\s)`, 'g'), `$1${to}`);
  }
  text = text.replace(/>\s*</g, '>\n<');
  return text.endsWith('\n') ? text : text + '\n';
}

const SHOW = 160;

/** A line for a message: long ones (an embedded image's data URL) cut, with their length. */
function shown(line: string | undefined): string {
  if (line === undefined) return '(no line: the snapshot ends before)';
  return line.length > SHOW ? `${line.slice(0, SHOW)}… (${line.length} characters)` : line;
}

/**
 * null when the two snapshots are equal; else a message naming the first line that differs, with
 * both versions of it, the column of the first differing character and the line counts.
 */
export function snapshotDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const ea = a[i] ?? '';
  const eb = b[i] ?? '';
  let col = 0;
  while (col < ea.length && col < eb.length && ea[col] === eb[col]) col++;
  // Show the part of a long line around the first difference.
  const around = (line: string | undefined) => {
    if (line === undefined || line.length <= SHOW || col <= SHOW / 2) return shown(line);
    const end = col - 40 + SHOW;
    return `…${line.slice(col - 40, end)}${end < line.length ? '…' : ''} (${line.length} characters)`;
  };
  return [
    `first difference at line ${i + 1}, column ${col + 1} (expected ${a.length} lines, got ${b.length}):`,
    `- expected: ${around(a[i])}`,
    `+ actual:   ${around(b[i])}`,
  ].join('\n');
}
