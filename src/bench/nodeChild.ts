/**
 * Child process of the bench: one `nodeRun` from a JSON job on stdin ({config, backend, options}),
 * its figures on stdout after RESULT_MARK. Started by pinnedNodeRun under taskset.
 */
import { readFileSync } from 'node:fs';
import { nodeRun, RESULT_MARK } from './node';

const job = JSON.parse(readFileSync(0, 'utf8'));
nodeRun(job.config, job.backend, job.options)
  .then((figures) => {
    process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(figures)}\n`);
    process.exit(0);
  })
  .catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
