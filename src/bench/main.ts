/**
 * `npm run bench` (issues 6 and 15): the same training — same seed, facts, initial weights, step count;
 * full-batch Adam, lr 0.01 — for S, M and L in every implementation, alternating round by round in one
 * run so drifts of the machine hit all alike:
 *   - ours: Node on wasm (single-hop path, our SIMD kernels), in a child Node pinned to core 0 with
 *     taskset; also tfjs's kernels, tfjs autodiff and the cpu backend (S, M);
 *   - the native anchors (anchors.ts): PyTorch 2 eager and JAX with the whole step under jit, pinned
 *     to 1 core (taskset -c 0, one thread) and to 2 (taskset -c 0,1), installed with pip when missing;
 *     Debian's PyTorch 1.13 as a labelled historical row when it is installed;
 *   - the page's own worker in headless Chromium on each backend (browser.ts).
 * Prints the table with each row's ratio to the best native anchor on the same number of cores, loss
 * agreement, the page's download size and cold start (size.ts), issue 15's goals, and a JSON line.
 *
 * Flags (see args.ts, or --help): --configs S,M,L  --rounds K  --cores 1,2  --anchors-only
 *   --no-anchors  --no-install  --no-browser  --no-agreement  --dist DIR  --help
 * Short run: npm run bench -- --configs S --rounds 1 --anchors-only
 */
import { cpus, totalmem } from 'node:os';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import { lossAgreement, type Agreement } from './agreement';
import { anchorRun, ensureAnchors, type AnchorPythons } from './anchors';
import { HELP, parseArgs } from './args';
import type { BenchConfig } from './configs';
import { browserRun, ensureChromium, openBrowserBench, pageFigures, type PageBackend, type PageFigures } from './browser';
import { pinnedNodeRun, type RunFigures } from './node';
import { coreCounts, hasTaskset } from './pinning';
import { agreementLine, buildRows, goalLines, goals, pageLines, tableLines } from './report';

