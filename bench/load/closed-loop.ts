import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../support/statistics.js';
import { MAX_FAILURE_SAMPLES, type LoadOutcome } from './load-outcome.js';

/**
 * Bounded-concurrency load for multi-step flows: `workers` loops, each starting its next iteration as soon as the
 * previous one ends, until `seconds` have passed; iterations in flight at the deadline finish and are counted.
 */
export async function runClosedLoop(
  workers: number,
  seconds: number,
  iteration: (worker: number) => Promise<void>,
  onFailure: (worker: number) => Promise<void> = async () => undefined,
): Promise<LoadOutcome> {
  const latencies = new LatencyRecorder();
  const failureSamples: string[] = [];
  let completed = 0;
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;

  const loop = async (worker: number): Promise<void> => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        await iteration(worker);
        latencies.add(performance.now() - started);
        completed += 1;
      } catch (error) {
        failed += 1;
        if (failureSamples.length < MAX_FAILURE_SAMPLES) failureSamples.push(error instanceof Error ? error.message : String(error));
        await onFailure(worker);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, worker) => loop(worker)));
  return { completed, failed, latencies, failureSamples };
}
