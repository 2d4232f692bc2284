import type { Middleware } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { ClientSuspensions } from '../../domain/ports.js';
import type { ApiTokenVerifier } from '../../oidc/api-token-verifier.js';
import type { ApiParty } from './api-state.js';
import './api-state.js';

export interface ApiAuthDeps {
  verifyToken: ApiTokenVerifier;
  suspensions: ClientSuspensions;
  /** The party of a registered client; undefined for a client no longer registered. */
  partyOf(clientId: string): ApiParty | undefined;
}

const REALM = 'Bearer realm="vneid-api"';

/**
 * Authenticates an API call: a bearer access token this provider issued to the client by the client-credentials grant
 * (RFC 6750). No token or an unknown one: 401 with WWW-Authenticate. A suspended client (Decision 34 Art 13.5) can do
 * nothing: 403, whatever token it holds.
 */
export function authenticateApiClient(deps: ApiAuthDeps): Middleware {
  return async (ctx, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(ctx.get('authorization'));
    if (!match?.[1]) {
      ctx.set('WWW-Authenticate', REALM);
      throw new AppError('unauthorized', 'a bearer access token is required');
    }
    const caller = await deps.verifyToken(match[1]);
    const party = caller ? deps.partyOf(caller.clientId) : undefined;
    if (!caller || !party) {
      ctx.set('WWW-Authenticate', `${REALM}, error="invalid_token"`);
      throw new AppError('unauthorized', 'the access token is not valid');
    }
    // Decision 34 Art 13.5
    if (await deps.suspensions.isSuspended(caller.clientId)) throw new AppError('forbidden', 'client_suspended');
    ctx.state.apiCaller = { ...caller, party };
    await next();
  };
}

/** The capability a route needs (docs/api.md): a client acts only within the scopes its token carries. */
export function requireScope(scope: string): Middleware {
  return async (ctx, next) => {
    if (!ctx.state.apiCaller?.scopes.has(scope)) {
      ctx.set('WWW-Authenticate', `${REALM}, error="insufficient_scope", scope="${scope}"`);
      throw new AppError('forbidden', 'insufficient_scope');
    }
    await next();
  };
}
