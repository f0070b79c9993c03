/**
 * Runs the `graph` command line on its own, `npx tsx src/experiments/graph/main.ts train|path [flags]`,
 * with the CLI's conventions (one JSON line on stdout; bad flags exit 2 with one `error:` line naming
 * the flag). The registry lists a chapter's command only beside its page (`chapter` is required there),
 * so until the graph chapter exists `npm run cli -- graph …` does not reach it; this file does.
 */
import { UsageError } from '../../cli/args';
import command from './cli';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    process.stderr.write(`usage: npx tsx src/experiments/graph/main.ts <train|path> [flags]\n${command.usage}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    return await command.run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`error: graph: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
