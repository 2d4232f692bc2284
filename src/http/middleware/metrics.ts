import { performance } from 'node:perf_hooks';
import type { Middleware } from 'koa';
import type { Metrics } from '../metrics.js';
import { routePatternOf } from './route-pattern.js';

export interface HttpMetricsOptions {
  /** Milliseconds from a monotonic clock; injectable for tests. */
  now?: () => number;
}

/**
 * Counts every request and its latency by method, route pattern and status. Mount it outside the error handler so
 * the status recorded is the one sent; a request that still throws is counted as 500.
 */
export function httpMetrics(metrics: Metrics, options: HttpMetricsOptions = {}): Middleware {
  const now = options.now ?? (() => performance.now());
  return async (ctx, next) => {
    const started = now();
    let status: number | undefined;
    try {
      await next();
      status = ctx.status;
    } finally {
      metrics.observeRequest(ctx.method, routePatternOf(ctx), status ?? 500, (now() - started) / 1000);
    }
  };
}
