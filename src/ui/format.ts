/**
 * Number and word formatting for every sentence and axis on the page: one module, so a score reads
 * the same ("0.97", "n/a", "16,384") in a figure's summary, a chapter's story, the status panel and a
 * chart's tick labels. Pure functions, no DOM.
 */

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** One formatter for every call (toLocaleString builds one per call: a tenth of a chart redraw's time). */
const INT = new Intl.NumberFormat('en-US');

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
  return Number.isFinite(x) ? INT.format(Math.round(x)) : 'n/a';
}

/** `digits` significant digits without trailing zeros ("0.0056", "1.5", "1e-7"); "n/a" when not finite. */
export function fmtSig(x: number, digits: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : 'n/a';
}

/** A loss with three significant digits ("5.55", "0.0123", "1.20e-5"). */
export function fmtLoss(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return fmtSig(x, 3);
}

/** A chance level: 2 decimals from 0.01 up, else one significant digit ("0.004"). */
export function fmtChance(x: number): string {
  return x >= 0.01 ? fmtNum(x) : fmtSig(x, 1);
}

/** A tick of a log-scale axis: "0.05", "20", and "1e-5" / "2e+4" outside [0.001, 10⁴). */
export function fmtLogTick(v: number): string {
  if (v >= 0.001 && v < 1e4) return fmtSig(v, 2);
  const e = Math.round(Math.log10(v));
  return Math.abs(v - 10 ** e) < 1e-12 * 10 ** e ? `1e${e}` : v.toExponential(0);
}

/** Step tick labels in one unit for a whole axis reaching `max`: "1,500", or "2k … 18k" past 10,000, "1.5M" past 10⁶. */
export function stepTickFormat(max: number): (v: number) => string {
  if (max >= 1e6) return (v) => `${fmtSig(v / 1e6, 3)}M`;
  if (max >= 1e4) return (v) => (v === 0 ? '0' : `${fmtSig(v / 1e3, 3)}k`);
  return (v) => INT.format(v);
}

/** "a", "a and b", "a, b and c"; "" for none. */
export function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
