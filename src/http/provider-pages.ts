import type { Context } from 'koa';
import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import { respondWithError } from './middleware/error-response.js';
import { classifyError, DEFAULT_RETRY_AFTER_SECONDS } from './middleware/errors.js';

/**
 * oidc-provider's `renderError`: the page a browser sees when the provider refuses a request it cannot redirect back
 * to the relying party (unknown client, unregistered redirect_uri, ...) or fails. A dependency outage is a 503
 * "try again later"; protocol refusals keep their status and show the OAuth error code for the relying party's
 * developer (its text never contains personal data).
 */
export function renderProviderError(ctx: KoaContextWithOIDC, out: ErrorOut, error: Error): void {
  const outer = ctx as unknown as Context;
  const outcome = classifyError(error);
  if (outcome.kind === 'unavailable') {
    respondWithError(outer, { status: 503, code: 'service_unavailable', retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS });
    return;
  }
  const status = ctx.status >= 400 ? ctx.status : 400;
  outer.state.protocolError = { error: out.error, description: out.error_description };
  respondWithError(outer, { status, code: status >= 500 ? 'internal_error' : 'bad_request' });
}
