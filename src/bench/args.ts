/** The bench's command line (documented in HELP and at the top of main.ts). */
import { BENCH_CONFIGS, type BenchConfig } from './configs';

export const HELP = `npm run bench -- [flags]

Trains the same model (same seed, facts, initial weights, step count; full-batch Adam, lr 0.01) for
S, M and L in every implementation, alternating round by round: our Node wasm path pinned to core 0
(taskset), the native anchors — PyTorch 2 eager and JAX jit, on 1 core and on 2 — Debian's PyTorch
1.13 as a historical row when installed, and the page's own worker in headless Chromium. Prints the
table (ratios against the best native anchor on the same number of cores), loss-curve agreement, the
page's download size and cold start, the issue's goals, and one JSON line.

  --configs S,M,L    configurations to run (default S,M,L)
  --rounds K         rounds of alternation (default 2); steps/s is the mean over rounds
  --cores 1,2        core counts for the native anchors (default 1,2; those the machine has)
  --anchors-only     only our main Node row (wasm, SIMD kernels) and the native anchors:
                     no other Node variants, no browser
  --no-anchors       no PyTorch / JAX rows (and no loss-curve comparison)
  --no-install       do not pip-install PyTorch 2 / JAX when missing (skip those rows instead)
  --no-browser       no Chromium rows, no size or cold-start lines
  --no-agreement     skip the loss-curve comparison over the first 100 steps of S
  --dist DIR         serve this built site (e.g. dist/ after npm run build) instead of building one
  --help             this text

Environment: BENCH_PYTHON=<interpreter> picks the anchors' Python (default: python3 on PATH).
Short run:   npm run bench -- --configs S --rounds 1 --anchors-only
`;

export interface BenchArgs {
  configs: BenchConfig[];
  rounds: number;
  cores: number[];
  anchors: boolean;
  anchorsOnly: boolean;
  install: boolean;
  browser: boolean;
  agreement: boolean;
  dist: string | null;
  help: boolean;
}

export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = { configs: BENCH_CONFIGS, rounds: 2, cores: [1, 2], anchors: true, anchorsOnly: false, install: true, browser: true, agreement: true, dist: null, help: false };
  const value = (i: number, flag: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--configs') {
      const names = value(++i, a).split(',');
      for (const c of names) if (!BENCH_CONFIGS.some((b) => b.name === c)) throw new Error(`bench: unknown config ${JSON.stringify(c)} (S, M or L)`);
      out.configs = BENCH_CONFIGS.filter((c) => names.includes(c.name));
    } else if (a === '--rounds') out.rounds = Math.max(1, Math.floor(Number(value(++i, a))) || 1);
    else if (a === '--cores') out.cores = value(++i, a).split(',').map(Number).filter((c) => c === 1 || c === 2);
    else if (a === '--anchors-only') out.anchorsOnly = true;
    else if (a === '--no-anchors' || a === '--no-torch') out.anchors = false;
    else if (a === '--no-install') out.install = false;
    else if (a === '--no-browser') out.browser = false;
    else if (a === '--no-agreement') out.agreement = false;
    else if (a === '--dist') out.dist = value(++i, a);
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new Error(`bench: unknown argument ${JSON.stringify(a)}\n\n${HELP}`);
  }
  if (out.anchorsOnly) out.browser = false;
  return out;
}
