/**
 * `npm run bench` (issue 6): the same training — same seed, facts, initial weights and steps — for
 * S, M and L, in Node on wasm (our single-hop path and tfjs autodiff) and cpu, in headless Chromium's
 * worker on each backend present, and in a PyTorch reference; alternating, round after round, in one
 * run. Prints a table and a JSON line, with the machine described and ratios against PyTorch.
 *
 * Flags: --configs S,M,L  --rounds 2  --no-browser  --no-torch
 */
import { cpus, totalmem } from 'node:os';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import { BENCH_CONFIGS, flopsPerStep, type BenchConfig } from './configs';
import { nodeRun, type RunFigures } from './node';
import { ensureTorch, pytorchRun } from './pytorch';
import { browserRun, ensureChromium, openBrowserBench, pageFigures, type PageBackend, type PageFigures } from './browser';

interface Variant {
  key: string;
  run(config: BenchConfig): Promise<RunFigures | null>;
  /** Only for these configs (the slow backends would take minutes per step on L). */
  only?: BenchConfig['name'][];
}

function parseArgs(argv: string[]) {
  const out = { configs: ['S', 'M', 'L'], rounds: 2, browser: true, torch: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--configs') out.configs = (argv[++i] ?? '').split(',');
    else if (a === '--rounds') out.rounds = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--no-browser') out.browser = false;
    else if (a === '--no-torch') out.torch = false;
    else throw new Error(`bench: unknown argument ${JSON.stringify(a)}; accepted: --configs S,M,L --rounds K --no-browser --no-torch`);
  }
  for (const c of out.configs) if (!BENCH_CONFIGS.some((b) => b.name === c)) throw new Error(`bench: unknown config ${JSON.stringify(c)}`);
  return out;
}

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const configs = BENCH_CONFIGS.filter((c) => args.configs.includes(c.name));
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    tfjs: tfjsVersion['tfjs-core'] ?? 'unknown',
    gpu: 'not probed (no browser run)',
  };
  process.stderr.write(`bench: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, tfjs ${machine.tfjs}\n`);

  const torch = args.torch ? ensureTorch() : { version: null, why: 'skipped (--no-torch)' };
  const chromium = args.browser ? ensureChromium() : { ok: false, why: 'skipped (--no-browser)' };
  if (args.browser && !chromium.ok) process.stderr.write(`bench: no browser runs: ${chromium.why}\n`);
  const bench = chromium.ok ? await openBrowserBench() : null;
  const variants: Variant[] = [
    { key: 'node-wasm', run: (c) => nodeRun(c, 'wasm', { autodiff: false, simdKernels: true }) },
    { key: 'node-wasm-tfjs-kernels', run: (c) => nodeRun(c, 'wasm', { autodiff: false, simdKernels: false }), only: ['S', 'M'] },
    { key: 'node-wasm-autodiff', run: (c) => nodeRun(c, 'wasm', { autodiff: true, simdKernels: false }), only: ['S', 'M'] },
    { key: 'node-cpu', run: (c) => nodeRun({ ...c, seconds: Math.min(c.seconds, 20) }, 'cpu', { autodiff: false, simdKernels: false }), only: ['S', 'M'] },
  ];
  if (torch.version) variants.push({ key: 'pytorch', run: async (c) => pytorchRun(c, cpus().length) });
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
    for (const config of configs) {
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
    page = await pageFigures(bench, BENCH_CONFIGS[0]);
    await bench.close();
    // What Chromium offers is what the page can use.
    const adapter = page.webgpuAdapter;
    machine.gpu = !adapter
      ? 'none offered to Chromium (no WebGPU adapter)'
      : /swiftshader|llvmpipe|software/i.test(adapter)
        ? `none (Chromium's WebGPU adapter is ${adapter}, a software renderer; WebGL runs on SwiftShader too)`
        : `WebGPU adapter ${adapter}`;
  }
  const meanRate = (runs: RunFigures[]) => runs.reduce((a, r) => a + r.stepsPerSecond, 0) / runs.length;

  // Report: the mean over rounds of steps/s, the first round's time to 100%.
  const rows = [];
  for (const config of configs) {
    const flops = flopsPerStep(config.model);
    const torchRuns = results.get(`${config.name}|pytorch`);
    const torchRate = torchRuns ? meanRate(torchRuns) : null;
    for (const v of variants) {
      const runs = results.get(`${config.name}|${v.key}`);
      if (!runs) continue;
      const rate = meanRate(runs);
      rows.push({
        config: config.name,
        model: config.model,
        run: runs[0].label,
        key: v.key,
        stepsPerSecond: rate,
        stepsPerSecondByRound: runs.map((r) => r.stepsPerSecond),
        stepsTimed: runs[0].stepsTimed,
        stepsTo100: runs[0].stepsTo100,
        secondsTo100: runs[0].secondsTo100,
        mflopsPerStep: flops / 1e6,
        gflopsPerSecond: (rate * flops) / 1e9,
        vsPytorch: torchRate ? rate / torchRate : null,
      });
    }
  }
  // Loss agreement with PyTorch over the first 100 steps of S from the same initial weights, at the
  // bench's lr and at lr = 0.001, next to how far PyTorch moves from itself (1 vs 2 threads, float32
  // vs float64): the loss curve is sensitive to rounding once it starts falling fast, and the gap
  // between two correct float32 implementations can be no smaller than that.
  const agreement: Record<string, number> = {};
  const maxGap = (a: number[], b: number[]) => Math.max(...Array.from({ length: Math.min(100, a.length, b.length) }, (_, i) => Math.abs(a[i] - b[i])));
  if (torch.version && configs.some((c) => c.name === 'S')) {
    for (const lr of [BENCH_CONFIGS[0].lr, 0.001]) {
      const run = { ...BENCH_CONFIGS[0], lr, steps: 100, seconds: 120 };
      const reference = pytorchRun(run, cpus().length);
      agreement[`ours (node wasm, SIMD kernels) vs PyTorch, lr ${lr}`] = maxGap(reference.losses, (await nodeRun(run, 'wasm', { autodiff: false, simdKernels: true })).losses);
      agreement[`tfjs autodiff (node wasm) vs PyTorch, lr ${lr}`] = maxGap(reference.losses, (await nodeRun(run, 'wasm', { autodiff: true, simdKernels: false })).losses);
      agreement[`PyTorch 1 thread vs ${cpus().length} threads, lr ${lr}`] = maxGap(reference.losses, pytorchRun(run, 1).losses);
      agreement[`PyTorch float64 vs float32, lr ${lr}`] = maxGap(reference.losses, pytorchRun(run, cpus().length, 'float64').losses);
    }
  }

  const lines = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB RAM; Node ${machine.node}; tfjs ${machine.tfjs}; ${page ? `Chromium ${page.chromium}` : `no browser run (${chromium.why})`}; PyTorch ${torch.version ?? `not run (${torch.why})`}.`,
    `GPU: ${machine.gpu}.`,
    '',
    '| config | run | steps/s | vs PyTorch | steps to 100% | s to 100% | MFLOP/step | GFLOP/s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.config} (N=${r.model.n}, R=${r.model.r}, d=${r.model.d}, m=${r.model.m}) | ${r.run} | ${fmt(r.stepsPerSecond)} | ${r.vsPytorch ? fmt(r.vsPytorch, 2) + '×' : '—'} | ${r.stepsTo100 ?? (r.stepsTimed + 1 < 10 ? 'not reached in the steps timed' : '—')} | ${fmt(r.secondsTo100, 2)} | ${fmt(r.mflopsPerStep, 0)} | ${fmt(r.gflopsPerSecond, 2)} |`,
    ),
    '',
    `Loss curves over the first 100 steps of S from the same initial weights, max |Δloss|: ${Object.entries(agreement).map(([k, v]) => `${k} ${v.toExponential(2)}`).join('; ') || 'not measured'}.`,
    page
      ? `Page: main-thread JS ${fmt(page.mainJsGzipKB)} KB gzipped, worker JS ${fmt(page.workerJsGzipKB)} KB gzipped; first plot after ${fmt(page.firstPlotMs, 0)} ms; longest main-thread task while training S on wasm: ${fmt(page.longestTaskMs, 0)} ms.`
      : `Page: not measured (${chromium.why}).`,
    '',
    '| goal (issue 6) | measured | met |',
    '| --- | --- | --- |',
    ...goals(rows, page, agreement).map((g) => `| ${g.goal} | ${g.measured} | ${g.met === null ? 'not measured' : g.met ? 'yes' : '**not yet**'} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(JSON.stringify({ machine, torch: torch.version, rows, agreement, page }) + '\n');
}

type Row = { config: string; key: string; stepsPerSecond: number; vsPytorch: number | null; secondsTo100: number | null };

/** The issue's goals, judged on this run's figures (our path: Node wasm with the SIMD kernels). */
function goals(rows: Row[], page: PageFigures | null, agreement: Record<string, number>) {
  const ours = (config: string) => rows.find((r) => r.config === config && r.key === 'node-wasm');
  const inPage = rows.find((r) => r.config === 'S' && r.key === 'chromium-wasm');
  const s = ours('S');
  const m = ours('M');
  const page1 = inPage ? ` (page's worker: ${fmt(inPage.stepsPerSecond)})` : '';
  const curve = Object.entries(agreement).filter(([k]) => k.startsWith('ours'));
  return [
    { goal: 'S ≥ 150 steps/s', measured: s ? `${fmt(s.stepsPerSecond)} steps/s${page1}` : '—', met: s ? s.stepsPerSecond >= 150 : null },
    { goal: 'S ≥ 5× PyTorch', measured: s?.vsPytorch ? `${fmt(s.vsPytorch, 2)}×` : '—', met: s?.vsPytorch ? s.vsPytorch >= 5 : null },
    { goal: 'M ≥ 15 steps/s', measured: m ? `${fmt(m.stepsPerSecond)} steps/s` : '—', met: m ? m.stepsPerSecond >= 15 : null },
    { goal: 'S at 100% in < 0.5 s', measured: s?.secondsTo100 ? `${fmt(s.secondsTo100, 2)} s (first step's set-up included)` : '—', met: s?.secondsTo100 ? s.secondsTo100 < 0.5 : null },
    { goal: 'main-thread JS ≤ 150 KB gzipped', measured: page ? `${fmt(page.mainJsGzipKB)} KB` : '—', met: page ? page.mainJsGzipKB <= 150 : null },
    { goal: 'no main-thread task > 50 ms while training', measured: page ? `longest ${fmt(page.longestTaskMs, 0)} ms` : '—', met: page ? page.longestTaskMs <= 50 : null },
    {
      goal: 'loss curve within 1e-3 of PyTorch over 100 steps',
      measured: curve.map(([k, v]) => `${v.toExponential(1)} (lr ${k.split('lr ')[1]})`).join(', ') || '—',
      met: curve.length ? curve.every(([, v]) => v <= 1e-3) : null,
    },
  ];
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
