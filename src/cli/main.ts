/**
 * The command line over src/core: `npm run cli -- <command> [flags]`.
 * Each command prints one JSON line on stdout; progress and errors go to stderr.
 * Bad arguments exit with status 2 and one line naming the argument, before anything is written.
 * The commands here work on the playground's model; each chapter's command (its cli.ts) is named by
 * its line in src/experiments/registry.ts and loaded only when it runs (or for --help).
 */
import { UsageError } from './args';
import { constructCommand } from './construct';
import { evalCommand } from './eval';
import { fixturesCommand } from './fixtures';
import { measureCommand } from './measure';
import { trainCommand } from './train';
import { cliOf, EXPERIMENT_NAMES, EXPERIMENTS, type Experiment } from '../experiments/registry';

const BUILT_IN_USAGE = `usage: npm run cli -- <command> [flags]
  train      --n N --r R --d D --m M [--heads H --lr LR --seed S --steps T --batch B
             --backend wasm|cpu --freeze-embeddings --freeze-attributes --no-early-stop --weights FILE]
             train, transfer, multihop and capacity also take the optimiser flags: --optimizer adam|sgd|gd|sign
             --momentum M --embed-lr-mult X --weight-decay W --uniform-attention (each unset one at the
             optimiser's default; --lr too)
  construct  --n N --r R [--sample K --seed S --beta B --backend wasm|cpu --weights FILE]
  eval       --weights FILE [--sample K --backend wasm|cpu]
  measure    --weights FILE [--seed S --backend wasm|cpu]
  fixtures   --out FOLDER [--steps 300 --backend wasm|cpu]  (the figure gallery's files: src/ui/gallery/fixtures)`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
  construct: constructCommand,
  eval: evalCommand,
  measure: measureCommand,
  fixtures: fixturesCommand,
};

/** The chapters with a command line, in the registry's order. */
const CHAPTER_COMMANDS = EXPERIMENT_NAMES.filter((name) => (EXPERIMENTS[name] as Experiment).cli);

async function usage(): Promise<string> {
  const chapters = await Promise.all(CHAPTER_COMMANDS.map(async (name) => (await cliOf(name)!()).default.usage));
  return [BUILT_IN_USAGE, ...chapters].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stderr.write((await usage()) + '\n');
    return command ? 0 : 2;
  }
  const chapter = cliOf(command);
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : chapter ? (await chapter()).default.run : undefined;
  if (!run) {
    process.stderr.write(`error: unknown command ${JSON.stringify(command)}; accepted: ${[...Object.keys(COMMANDS), ...CHAPTER_COMMANDS].join(', ')}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${command}: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
