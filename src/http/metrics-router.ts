import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@koa/router';
import type { Metrics } from './metrics.js';

export interface MetricsRouterOptions {
  /**
   * When set, GET /metrics requires `Authorization: Bearer <token>`. Leave unset only when the path is not reachable
   * from outside (blocked at the reverse proxy).
   */
  bearerToken?: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** GET /metrics in the Prometheus text format, from the app's own registry. */
export function metricsRouter(metrics: Metrics, options: MetricsRouterOptions = {}): Router {
  const expected = options.bearerToken ? digest(options.bearerToken) : undefined;
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (expected) {
      const header = ctx.get('authorization');
      const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      // Compare digests: equal length always, so the comparison time says nothing about the token.
      if (!timingSafeEqual(digest(presented), expected)) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        ctx.body = 'unauthorized';
        return;
      }
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.contentType;
    ctx.body = await metrics.render();
  });
  return router;
}
