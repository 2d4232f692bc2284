import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { RateLimiter } from '../../domain/ports.js';
import './api-state.js';

/**
 * Requests per API client (config `api.requestsPerClient`), after authentication so that the count is per client, not
 * per address. Past the limit: 429 problem+json with Retry-After of the window (issue 6); fails closed with the
 * limiter (Redis down -> 503).
 */
export function limitApiRequests(limiter: RateLimiter, windowSeconds: number): Middleware {
  return async (ctx, next) => {
    const caller = ctx.state.apiCaller;
    if (caller && !(await limiter.consume(caller.clientId))) {
      ctx.set('Retry-After', String(windowSeconds));
      throw new AppError('rate_limited', 'too many requests from this client; retry after Retry-After seconds');
    }
    await next();
  };
}
