import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AuditTrail } from '../../domain/audit.js';
import type { AccountStore, ClientSuspensions, RateLimiter } from '../../domain/ports.js';
import type { Level2Api } from '../../flows/level2/types.js';
import type { AccountLocking } from '../../flows/locks/account-locking.js';
import type { RegistrySync } from '../../flows/registry-sync/registry-sync.js';
import type { ApiTokenVerifier } from '../../oidc/api-token-verifier.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { mountAccountRoutes } from './account-routes.js';
import { authenticateApiClient } from './api-auth.js';
import { limitApiRequests } from './api-rate-limit.js';
import { auditApiCalls } from './api-call-audit.js';
import type { ApiParty } from './api-state.js';
import { mountAuditRoutes } from './audit-routes.js';
import { mountClientRoutes } from './client-routes.js';
import { mountLevel2Routes } from './level2-routes.js';
import { API_BASE_PATH, OPENAPI_PATH, openApiDocument } from './openapi-document.js';
import { mountRegistryRoutes } from './registry-routes.js';

export interface ApiRouterDeps {
  issuer: string;
  verifyToken: ApiTokenVerifier;
  suspensions: ClientSuspensions;
  /** The party of a registered client (undefined: not registered). */
  partyOf(clientId: string): ApiParty | undefined;
  /** Clients the operator may not suspend (the provider's own). */
  unsuspendable: readonly string[];
  accounts: AccountStore;
  locking: AccountLocking;
  registrySync: RegistrySync;
  audit: AuditTrail;
  level2: Pick<Level2Api, 'recordInPersonVerification'>;
  registryEvents: { hmacKeys: readonly string[]; toleranceSeconds: number };
  clock: Clock;
  logger: Logger;
  jsonBody: Middleware;
  /** Requests per client (config `api.requestsPerClient`); its window is the Retry-After of a refusal. */
  requestsPerClient: { limiter: RateLimiter; windowSeconds: number };
}

/**
 * The agency and service-user API (docs/api.md) under /api/v1, and its OpenAPI 3.1 document at /api/openapi.json.
 * Every route: authenticate (bearer token, suspended clients refused) -> requests per client -> audit the call -> scope -> validate -> load ->
 * authorize -> act -> present. Errors are problem+json (middleware/errors.ts, as for every /api/ path).
 */
export function createApiRouter(deps: ApiRouterDeps): { document: Router; api: Router } {
  const document = new Router();
  const body = openApiDocument(deps.issuer);
  document.get(OPENAPI_PATH, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = body;
  });

  const api = new Router({ prefix: API_BASE_PATH });
  api.use(
    authenticateApiClient(deps),
    limitApiRequests(deps.requestsPerClient.limiter, deps.requestsPerClient.windowSeconds),
    auditApiCalls(deps.audit, deps.logger),
  );
  mountAccountRoutes(api, { accounts: deps.accounts, locking: deps.locking, jsonBody: deps.jsonBody });
  mountAuditRoutes(api, { accounts: deps.accounts, audit: deps.audit });
  mountRegistryRoutes(api, {
    registrySync: deps.registrySync,
    jsonBody: deps.jsonBody,
    clock: deps.clock,
    hmacKeys: deps.registryEvents.hmacKeys,
    toleranceSeconds: deps.registryEvents.toleranceSeconds,
  });
  mountLevel2Routes(api, { level2: deps.level2, jsonBody: deps.jsonBody });
  mountClientRoutes(api, {
    suspensions: deps.suspensions,
    audit: deps.audit,
    clock: deps.clock,
    jsonBody: deps.jsonBody,
    isRegistered: (clientId) => deps.partyOf(clientId) !== undefined,
    unsuspendable: deps.unsuspendable,
  });
  return { document, api };
}
