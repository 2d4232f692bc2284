import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The figures a fault test measured, written to test-artifacts/faults/<name>.json (git-ignored) for the release notes.
 * The tests assert behaviour with generous bounds; the figures themselves are reported, not asserted.
 */
export const FAULT_ARTIFACTS_DIR = join('test-artifacts', 'faults');

export function writeFaultFigures(name: string, figures: Record<string, unknown>): string {
  mkdirSync(FAULT_ARTIFACTS_DIR, { recursive: true });
  const path = join(FAULT_ARTIFACTS_DIR, `${name}.json`);
  writeFileSync(path, `${JSON.stringify({ measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
  return path;
}

/** Milliseconds rounded to 0.1 ms, so the JSON stays readable. */
export const roundMs = (ms: number): number => Math.round(ms * 10) / 10;

/** Count, median, 95th percentile and maximum of a list of durations in ms (nearest-rank percentiles). */
export function latencySummary(samples: readonly number[]): { count: number; medianMs: number; p95Ms: number; maxMs: number } {
  if (samples.length === 0) return { count: 0, medianMs: 0, p95Ms: 0, maxMs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, medianMs: roundMs(rank(0.5)), p95Ms: roundMs(rank(0.95)), maxMs: roundMs(sorted[sorted.length - 1] ?? 0) };
}
