import type { Context, Middleware } from 'koa';
import { respondWithError } from './error-response.js';
import { classifyError, DEFAULT_RETRY_AFTER_SECONDS } from './errors.js';

declare module 'koa' {
  interface DefaultState {
    /** Set from the provider's `server_error` event: the provider caught the error itself and answered 500. */
    providerOutage?: boolean;
    /** The OAuth error of a provider refusal shown on the error page (provider-pages.ts). */
    protocolError?: { error: string; description?: string };
  }
}

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
