/**
 * The native anchors (issue 15): what a researcher would train this model with on the same CPU —
 * PyTorch 2.x eager (reference.py) and JAX with the whole step under `jit` (jax_reference.py) — from
 * the very same initial weights and facts, pinned to one core or two with taskset. Debian's PyTorch
 * 1.13 (python3-torch), when present, runs as a labelled historical row; it is never installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { factArrays, makeFacts } from '../core/model/facts';
import { initialWeights } from '../core/model/model';
import { serializeWeights } from '../core/model/weights';
import type { BenchConfig } from './configs';
import { coreList, hasTaskset } from './pinning';
import type { RunFigures } from './node';

export type AnchorKind = 'torch' | 'jax' | 'torch-historical';

const SCRIPTS: Record<AnchorKind, string> = {
  torch: fileURLToPath(new URL('./reference.py', import.meta.url)),
  jax: fileURLToPath(new URL('./jax_reference.py', import.meta.url)),
  'torch-historical': fileURLToPath(new URL('./reference.py', import.meta.url)),
};
const PACKAGES = ['torch', 'jax', 'jaxlib', 'optax'];

export interface AnchorPythons {
  /** Interpreter with PyTorch ≥ 2 and JAX + optax, or null (then `why`). */
  python: string | null;
  torch: string | null;
  jax: string | null;
  why?: string;
  /** Debian's interpreter with PyTorch 1.x, run with -s so a user-site PyTorch 2 cannot shadow it. */
  historical: { python: string; version: string } | null;
}

interface Probe {
  torch: string | null;
  jax: string | null;
  optax: boolean;
}

function probe(python: string, noUserSite = false): Probe | null {
  const code =
    'import json\n' +
    'def v(m):\n  try:\n    return __import__(m).__version__\n  except Exception:\n    return None\n' +
    'print(json.dumps({"torch": v("torch"), "jax": v("jax"), "optax": v("optax") is not None}))';
  const p = spawnSync(python, [...(noUserSite ? ['-s'] : []), '-c', code], { encoding: 'utf8', env: { ...process.env, JAX_PLATFORMS: 'cpu' }, timeout: 120_000 });
  if (p.status !== 0) return null;
  try {
    return JSON.parse(p.stdout.trim().split('\n').pop() ?? '') as Probe;
  } catch {
    return null;
  }
}

const major = (version: string | null) => (version ? Number(version.split('.')[0]) : 0);
const complete = (p: Probe | null) => !!p && major(p.torch) >= 2 && !!p.jax && p.optax;

/**
 * Finds the anchors' interpreter ($BENCH_PYTHON, then python3 on PATH, then /usr/bin/python3); when
 * none has PyTorch 2 and JAX, installs them with pip into the first one (`--user`, or into the virtual
 * environment it belongs to). pip's own configuration decides where from; here that is a local wheel
 * folder and package index, with no internet needed (../shared/FINDINGS.md).
 */
export function ensureAnchors(options: { install: boolean }): AnchorPythons {
  const candidates = [...new Set([process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
  const historical = findHistorical();
  for (const python of candidates) {
    const p = probe(python);
    if (complete(p)) return { python, torch: p!.torch, jax: p!.jax, historical };
  }
  const target = candidates.find((c) => probe(c) !== null);
  if (!target) return { python: null, torch: null, jax: null, why: 'no python3 found', historical };
  if (!options.install) return { python: null, torch: null, jax: null, why: `${target} lacks PyTorch 2 or JAX, and --no-install was given`, historical };
  const inVenv = spawnSync(target, ['-c', 'import sys; print(int(sys.prefix != sys.base_prefix))'], { encoding: 'utf8' }).stdout.trim() === '1';
  const args = ['-m', 'pip', 'install', ...(inVenv ? [] : ['--user']), ...PACKAGES];
  process.stderr.write(`bench: installing the anchors: ${target} ${args.join(' ')} (bench only; pip's configured indexes)…\n`);
  const pip = spawnSync(target, args, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 40 * 60_000 });
  const after = probe(target);
  if (complete(after)) return { python: target, torch: after!.torch, jax: after!.jax, historical };
  const why = pip.status !== 0 ? `pip install ${PACKAGES.join(' ')} failed (exit ${pip.status}); see the lines above` : `PyTorch ≥ 2 or JAX still missing after pip install (torch ${after?.torch ?? 'none'}, jax ${after?.jax ?? 'none'})`;
  return { python: null, torch: after?.torch ?? null, jax: after?.jax ?? null, why, historical };
}

function findHistorical(): AnchorPythons['historical'] {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  const p = probe(python, true);
  return p?.torch && major(p.torch) < 2 ? { python, version: p.torch } : null;
}

/** Environment that holds a native library to `cores` threads (pinning itself is taskset's). */
function threadEnv(cores: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '2' };
  for (const k of ['OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS']) env[k] = String(cores);
  if (cores === 1) env.XLA_FLAGS = '--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1';
  else delete env.XLA_FLAGS;
  return env;
}

/** One anchor run: `config` for config.steps steps on `cores` pinned cores, from our initial weights. */
export function anchorRun(
  config: BenchConfig,
  kind: AnchorKind,
  cores: number,
  pythons: AnchorPythons,
  options: { dtype?: 'float32' | 'float64'; stepsOverride?: number } = {},
): RunFigures {
  const python = kind === 'torch-historical' ? pythons.historical?.python : pythons.python;
  if (!python) throw new Error(`no interpreter for ${kind}`);
  const dtype = options.dtype ?? 'float32';
  const steps = options.stepsOverride ?? config.steps;
  const dir = mkdtempSync(join(tmpdir(), 'bench-anchor-'));
  const weightsPath = join(dir, 'initial.json');
  try {
    const facts = makeFacts(config.model.n, config.model.r, config.seed);
    writeFileSync(
      weightsPath,
      serializeWeights({ config: config.model, facts: { n: facts.n, r: facts.r, seed: config.seed }, meta: { madeBy: 'bench' }, weights: initialWeights(config.model, config.seed) }),
    );
    const job = { weights: weightsPath, targets: Array.from(factArrays(facts).targets), lr: config.lr, steps, threads: cores, dtype };
    const pinned = hasTaskset();
    const argv = [...(kind === 'torch-historical' ? ['-s'] : []), SCRIPTS[kind]];
    const run = pinned
      ? spawnSync('taskset', ['-c', coreList(cores), python, ...argv], { input: JSON.stringify(job), encoding: 'utf8', env: threadEnv(cores), maxBuffer: 1 << 26, timeout: 30 * 60_000 })
      : spawnSync(python, argv, { input: JSON.stringify(job), encoding: 'utf8', env: threadEnv(cores), maxBuffer: 1 << 26, timeout: 30 * 60_000 });
    if (run.status !== 0) throw new Error(`${kind} reference failed: ${(run.stderr || String(run.error)).trim().split('\n').slice(-3).join(' | ')}`);
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
    const how = kind === 'jax' ? 'jit (whole step)' : 'eager';
    const where = `${cores} core${cores === 1 ? '' : 's'}${pinned ? ` (taskset -c ${coreList(cores)})` : ' (not pinned: no taskset)'}`;
    return {
      label: `${out.framework} ${how}, ${where}${kind === 'torch-historical' ? ', Debian python3-torch, historical' : ''}${dtype === 'float64' ? ', float64' : ''}`,
      stepsTimed: steps - 1,
      stepsPerSecond: out.stepsPerSecond,
      stepsTo100: out.stepsTo100,
      secondsTo100: out.secondsTo100,
      losses: out.losses,
      cores,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
