/** Flags and checks shared by several commands. */
import { PARAMS } from '../core/params';
import type { FlagSpec } from './args';

export const BACKEND_FLAG: FlagSpec = { kind: 'choice', choices: ['wasm', 'cpu'] };
export const WEIGHTS_FLAG: FlagSpec = { kind: 'string' };
export const SAMPLE_FLAG: FlagSpec = { kind: 'number', param: PARAMS.sample };
export const SEED_FLAG: FlagSpec = { kind: 'number', param: PARAMS.seed };

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
