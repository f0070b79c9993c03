/**
 * The accepted range of every user-settable number, shared by the CLI, the URL parser and the
 * controls, so that every entry point rejects the same values with the same words.
 */
export interface NumberParam {
  /** How the parameter is called in messages (e.g. "n (bijection size)"). */
  label: string;
  integer: boolean;
  min: number;
  max: number;
  /** For real-valued parameters: whether min itself is excluded. */
  exclusiveMin?: boolean;
}

/** An integer from `min` to `max`. */
const integer = (label: string, min: number, max: number): NumberParam => ({ label, integer: true, min, max });
/** A count: an integer from 1 to `max`. */
const count = (label: string, max: number) => integer(label, 1, max);
/** A real number from `min` to `max`. */
const real = (label: string, min: number, max: number): NumberParam => ({ label, integer: false, min, max });
/** A real number above 0, at most `max`. */
const positive = (label: string, max: number): NumberParam => ({ label, integer: false, min: 0, max, exclusiveMin: true });

export const PARAMS = {
  n: integer('n (bijection size)', 2, 8192),
  nConstruct: integer('n (bijection size)', 2, 1_048_576),
  r: count('r (number of relations)', 64),
  d: count('d (embedding dimension)', 1024),
  m: count('m (MLP width)', 16384),
  heads: count('heads (attention heads)', 64),
  lr: positive('lr (learning rate)', 1),
  momentum: real('momentum (β1 for Adam)', 0, 0.999),
  embedLrMult: positive('embedding learning-rate multiplier', 1000),
  weightDecay: real('weight decay (decoupled)', 0, 1),
  steps: count('steps', 1_000_000),
  batch: count('batch (facts per step)', 1_048_576),
  sample: count('sample (facts evaluated)', 67_108_864),
  beta: positive('beta (construction confidence)', 1000),
  seed: integer('seed', 0, 4294967295),
  /** Relations per multi-hop query; only 2-hop chains are offered for now (docs/science.md §6). */
  hops: integer('hops (relations per query)', 2, 2),
} as const satisfies Record<string, NumberParam>;

export type ParamName = keyof typeof PARAMS;

export function describeRange(p: NumberParam): string {
  const kind = p.integer ? 'an integer' : 'a number';
  const low = p.exclusiveMin ? `greater than ${p.min}` : `from ${p.min}`;
  return p.exclusiveMin ? `${kind} ${low} and at most ${p.max}` : `${kind} ${low} to ${p.max}`;
}

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/** Parses a raw string strictly (no trailing junk, no hex, no empty) and checks the range. */
export function parseParam(name: string, p: NumberParam, raw: string | undefined): Parsed {
  const shown = raw === undefined ? '(missing value)' : JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + '…' : raw);
  const bad = (): Parsed => ({ ok: false, message: `${name}: ${p.label} must be ${describeRange(p)}; got ${shown}` });
  if (raw === undefined) return bad();
  const text = raw.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return bad();
  const value = Number(text);
  if (!Number.isFinite(value)) return bad();
  if (p.integer && !Number.isInteger(value)) return bad();
  if (p.exclusiveMin ? value <= p.min : value < p.min) return bad();
  if (value > p.max) return bad();
  return { ok: true, value };
}

/** The memory a full-batch step needs grows like N·R·N (the logits); refuse what cannot fit. */
export const MAX_LOGIT_CELLS = 2 ** 28;
