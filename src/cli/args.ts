/**
 * A strict command-line parser: every flag must be known to the command, every number must be in
 * its range (core/params.ts). Errors are thrown as UsageError with one line naming the argument.
 */
import type { NumberParam } from '../core/model/params';
import { parseParam } from '../core/model/params';

export class UsageError extends Error {}

export interface FlagSpec {
  /**
   * A number in a range, a string (e.g. a file name), a choice, a switch with no value, or a
   * comma-separated list of numbers (with `param`) or of choices (with `choices`).
   */
  kind: 'number' | 'string' | 'choice' | 'switch' | 'list';
  param?: NumberParam;
  choices?: readonly string[];
}

export type ParsedFlags = Record<string, number | string | boolean | number[] | string[] | undefined>;

export function parseFlags(command: string, argv: string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`${command}: unexpected argument ${JSON.stringify(arg)}; flags start with --`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) {
      throw new UsageError(`${command}: unknown flag --${name}; accepted: ${Object.keys(specs).map((k) => `--${k}`).join(' ')}`);
    }
    if (name in out) throw new UsageError(`${command}: --${name} given twice`);
    if (spec.kind === 'switch') {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      out[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) raw = argv[++i];
    else if (i + 1 < argv.length && spec.kind === 'number' && /^--?\d/.test(argv[i + 1])) raw = argv[++i]; // "--n -5"
    if (spec.kind === 'number') {
      const parsed = parseParam(`--${name}`, spec.param!, raw);
      if (!parsed.ok) throw new UsageError(`${command}: ${parsed.message}`);
      out[name] = parsed.value;
    } else if (spec.kind === 'list') {
      out[name] = parseList(command, name, spec, raw);
    } else if (spec.kind === 'choice') {
      if (raw === undefined || !spec.choices!.includes(raw)) {
        throw new UsageError(`${command}: --${name} must be one of ${spec.choices!.join(', ')}; got ${raw === undefined ? '(missing value)' : JSON.stringify(raw)}`);
      }
      out[name] = raw;
    } else {
      if (raw === undefined || raw.trim() === '') throw new UsageError(`${command}: --${name} needs a file name`);
      out[name] = raw;
    }
  }
  return out;
}

export function requireFlags(command: string, flags: ParsedFlags, names: string[]): void {
  for (const name of names) if (flags[name] === undefined) throw new UsageError(`${command}: --${name} is required`);
}

function parseList(command: string, name: string, spec: FlagSpec, raw: string | undefined): number[] | string[] {
  const items = raw === undefined ? [] : raw.split(',').map((x) => x.trim());
  if (items.length === 0 || items.some((x) => x === '')) {
    throw new UsageError(`${command}: --${name} needs a comma-separated list; got ${raw === undefined ? '(missing value)' : JSON.stringify(raw)}`);
  }
  if (items.length > 64) throw new UsageError(`${command}: --${name} takes at most 64 values; got ${items.length}`);
  if (spec.choices) {
    for (const x of items) {
      if (!spec.choices.includes(x)) throw new UsageError(`${command}: --${name}: each value must be one of ${spec.choices.join(', ')}; got ${JSON.stringify(x)}`);
    }
    return [...new Set(items)];
  }
  return items.map((x) => {
    const parsed = parseParam(`--${name}`, spec.param!, x);
    if (!parsed.ok) throw new UsageError(`${command}: ${parsed.message}`);
    return parsed.value;
  });
}
