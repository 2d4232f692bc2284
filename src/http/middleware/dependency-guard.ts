import type { Middleware } from 'koa';
import type { PingableRedis } from '../health-router.js';
import { respondWithError } from './error-response.js';
import { DEFAULT_RETRY_AFTER_SECONDS } from './errors.js';

export interface DependencyGuardOptions {
  retryAfterSeconds?: number;
}

/**
 * Fails closed while Redis is down (ARCHITECTURE convention 8): if the client is not connected, answer 503 with
 * Retry-After at once — a page or problem+json — instead of letting the request reach code that would wait for
 * command timeouts. No session is read and no token issued from stale state. Mount it after the health, metrics
 * and static routes (they must keep answering) and before our routes and the provider.
 */
export function failClosedWhileRedisDown(redis: Pick<PingableRedis, 'status'>, options: DependencyGuardOptions = {}): Middleware {
  const retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  return async (ctx, next) => {
    if (redis.status !== 'ready') {
      respondWithError(ctx, { status: 503, code: 'service_unavailable', retryAfterSeconds });
      return;
    }
    await next();
  };
}