interface Variant {
  key: string;
  run(config: BenchConfig): Promise<RunFigures | null> | RunFigures | null;
  /** Only for these configs (the slow backends would take minutes per step on L). */
  only?: BenchConfig['name'][];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) return void process.stdout.write(HELP);
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tfjsVersion['tfjs-core'] ?? 'unknown',
    gpu: 'not probed (no browser run)',
    pinning: hasTaskset() ? 'taskset' : 'none (no taskset: runs are not pinned)',
  };
  process.stderr.write(`bench: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, tfjs ${machine.tfjs}\n`);

  const pythons: AnchorPythons = args.anchors ? ensureAnchors({ install: args.install }) : { python: null, torch: null, jax: null, why: 'skipped (--no-anchors)', historical: null };
  if (args.anchors && !pythons.python) process.stderr.write(`bench: no native anchors: ${pythons.why}\n`);
  const chromium = args.browser ? ensureChromium() : { ok: false, why: args.anchorsOnly ? 'skipped (--anchors-only)' : 'skipped (--no-browser)' };
  if (args.browser && !chromium.ok) process.stderr.write(`bench: no browser runs: ${chromium.why}\n`);
  const bench = chromium.ok ? await openBrowserBench(args.dist ?? undefined) : null;
  const cores = coreCounts(args.cores);

  const variants: Variant[] = [{ key: 'node-wasm', run: (c) => pinnedNodeRun(c, 'wasm', { autodiff: false, simdKernels: true }) }];
  if (!args.anchorsOnly) {
    variants.push(
      { key: 'node-wasm-per-kernel', run: (c) => pinnedNodeRun(c, 'wasm', { autodiff: false, simdKernels: true, wholeStep: false }), only: ['S', 'M'] },
      { key: 'node-wasm-tfjs-kernels', run: (c) => pinnedNodeRun(c, 'wasm', { autodiff: false, simdKernels: false }), only: ['S', 'M'] },
      { key: 'node-wasm-autodiff', run: (c) => pinnedNodeRun(c, 'wasm', { autodiff: true, simdKernels: false }), only: ['S', 'M'] },
      { key: 'node-cpu', run: (c) => pinnedNodeRun({ ...c, seconds: Math.min(c.seconds, 20) }, 'cpu', { autodiff: false, simdKernels: false }), only: ['S', 'M'] },
    );
  }
  if (pythons.python) {
    for (const n of cores) {
      variants.push({ key: `torch-${n}`, run: (c) => anchorRun(c, 'torch', n, pythons) });
      variants.push({ key: `jax-${n}`, run: (c) => anchorRun(c, 'jax', n, pythons) });
    }
  }
  if (args.anchors && pythons.historical && cores.includes(1)) variants.push({ key: 'torch-historical-1', run: (c) => anchorRun(c, 'torch-historical', 1, pythons), only: ['S', 'M'] });
  if (bench) {
    const pageBackends: [PageBackend, BenchConfig['name'][]][] = [
      ['wasm', ['S', 'M']],
      ['webgl', ['S', 'M']],
      ['webgpu', ['S', 'M']],
      ['cpu', ['S']],
    ];
    for (const [b, only] of pageBackends) variants.push({ key: `chromium-${b}`, run: (c) => browserRun(bench, c, b), only });
  }

  // Alternate: every variant once per round, so drifts of the machine hit all of them alike.
  const results = new Map<string, RunFigures[]>();
  for (let round = 1; round <= args.rounds; round++) {
    for (const config of args.configs) {
      for (const v of variants) {
        if (v.only && !v.only.includes(config.name)) continue;
        process.stderr.write(`bench: round ${round}/${args.rounds} ${config.name} ${v.key}…\n`);
        try {
          const figures = await v.run(config);
          if (figures) results.set(`${config.name}|${v.key}`, [...(results.get(`${config.name}|${v.key}`) ?? []), figures]);
        } catch (e) {
          process.stderr.write(`bench: ${config.name} ${v.key} failed: ${(e as Error).message}\n`);
        }
      }
    }
  }

  let page: PageFigures | null = null;
  if (bench) {
    process.stderr.write('bench: page download size and cold starts…\n');
    try {
      page = await pageFigures(bench, args.configs.find((c) => c.name === 'S') ?? args.configs[0]);
      // What Chromium offers is what the page can use.
      const adapter = page.webgpuAdapter;
      machine.gpu = !adapter
        ? 'none offered to Chromium (no WebGPU adapter)'
        : /swiftshader|llvmpipe|software/i.test(adapter)
          ? `none (Chromium's WebGPU adapter is ${adapter}, a software renderer; WebGL runs on SwiftShader too)`
          : `WebGPU adapter ${adapter}`;
    } catch (e) {
      process.stderr.write(`bench: page figures failed: ${(e as Error).message}\n`);
    }
    await bench.close();
  }

  let agreement: Agreement = {};
  if (args.agreement && pythons.python && args.configs.some((c) => c.name === 'S')) {
    try {
      agreement = lossAgreement(pythons, { twoCores: cores.includes(2), autodiff: !args.anchorsOnly });
    } catch (e) {
      process.stderr.write(`bench: loss agreement failed: ${(e as Error).message}\n`);
    }
  }

  const rows = buildRows(args.configs, variants.map((v) => v.key), results);
  const anchorsLine = pythons.python
    ? `native anchors PyTorch ${pythons.torch} and JAX ${pythons.jax} (${pythons.python})`
    : `no native anchors (${pythons.why})`;
  const historical = pythons.historical ? `historical PyTorch ${pythons.historical.version} (${pythons.historical.python})` : 'no Debian PyTorch 1.x (historical row not run)';
  const goalList = goals(rows, page, agreement);
  const lines = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB RAM; Node ${machine.node}; tfjs ${machine.tfjs}; ${page ? `Chromium ${page.chromium}` : `no browser run (${chromium.why})`}; ${anchorsLine}; ${historical}; pinning: ${machine.pinning}.`,
    `GPU: ${machine.gpu}.`,
    `Rounds: ${args.rounds}; steps/s is the mean over rounds, each round's figure in brackets.`,
    '',
    ...tableLines(rows),
    '',
    agreementLine(agreement),
    ...pageLines(page, chromium.why),
    '',
    ...goalLines(goalList),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(JSON.stringify({ machine, anchors: { torch: pythons.torch, jax: pythons.jax, historical: pythons.historical?.version ?? null }, rows, agreement, page, goals: goalList }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
