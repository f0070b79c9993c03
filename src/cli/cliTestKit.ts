/** Runs the CLI as a user does, for the CLI tests: a child process, its exit status and both streams. */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import usageErrors from './usageErrors.json';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- …` (or another entry point of the same conventions, `entry`) on `args`. */
export function cli(args: string[], entry = 'src/cli/main.ts'): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A rejected command line: nothing on stdout and exactly one `error: …` line on stderr naming `name`. */
export function expectOneErrorLine(run: RunResult, name: string): void {
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(name);
}

/** The rejected command lines of the CLI tests, by group (usageErrors.json): [argv, the flag the error must name]. */
export type UsageCase = [string[], string];

/**
 * A group of usageErrors.json with its placeholders filled in: `$DIR` (the test's scratch folder),
 * `$MALFORMED` and `$WRONG_SHAPE` (bad weight files the test wrote), `$TARGET` (a file that must stay unwritten).
 */
export function usageCases(group: string, vars: Record<string, string>): UsageCase[] {
  const cases = (usageErrors as unknown as Record<string, UsageCase[]>)[group];
  if (!cases) throw new Error(`usageErrors.json has no group ${group}`);
  return cases.map(([args, name]) => [args.map((a) => a.replace(/\$[A-Z_]+/g, (key) => vars[key.slice(1)] ?? key)), name]);
}

/** One test per case of a usageErrors.json group: exit 2 and one error line naming the flag. `run` is `cli` unless the command has another entry point. */
export function rejectsEachUsage(group: string, vars: Record<string, string> = {}, run: (args: string[]) => Promise<RunResult> = (args) => cli(args)): void {
  it.concurrent.each(usageCases(group, vars))('rejects %j with one line naming %s', async (args, name) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expectOneErrorLine(result, name);
  }, 60_000);
}
