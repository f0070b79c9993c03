/**
 * Number and word formatting for every sentence and axis on the page: one module, so a score reads
 * the same ("0.97", "n/a", "16,384") in a figure's summary, a chapter's story and the status panel.
 * Pure functions, no DOM.
 */

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** "four" for 4, "23" for 23. */
export function countWord(n: number): string {
  return Number.isInteger(n) && n >= 0 && n < WORDS.length ? WORDS[n] : String(n);
}

/** A fraction or score with fixed decimals; "n/a" when not a finite number; never "-0.00". */
export function fmtNum(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return 'n/a';
  const s = x.toFixed(digits);
  return s.startsWith('-') && Number(s) === 0 ? s.slice(1) : s;
}

/** An integer with thousands separators ("16,384"). */
export function fmtInt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a';
}

/** A loss with three significant digits ("5.55", "0.0123", "1.20e-5"). */
export function fmtLoss(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

/** A chance level: 2 decimals from 0.01 up, else one significant digit ("0.004"). */
export function fmtChance(x: number): string {
  return x >= 0.01 ? fmtNum(x) : Number(x.toPrecision(1)).toString();
}

/** "a", "a and b", "a, b and c"; "" for none. */
export function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
