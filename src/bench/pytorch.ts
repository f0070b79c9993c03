/**
 * The PyTorch reference run (reference.py) from the very same initial weights and facts. Debian's
 * python3-torch is installed here when missing and we are root (bench only; never in CI's tests).
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
import type { RunFigures } from './node';

const SCRIPT = fileURLToPath(new URL('./reference.py', import.meta.url));
/** Debian's interpreter, where python3-torch installs (a python3 earlier on PATH may be another one). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The torch version, installing python3-torch with apt-get if needed; null (and why) if impossible. */
export function ensureTorch(): { version: string | null; why?: string } {
  const probe = () => spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  let p = probe();
  if (p.status === 0) return { version: p.stdout.trim() };
  if (process.getuid?.() !== 0) return { version: null, why: 'python3-torch is not installed and the bench is not running as root' };
  process.stderr.write('bench: installing python3-torch with apt-get (bench only)…\n');
  const apt = spawnSync('bash', ['-c', 'apt-get install -y python3-torch || (apt-get update && apt-get install -y python3-torch)'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (apt.status !== 0) return { version: null, why: 'apt-get install python3-torch failed' };
  p = probe();
  return p.status === 0 ? { version: p.stdout.trim() } : { version: null, why: 'torch does not import after installing' };
}

export function pytorchRun(config: BenchConfig, threads: number, dtype: 'float32' | 'float64' = 'float32'): RunFigures {
  const dir = mkdtempSync(join(tmpdir(), 'bench-torch-'));
  const weightsPath = join(dir, 'initial.json');
  const facts = makeFacts(config.model.n, config.model.r, config.seed);
  writeFileSync(
    weightsPath,
    serializeWeights({ config: config.model, facts: { n: facts.n, r: facts.r, seed: config.seed }, meta: { madeBy: 'bench' }, weights: initialWeights(config.model, config.seed) }),
  );
  const job = { weights: weightsPath, targets: Array.from(factArrays(facts).targets), lr: config.lr, steps: config.steps, threads, dtype };
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 26, timeout: 30 * 60_000 });
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`the PyTorch reference failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const out = JSON.parse(run.stdout);
  return {
    label: `PyTorch ${out.torch} cpu, ${out.threads} thread${out.threads === 1 ? '' : 's'}${dtype === 'float64' ? ', float64' : ''}`,
    stepsTimed: config.steps - 1,
    stepsPerSecond: out.stepsPerSecond,
    stepsTo100: out.stepsTo100,
    secondsTo100: out.secondsTo100,
    losses: out.losses,
  };
}
