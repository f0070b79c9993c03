/** Node-only helpers for the CLI: backend start-up with local wasm binaries, weight files, progress. */
import { createWriteStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import type { BackendName } from '../core/training/backends';
import { useBackend } from '../core/training/backends';
import type { WeightFile } from '../core/model/weights';
import { parseWeightText, weightFileChunks } from '../core/model/weights';
import { UsageError } from './args';
import { enableRelaxedSimd } from '../core/training/relaxedSimdNode';

/** The folder of tfjs-backend-wasm's .wasm binaries inside node_modules. */
export function wasmFolder(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/';
}

export async function startBackend(name: BackendName): Promise<void> {
  // The whole-step module's fused multiply-add build, as Chromium's workers get it (Node 20 has it behind a flag).
  if (name === 'wasm') enableRelaxedSimd();
  const ok = await useBackend(name, { wasmPaths: wasmFolder() });
  if (!ok) throw new Error(`could not start the ${name} backend`);
}

/** Checks, before any work, that a weights file can be written there. */
export function checkWritable(command: string, path: string, flag = '--weights'): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`${command}: ${flag}: folder ${JSON.stringify(folder)} does not exist`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${command}: ${flag}: ${JSON.stringify(path)} is a folder`);
}

export async function writeWeightFile(path: string, file: WeightFile): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of weightFileChunks(file)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export function readWeightFile(command: string, path: string): WeightFile {
  if (!existsSync(path)) throw new UsageError(`${command}: --weights: file ${JSON.stringify(path)} does not exist`);
  if (statSync(path).isDirectory()) throw new UsageError(`${command}: --weights: ${JSON.stringify(path)} is a folder`);
  try {
    return parseWeightText(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${command}: --weights: ${(e as Error).message}`);
  }
}

/** A progress line on stderr: redrawn in place on a terminal, at most one line a second otherwise. */
export function progressReporter(): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  let unprinted = '';
  return {
    update(text) {
      unprinted = text;
      const now = Date.now();
      if (tty) process.stderr.write(`\r\x1b[2K${text}`);
      else if (now - lastPrinted >= 1000) {
        process.stderr.write(text + '\n');
        lastPrinted = now;
        unprinted = '';
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
      else if (unprinted) process.stderr.write(unprinted + '\n');
    },
  };
}

/** Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a file. */
export function writeFileAtomically(path: string, text: string): void {
  writeFileSync(path + '.partial', text);
  renameSync(path + '.partial', path);
}

/** The start every sweep command shares: its --out checked writable, the --backend (wasm by default) started, a progress line. */
export async function startSweep(command: string, flags: Record<string, unknown>): Promise<{ out: string | undefined; backend: BackendName; progress: ReturnType<typeof progressReporter> }> {
  const out = flags.out as string | undefined;
  if (out) checkWritable(command, out, '--out');
  const backend = ((flags.backend as string | undefined) ?? 'wasm') as BackendName;
  await startBackend(backend);
  return { out, backend, progress: progressReporter() };
}
