import { performance } from 'node:perf_hooks';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../../shared/logger.js';
import type { PingableRedis } from '../health-router.js';
import type { Metrics } from '../metrics.js';
import { respondWithError } from './error-response.js';
import { DEFAULT_RETRY_AFTER_SECONDS, errorHandler } from './errors.js';
import { assignRequestId } from './request-id.js';
import { logRequest } from './request-logger.js';
import { routePatternOf } from './route-pattern.js';
import { preparedApiSecurityHeaders, preparedSecurityHeaders } from './security-headers.js';
import '../request-state.js';

export interface MachineLaneOptions {
  /** `METHOD path` pairs the lane takes, e.g. `POST /token`; every other request goes on to the full stack. */
  routes: Iterable<string>;
  /** The provider, mounted (koa-mount at `/`). */
  provider: Middleware;
  redis: Pick<PingableRedis, 'status'>;
  logger: Logger;
  metrics: Pick<Metrics, 'observeRequest'>;
  /** views.middleware(): run only to answer an error, so that a browser still gets the page in its language. */
  views: Middleware;
  /** Reuse the reverse proxy's X-Request-Id (config `trustProxy`), as requestId() does. */
  trustIncomingRequestId?: boolean;
  /** Milliseconds from a monotonic clock; injectable for tests. */
  now?: () => number;
}

/**
 * The provider's machine-to-machine endpoints (token, introspection, revocation, userinfo, PAR) in one middleware,
 * mounted first: what requestId(), httpMetrics(), requestLogger(), securityHeaders(), the error handler,
 * failClosedWhileRedisDown() and providerOutageAs503() do for every request, folded into one async frame. These
 * endpoints answer relying parties, not people: no page, CSRF token or language is needed unless an error is
 * answered, and the stacked middleware cost them a large share of the issue 6 throughput ratio (bench/, paired rounds:
 * client credentials 0.71 -> 0.86 of the bare provider with this lane).
 * The log line comes from the root logger with the request id in it rather than from a child per request, and
 * `ctx.state.logger` is not set: nothing on these routes logs through it. Answers carry the API security headers
 * (security-headers.ts preparedApiSecurityHeaders); an error that may be rendered as a page gets the page headers.
 */
export function machineLane(options: MachineLaneOptions): Middleware {
  const routes = new Set(options.routes);
  const { provider, redis, logger, metrics, views } = options;
  const trustIncoming = options.trustIncomingRequestId ?? false;
  const now = options.now ?? (() => performance.now());
  const applyApiHeaders = preparedApiSecurityHeaders();
  const page: ErrorPage = { views, applyPageHeaders: preparedSecurityHeaders() };

  const serve = async (ctx: Context, next: Next): Promise<void> => {
    // ARCHITECTURE convention 8: fail closed at once while Redis is down, as failClosedWhileRedisDown() does.
    if (redis.status !== 'ready') {
      await answerError(ctx, page, DEFAULT_RETRY_AFTER_SECONDS);
      return;
    }
    try {
      await provider(ctx, next);
    } catch (error) {
      await handleThrown(ctx, error, logger, page);
      return;
    }
    // The provider caught an outage itself and answered 500 server_error: ours is 503 (provider-outage.ts).
    if (ctx.state.providerOutage && ctx.status !== 503) {
      ctx.remove('Location');
      await answerError(ctx, page, DEFAULT_RETRY_AFTER_SECONDS);
    }
  };

  return async (ctx, next) => {
    if (!routes.has(`${ctx.method} ${ctx.path}`)) return next();
    const started = now();
    const id = assignRequestId(ctx, trustIncoming);
    applyApiHeaders(ctx);
    let status = 500;
    try {
      await serve(ctx, next);
      status = ctx.status;
    } finally {
      const elapsedMs = now() - started;
      const route = routePatternOf(ctx);
      metrics.observeRequest(ctx.method, route, status, elapsedMs / 1000);
      logRequest(ctx, logger, status, Math.round(elapsedMs * 10) / 10, id);
    }
  };
}

/** What an error answered from the lane needs: the views, and the page headers for when it is answered as a page. */
interface ErrorPage {
  views: Middleware;
  applyPageHeaders(ctx: Context): void;
}

/** 503 + Retry-After, through the views so that a browser gets the page (API clients get problem+json). */
function answerError(ctx: Context, page: ErrorPage, retryAfterSeconds: number): Promise<void> {
  page.applyPageHeaders(ctx);
  return Promise.resolve(
    page.views(ctx, async () => respondWithError(ctx, { status: 503, code: 'service_unavailable', retryAfterSeconds })),
  );
}

/**
 * A thrown error goes through errorHandler() itself, with the views and a child logger carrying the request id set up
 * only now: the lane's happy path pays for neither.
 */
async function handleThrown(ctx: Context, error: unknown, logger: Logger, page: ErrorPage): Promise<void> {
  ctx.state.logger = logger.child({ requestId: ctx.state.requestId });
  page.applyPageHeaders(ctx);
  await page.views(ctx, () => errorHandler({ logger })(ctx, () => Promise.reject(error)));
}
