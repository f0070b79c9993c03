/**
 * The bench's report: one row per configuration and run (mean steps/s over rounds, and each round),
 * the ratio to the best native anchor on the same number of cores (the headline), and issue 15's
 * goals judged on this run's figures.
 */
import type { Agreement } from './agreement';
import type { PageFigures } from './browser';
import { flopsPerStep, type BenchConfig } from './configs';
import type { RunFigures } from './node';
import { startLines } from './size';

export interface Row {
  config: BenchConfig['name'];
  model: BenchConfig['model'];
  key: string;
  run: string;
  /** Pinned cores, or null (the browser's worker: one thread, not pinned). */
  cores: number | null;
  stepsPerSecond: number;
  stepsPerSecondByRound: number[];
  stepsTimed: number;
  stepsTo100: number | null;
  secondsTo100: number | null;
  mflopsPerStep: number;
  gflopsPerSecond: number;
  /** This row's rate over the fastest of PyTorch 2 / JAX on the same core count (1 for the browser). */
  vsBestAnchor: number | null;
  bestAnchor: string | null;
}

/** Keys of the anchor rows whose best sets the headline ratio, for `cores` cores. */
export const anchorKeys = (cores: number) => [`torch-${cores}`, `jax-${cores}`];

export function buildRows(configs: BenchConfig[], keys: string[], results: Map<string, RunFigures[]>): Row[] {
  const mean = (runs: RunFigures[]) => runs.reduce((a, r) => a + r.stepsPerSecond, 0) / runs.length;
  const rows: Row[] = [];
  for (const config of configs) {
    const flops = flopsPerStep(config.model);
    const best = (cores: number) => {
      let top: { run: string; rate: number } | null = null;
      for (const key of anchorKeys(cores)) {
        const runs = results.get(`${config.name}|${key}`);
        if (runs && (!top || mean(runs) > top.rate)) top = { run: runs[0].label, rate: mean(runs) };
      }
      return top;
    };
    for (const key of keys) {
      const runs = results.get(`${config.name}|${key}`);
      if (!runs) continue;
      const rate = mean(runs);
      const anchor = best(runs[0].cores ?? 1);
      rows.push({
        config: config.name,
        model: config.model,
        key,
        run: runs[0].label,
        cores: runs[0].cores,
        stepsPerSecond: rate,
        stepsPerSecondByRound: runs.map((r) => r.stepsPerSecond),
        stepsTimed: runs[0].stepsTimed,
        stepsTo100: runs[0].stepsTo100,
        secondsTo100: runs[0].secondsTo100,
        mflopsPerStep: flops / 1e6,
        gflopsPerSecond: (rate * flops) / 1e9,
        vsBestAnchor: anchor ? rate / anchor.rate : null,
        bestAnchor: anchor?.run ?? null,
      });
    }
  }
  return rows;
}

export const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
/** Steps/s with three significant figures at least (L trains at a fraction of a step per second). */
export const fmtRate = (x: number | null | undefined) => (x !== null && x !== undefined && Number.isFinite(x) && Math.abs(x) < 10 ? x.toPrecision(3) : fmt(x));

export function tableLines(rows: Row[]): string[] {
  const configs = [...new Set(rows.map((r) => r.config))];
  const best = configs.flatMap((c) =>
    [1, 2].flatMap((cores) => {
      const r = rows.find((x) => x.config === c && x.cores === cores && x.bestAnchor && x.run === x.bestAnchor);
      return r ? [`${c}, ${cores} core${cores === 1 ? '' : 's'}: ${r.run.split(',')[0]} (${fmtRate(r.stepsPerSecond)} steps/s)`] : [];
    }),
  );
  return [
    '| config | run | steps/s (each round) | vs best native anchor, same cores | steps to 100% | s to 100% | GFLOP/s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const rounds = r.stepsPerSecondByRound.length > 1 ? ` (${r.stepsPerSecondByRound.map((x) => fmtRate(x)).join(', ')})` : '';
      const ratio = r.vsBestAnchor === null ? '—' : `${fmt(r.vsBestAnchor, 2)}×${r.cores === null ? ' (vs 1 core)' : ''}`;
      const to100 = r.stepsTo100 ?? (r.stepsTimed + 1 < 10 ? 'not reached in the steps timed' : '—');
      return `| ${r.config} (N=${r.model.n}, R=${r.model.r}, d=${r.model.d}, m=${r.model.m}; ${fmt(r.mflopsPerStep, 0)} MFLOP/step) | ${r.run} | ${fmtRate(r.stepsPerSecond)}${rounds} | ${ratio} | ${to100} | ${fmt(r.secondsTo100, 2)} | ${fmt(r.gflopsPerSecond, 2)} |`;
    }),
    '',
    `Best native anchor: ${best.join('; ') || 'none run'}. Seconds to 100% count from the start, the first step's set-up (JAX: compilation) included; the browser's from the first step shown.`,
  ];
}

