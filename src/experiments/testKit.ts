/** What the chapters' unit tests share (test-only: imported by *.test.ts files). */
import { expect } from 'vitest';
import type { Parsed } from './kit';

/** A precomputed file shipped with the page parses, and keeps every point it holds. */
export function expectShippedFile(parsed: Parsed<{ points: unknown[] }>, json: unknown): void {
  expect(parsed.ok).toBe(true);
  if (parsed.ok) expect(parsed.data.points.length).toBe((json as { points: unknown[] }).points.length);
}
