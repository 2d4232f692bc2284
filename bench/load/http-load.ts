import autocannon from 'autocannon';
import { LatencyRecorder } from '../support/statistics.js';
import { pathOf, toLoopback, type BenchTarget } from '../support/bench-target.js';
import { MAX_FAILURE_SAMPLES, type LoadOutcome } from './load-outcome.js';

/** One request, repeated by every connection (autocannon). */
export interface HttpLoad {
  /** Public URL, as discovery gives it. */
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request's body (e.g. the next refresh token); returning undefined stops that connection's request. */
  nextBody?: () => string | undefined;
  /** Sees each response body (e.g. to keep the rotated refresh token). */
  onResponse?: (status: number, body: string) => void;
  /** For a 2xx body: why it does not count as a success (e.g. an introspection saying inactive), or undefined. */
  reject?: (body: string) => string | undefined;
}

/** Runs autocannon for `seconds` with keep-alive connections and records the latency of every 2xx response. */
export async function runHttpLoad(target: BenchTarget, load: HttpLoad, connections: number, seconds: number): Promise<LoadOutcome> {
  const latencies = new LatencyRecorder();
  const failureSamples: string[] = [];
  let completed = 0;
  let failed = 0;
  const url = toLoopback(target, load.url);
  const request: autocannon.Request = { method: load.method, path: pathOf(url) };
  const { nextBody, onResponse, reject } = load;
  // autocannon hands the body to onResponse just before it emits 'response' for the same request, synchronously.
  let rejection: string | undefined;
  if (nextBody) {
    request.setupRequest = (built) => {
      const body = nextBody();
      return (body === undefined ? undefined : { ...built, body }) as autocannon.Request;
    };
  }
  if (onResponse || reject) {
    request.onResponse = (status, body) => {
      onResponse?.(status, body);
      rejection = reject && status >= 200 && status < 300 ? reject(body) : undefined;
    };
  }

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        method: load.method,
        headers: { ...target.headers, ...load.headers },
        body: load.body,
        requests: [request],
      },
      (error: Error | null, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: autocannon.Client, status: number, _bytes: number, milliseconds: number) => {
      const reason = status >= 200 && status < 300 ? rejection : `HTTP ${status}`;
      rejection = undefined;
      if (reason === undefined) {
        completed += 1;
        latencies.add(milliseconds);
      } else {
        failed += 1;
        if (failureSamples.length < MAX_FAILURE_SAMPLES) failureSamples.push(reason);
      }
    });
  });
  if (result.errors > 0) {
    failed += result.errors;
    if (failureSamples.length < MAX_FAILURE_SAMPLES) failureSamples.push(`${result.errors} connection errors or timeouts`);
  }
  return { completed, failed, latencies, failureSamples };
}