export function agreementLine(agreement: Agreement): string {
  const entries = Object.entries(agreement);
  return `Loss curves over the first 100 steps of S from the same initial weights, max |Δloss|: ${entries.map(([k, v]) => `${k} ${v.toExponential(2)}`).join('; ') || 'not measured'}.`;
}

export function pageLines(page: PageFigures | null, why: string | undefined): string[] {
  if (!page) return [`Page: not measured (${why ?? 'no browser run'}).`];
  return [...startLines(page.start), `Longest main-thread task while the page trains S on wasm: ${fmt(page.longestTaskMs, 0)} ms.`];
}

interface Goal {
  goal: string;
  measured: string;
  met: boolean | null;
}

/** Issue 15's goals, judged on this run (ours: Node wasm with the SIMD kernels, pinned to one core). */
export function goals(rows: Row[], page: PageFigures | null, agreement: Agreement): Goal[] {
  const row = (config: string, key: string) => rows.find((r) => r.config === config && r.key === key);
  const versus = (a: Row | undefined, b: Row | undefined, target: number, what: string): Goal['measured'] =>
    a && b ? `${fmtRate(a.stepsPerSecond)} vs ${fmtRate(b.stepsPerSecond)} steps/s (${what}): ${fmt(a.stepsPerSecond / b.stepsPerSecond, 2)}× (goal ${target}×)` : '—';
  const ratioMet = (a: Row | undefined, b: Row | undefined, target: number) => (a && b ? a.stepsPerSecond / b.stepsPerSecond >= target : null);
  const [sOurs, sJax] = [row('S', 'node-wasm'), row('S', 'jax-1')];
  const [mOurs, mTorch] = [row('M', 'node-wasm'), row('M', 'torch-1')];
  const sPage = row('S', 'chromium-wasm');
  const curve = Object.entries(agreement).filter(([k]) => k.startsWith('ours (node'));
  const judged = curve.find(([k]) => k.endsWith('lr 0.001'));
  const ownSpread = Object.entries(agreement).find(([k]) => /^PyTorch \S+ float64 vs float32, lr 0.01$/.test(k));
  const download = page?.start.download;
  return [
    { goal: 'S on one core ≥ 1.0× JAX jit on one core', measured: versus(sOurs, sJax, 1, 'ours, JAX'), met: ratioMet(sOurs, sJax, 1) },
    { goal: 'M on one core ≥ 1.0× PyTorch 2 on one core', measured: versus(mOurs, mTorch, 1, 'ours, PyTorch'), met: ratioMet(mOurs, mTorch, 1) },
    { goal: "page's worker ≥ 0.9× the bare Node rate (wasm, S)", measured: versus(sPage, sOurs, 0.9, 'page, Node'), met: ratioMet(sPage, sOurs, 0.9) },
    { goal: 'worker JS ≤ 200 KB gzipped', measured: download ? `${fmt(download.workerJs / 1024)} KB (fetched by the worker before the first plotted step)` : '—', met: download ? download.workerJs <= 200 * 1024 : null },
    { goal: 'cold start to the first plotted step < 1.5 s on localhost', measured: page ? `${fmt(page.start.localMs, 0)} ms (median)` : '—', met: page ? page.start.localMs < 1500 : null },
    {
      // At lr 0.01 PyTorch's own float32 and float64 curves part by ~4e-2, so lr 0.001 judges.
      goal: 'loss curve within 1e-3 of PyTorch 2 over 100 steps of S at lr 0.001 (check)',
      measured: curve.map(([k, v]) => `${v.toExponential(1)} (lr ${k.split('lr ')[1]})`).join(', ') + (ownSpread ? `; PyTorch float32 vs float64 at lr 0.01: ${ownSpread[1].toExponential(1)}` : '') || '—',
      met: judged ? judged[1] <= 1e-3 : null,
    },
  ];
}

export function goalLines(list: Goal[]): string[] {
  return [
    '| goal (issue 15) | measured | met |',
    '| --- | --- | --- |',
    ...list.map((g) => `| ${g.goal} | ${g.measured} | ${g.met === null ? 'not measured' : g.met ? 'yes' : '**not yet**'} |`),
  ];
}
