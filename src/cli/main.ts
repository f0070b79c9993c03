/**
 * The command line over src/core: `npm run cli -- <command> [flags]`.
 * Each command prints one JSON line on stdout; progress and errors go to stderr.
 * Bad arguments exit with status 2 and one line naming the argument, before anything is written.
 */
import { UsageError } from './args';
import { capacityCommand } from './capacity';
import { constructCommand } from './construct';
import { evalCommand } from './eval';
import { measureCommand } from './measure';
import { multihopCommand } from './multihop';
import { optimizersCommand } from './optimizers';
import { trainCommand } from './train';
import { transferCommand } from './transfer';

const USAGE = `usage: npm run cli -- <command> [flags]
  train      --n N --r R --d D --m M [--heads H --lr LR --seed S --steps T --batch B
             --backend wasm|cpu --freeze-embeddings --freeze-attributes --no-early-stop --weights FILE]
             train, transfer, multihop and capacity also take the optimiser flags: --optimizer adam|sgd|gd|sign
             --momentum M --embed-lr-mult X --weight-decay W --uniform-attention (each unset one at the
             optimiser's default; --lr too)
  construct  --n N --r R [--sample K --seed S --beta B --backend wasm|cpu --weights FILE]
  eval       --weights FILE [--sample K --backend wasm|cpu]
  measure    --weights FILE [--seed S --backend wasm|cpu]
  transfer   --weights FILE [--seed S --steps T --lr LR --backend wasm|cpu]
  multihop   --n N --r R --d D[,D…] [--out FILE --m M --heads H --hops 2 --steps T --seed S --lr LR --sample K
             --backend wasm|cpu]
  capacity   [--n 64,128,256,512,1024 --r 4 --m 256 --steps 1000 --lr LR --seed S --d-floor D
             --d-max D --arms learned,frozen --backend wasm|cpu --out FILE]
  optimizers [--n 256 --r 2,4,8 --seeds 1,2,3 --optimizers adam,sgd,gd,sign --d 32 --m 256 --steps 1000
             --probe-every 100 --backend wasm|cpu --out FILE]`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
  construct: constructCommand,
  eval: evalCommand,
  measure: measureCommand,
  transfer: transferCommand,
  multihop: multihopCommand,
  capacity: capacityCommand,
  optimizers: optimizersCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stderr.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`error: unknown command ${JSON.stringify(command)}; accepted: ${Object.keys(COMMANDS).join(', ')}\n`);
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
