import type { Context, Middleware } from 'koa';
import { respondWithError } from './error-response.js';
import { classifyError, DEFAULT_RETRY_AFTER_SECONDS } from './errors.js';
import '../request-state.js';

/** Called from the provider's `server_error` event with the request's context. */
export function recordProviderFailure(ctx: Context, error: unknown): void {
  if (classifyError(error).kind === 'unavailable') ctx.state.providerOutage = true;
}

/**
 * oidc-provider catches errors itself and answers 500 `server_error` (or redirects it to the relying party). When the
 * cause was an outage (Redis down mid-request) the answer becomes our 503 "try again later" instead, so the
 * relying party and the person see the same fail-closed response as when the outage is known up front. Mount it
 * directly in front of the provider.
 */
export function providerOutageAs503(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.state.providerOutage && ctx.status !== 503) {
      ctx.remove('Location');
      respondWithError(ctx, { status: 503, code: 'service_unavailable', retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS });
    }
  };
}
