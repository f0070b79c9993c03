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

export const PARAMS = {
  n: { label: 'n (bijection size)', integer: true, min: 2, max: 8192 },
  nConstruct: { label: 'n (bijection size)', integer: true, min: 2, max: 1_048_576 },
  r: { label: 'r (number of relations)', integer: true, min: 1, max: 64 },
  d: { label: 'd (embedding dimension)', integer: true, min: 1, max: 1024 },
  m: { label: 'm (MLP width)', integer: true, min: 1, max: 16384 },
  heads: { label: 'heads (attention heads)', integer: true, min: 1, max: 64 },
  lr: { label: 'lr (learning rate)', integer: false, min: 0, max: 1, exclusiveMin: true },
  momentum: { label: 'momentum (β1 for Adam)', integer: false, min: 0, max: 0.999 },
  embedLrMult: { label: 'embedding learning-rate multiplier', integer: false, min: 0, max: 1000, exclusiveMin: true },
  weightDecay: { label: 'weight decay (decoupled)', integer: false, min: 0, max: 1 },
  seed: { label: 'seed', integer: true, min: 0, max: 4294967295 },
  steps: { label: 'steps', integer: true, min: 1, max: 1_000_000 },
  batch: { label: 'batch (facts per step)', integer: true, min: 1, max: 1_048_576 },
  sample: { label: 'sample (facts evaluated)', integer: true, min: 1, max: 67_108_864 },
  beta: { label: 'beta (construction confidence)', integer: false, min: 0, max: 1000, exclusiveMin: true },
  /** Relations per multi-hop query; only 2-hop chains are offered for now (docs/science.md §6). */
  hops: { label: 'hops (relations per query)', integer: true, min: 2, max: 2 },
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
