/** Flags and checks shared by several commands. */
import { OPTIMIZERS, optimizerSettings, type OptimizerName, type OptimizerSettings } from '../core/training/optimizerSettings';
import { MAX_LOGIT_CELLS, PARAMS } from '../core/model/params';
import type { FlagSpec, ParsedFlags } from './args';
import { UsageError } from './args';

export const BACKEND_FLAG: FlagSpec = { kind: 'choice', choices: ['wasm', 'cpu'] };
export const WEIGHTS_FLAG: FlagSpec = { kind: 'string' };
export const SAMPLE_FLAG: FlagSpec = { kind: 'number', param: PARAMS.sample };
export const SEED_FLAG: FlagSpec = { kind: 'number', param: PARAMS.seed };

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** The optimiser flags of every command that trains (docs/science.md §2); --lr is each command's own. */
export const OPTIMIZER_FLAGS: Record<string, FlagSpec> = {
  optimizer: { kind: 'choice', choices: OPTIMIZERS },
  momentum: { kind: 'number', param: PARAMS.momentum },
  'embed-lr-mult': { kind: 'number', param: PARAMS.embedLrMult },
  'weight-decay': { kind: 'number', param: PARAMS.weightDecay },
  'uniform-attention': { kind: 'switch' },
};

/**
 * The optimiser settings the flags ask for, each unset one at the optimiser's default (lr included,
 * when --lr is not given). Plain GD has no momentum: asking for one is a usage error.
 */
export function optimizerFromFlags(command: string, flags: ParsedFlags): OptimizerSettings & { uniformAttention: boolean } {
  const name = ((flags.optimizer as string) ?? 'adam') as OptimizerName;
  if (name === 'gd' && flags.momentum !== undefined && flags.momentum !== 0) {
    throw new UsageError(`${command}: --optimizer gd is plain gradient descent and takes no --momentum; use --optimizer sgd`);
  }
  const settings = optimizerSettings(name, {
    lr: flags.lr as number | undefined,
    momentum: flags.momentum as number | undefined,
    embedLrMult: flags['embed-lr-mult'] as number | undefined,
    weightDecay: flags['weight-decay'] as number | undefined,
  });
  return { ...settings, uniformAttention: flags['uniform-attention'] === true };
}

/** A full-batch sweep's largest table must fit: N·R·N logits per step at most MAX_LOGIT_CELLS. */
export function checkFullBatch(command: string, n: number, r: number): void {
  if (n * r * n > MAX_LOGIT_CELLS) {
    throw new UsageError(`${command}: --n ${n} is too large to train full batch with --r ${r} (n × r × n = ${n * r * n} logits per step exceeds ${MAX_LOGIT_CELLS})`);
  }
}
