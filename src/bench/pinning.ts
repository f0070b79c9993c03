/** Pinning runs to cores with taskset (util-linux), so every implementation gets the same cores. */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

let tasksetPresent: boolean | null = null;

export function hasTaskset(): boolean {
  tasksetPresent ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetPresent;
}

/** The first `cores` cores, as taskset writes them: 1 → "0", 2 → "0,1". */
export function coreList(cores: number): string {
  return Array.from({ length: cores }, (_, i) => i).join(',');
}

/** Core counts the machine can give (1, and 2 where it has two or more). */
export function coreCounts(wanted: number[]): number[] {
  return wanted.filter((c) => c >= 1 && c <= cpus().length);
}
