import type { LatencyRecorder } from '../support/statistics.js';

/** What one round of load produced, before CPU time is attached. */
export interface LoadOutcome {
  completed: number;
  failed: number;
  latencies: LatencyRecorder;
  /** The first few failure reasons, to tell a broken scenario from a slow one. */
  failureSamples: string[];
}

export const MAX_FAILURE_SAMPLES = 5;
