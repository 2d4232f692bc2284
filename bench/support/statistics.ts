/** Latency samples in milliseconds, kept whole so that percentiles over several rounds are exact, not averaged. */
export class LatencyRecorder {
  private values = new Float64Array(4096);
  private length = 0;

  add(milliseconds: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length] = milliseconds;
    this.length += 1;
  }

  addAll(other: LatencyRecorder): void {
    for (const value of other.samples()) this.add(value);
  }

  get count(): number {
    return this.length;
  }

  samples(): Float64Array {
    return this.values.subarray(0, this.length);
  }

  summary(): LatencySummary {
    return summarizeLatencies(this.samples());
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * The nearest-rank percentile of ascending `sorted` values (the smallest value with at least p % of the samples at or
 * below it); NaN when there are none.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

/** Completed operations per second of server CPU time; NaN when the server used no measurable CPU. */
export function perCpuSecond(completed: number, cpuSeconds: number): number {
  return cpuSeconds > 0 ? completed / cpuSeconds : Number.NaN;
}

/** ours / baseline, NaN when either side is missing. */
export function ratio(ours: number, baseline: number): number {
  return Number.isFinite(ours) && Number.isFinite(baseline) && baseline > 0 ? ours / baseline : Number.NaN;
}
