import { join } from 'node:path';
import Koa from 'koa';
import compose from 'koa-compose';
import mount from 'koa-mount';
import Provider from 'oidc-provider';
import type { Container } from './container.js';
import { DEFAULT_PASSWORD_POLICY } from './domain/password-policy.js';
import { ACCOUNT_PAGES_CLIENT_ID, withAccountPagesClient, withAccountPagesGrant } from './http/account/account-pages-client.js';
import { createAccountRouter } from './http/account/account-router.js';
import { createDemoRouter } from './http/demo/demo-router.js';
import { createOutboxRouter } from './http/dev/outbox-router.js';
import { healthRouter } from './http/health-router.js';
import { createInteractionRouter } from './http/interactions/interaction-router.js';
import { metricsRouter } from './http/metrics-router.js';
import { parseBody } from './http/middleware/body.js';
import { csrfToken, requireCsrf } from './http/middleware/csrf.js';
import { failClosedWhileRedisDown } from './http/middleware/dependency-guard.js';
import { errorHandler } from './http/middleware/errors.js';
import { preparedResponses } from './http/middleware/prepared-responses.js';
import { machineLane } from './http/middleware/machine-lane.js';
import { httpMetrics } from './http/middleware/metrics.js';
import { requestId } from './http/middleware/request-id.js';
import { addToRequestLine, requestLogger } from './http/middleware/request-logger.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { StaticAssets, staticRouter } from './http/static-router.js';
import { render, renderLogoutSource, renderPostLogoutSuccess, Views } from './http/views.js';
import { observeProvider } from './oidc/provider-events.js';
import { auditSignIns } from './oidc/sign-in-audit.js';
import { addressPrefix } from './domain/network-location.js';
import { providerOutageAs503, recordProviderFailure } from './http/middleware/provider-outage.js';
import { renderProviderError } from './http/provider-pages.js';
import { createRegistrationRouter } from './http/registration/registration-router.js';
import { createLevel2Router } from './http/level2/level2-router.js';
import { LEVEL2_STANDALONE_PREFIX, level2InteractionPath } from './http/level2/level2-paths.js';
import { AUTHENTICATOR_PATH, OVERVIEW_PATH, UNLOCK_PATH } from './http/account/account-paths.js';
import { createAuthenticatorRouter } from './http/account/authenticator-page.js';
import { pairwiseSaltFor } from './oidc/pairwise-subject.js';
import { buildProviderConfiguration } from './oidc/provider-config.js';
import { createApiRouter } from './http/api/api-router.js';
import { createApiTokenVerifier } from './oidc/api-token-verifier.js';
import { refuseSuspendedClients } from './oidc/client-suspension.js';
import { startLockChecksOnIntrospection } from './oidc/token-policies.js';

export interface Server {
  app: Koa;
  provider: Provider;
}

export interface ServerOptions {
  /** Project root holding views/ and static/ (defaults to the working directory). */
  root?: string;
}

/**
 * Koa assembly only: the order of middleware is the order below; the provider is mounted last so that our pages,
 * health and metrics answer first and everything in front of it (request id, logs, errors, headers) covers it too.
 */
export async function createServer(container: Container, options: ServerOptions = {}): Promise<Server> {
  const { config, logger, metrics, redis } = container;
  const root = options.root ?? process.cwd();
  const production = config.env === 'production';
  const cookieKeys = config.keys.cookieKeys.length > 0 ? config.keys.cookieKeys : await container.signingKeys.ensureDevCookieKeys();
  const jwks = { keys: await container.signingKeys.ensure(config.keys.signingAlgorithms) };

  const providerConfiguration = buildProviderConfiguration({
    config,
    // The account pages sign people in as a first-party relying party of our own (http/account/account-pages-client.ts).
    clients: withAccountPagesClient(container.clients, config.issuer),
    jwks: jwks as { keys: Record<string, unknown>[] },
    cookieKeys,
    adapter: container.oidcAdapter,
    accounts: container.accounts,
    pages: { renderError: renderProviderError, logoutSource: renderLogoutSource, postLogoutSuccessSource: renderPostLogoutSuccess },
    // The level-2 window and max_age are measured on the flows' clock (oidc/assurance-policy.ts).
    clock: container.clock,
    lockStatus: container.lockStatus,
    pairwiseSalt: pairwiseSaltFor(config, container.clients, cookieKeys),
  });
  const provider = new Provider(config.issuer, {
    ...providerConfiguration,
    loadExistingGrant: withAccountPagesGrant(providerConfiguration.loadExistingGrant),
  });
  provider.proxy = config.trustProxy;
  // Decision 34 Art 13.5: suspended relying parties do not exist for the provider; Art 10: locks end sessions with
  // back-channel logout signed by this provider.
  refuseSuspendedClients(provider, container.clientSuspensions);
  startLockChecksOnIntrospection(provider, container.lockStatus);
  container.accountSessions.attachProvider(provider);
  auditSignIns(provider, container.audit, container.acrNames, logger);
  observeProvider(provider, {
    logger,
    tokenIssued: (type) => metrics.tokenIssued(type),
    serverError: (ctx, error) => {
      recordProviderFailure(ctx as unknown as Koa.Context, error);
      logger.error({ error: { type: error.name, message: error.message } }, 'provider.failed');
    },
    addToRequestLine: (ctx, fields) => addToRequestLine(ctx as unknown as Koa.Context, fields),
  });

  const app = new Koa();
  // The provider's cookies are signed with these keys and read through the outer app's context.
  app.keys = cookieKeys;
  app.proxy = provider.proxy;

  const assets = new StaticAssets({ dir: join(root, 'static'), cache: production });
  const views = new Views({ dir: join(root, 'views'), defaultLocale: config.defaultLocale, cache: production, assets });
  const formBody = parseBody();
  const csrf = { keys: cookieKeys };

  // The provider's machine-to-machine endpoints first, in one middleware of their own: request id, metric, log line,
  // security headers, fail-closed and outage 503 without the pages' stack (http/middleware/machine-lane.ts).
  const providerApp = mount(provider);
  const machineRoutes = [
    ...['token', 'introspection', 'revocation', 'pushed_authorization_request'].map((route) => `POST ${provider.pathFor(route)}`),
    `GET ${provider.pathFor('userinfo')}`,
    `POST ${provider.pathFor('userinfo')}`,
  ];
  app.use(machineLane({ routes: machineRoutes, provider: providerApp, redis, logger, metrics, views: views.middleware() }));
  app.use(requestId());
  app.use(httpMetrics(metrics));
  // Discovery and JWKS are the same bytes for every caller: served prepared, ahead of logging (they need no Redis).
  app.use(
    preparedResponses({
      paths: ['/.well-known/openid-configuration', provider.pathFor('jwks')],
      origin: new URL(config.issuer).origin,
      maxAgeSeconds: 300,
    }),
  );
  app.use(requestLogger(logger));
  app.use(securityHeaders());
  app.use(views.middleware());
  app.use(errorHandler({ logger }));
  // Other methods on the machine-to-machine paths (CORS preflight, mistakes) skip our pages' routers and CSRF too.
  const providerApi = compose([failClosedWhileRedisDown(redis), providerOutageAs503(), providerApp]);
  const providerApiPaths = new Set(['token', 'introspection', 'revocation', 'userinfo', 'pushed_authorization_request'].map((route) => provider.pathFor(route)));
  app.use((ctx, next) => (providerApiPaths.has(ctx.path) ? providerApi(ctx, next) : next()));
  for (const router of [staticRouter(assets), healthRouter(redis), metricsRouter(metrics, { bearerToken: config.metricsToken })]) {
    app.use(router.routes());
  }
  app.use(failClosedWhileRedisDown(redis));
  app.use(csrfToken(csrf));

  // The agency and service-user API (docs/api.md): /api/v1, its OpenAPI document at /api/openapi.json.
  const api = createApiRouter({
    issuer: config.issuer,
    verifyToken: createApiTokenVerifier(provider),
    suspensions: container.clientSuspensions,
    partyOf: (clientId) => {
      const client = container.clients.find((candidate) => candidate.client_id === clientId);
      return client ? (client.vneid_party ?? 'service_user') : undefined;
    },
    unsuspendable: [ACCOUNT_PAGES_CLIENT_ID],
    accounts: container.accounts,
    locking: container.locks,
    registrySync: container.registrySync,
    audit: container.audit,
    level2: container.level2,
    registryEvents: {
      hmacKeys: config.lifecycle.registryEvents.hmacKeys,
      toleranceSeconds: config.lifecycle.registryEvents.signatureToleranceSeconds,
    },
    clock: container.clock,
    logger,
    jsonBody: formBody,
    requestsPerClient: { limiter: container.apiRequests, windowSeconds: config.api.requestsPerClient.windowSeconds },
  });
  app.use(api.document.routes());
  app.use(api.api.routes()).use(api.api.allowedMethods());

  // Decision 34 Art 5.1.b: level-2 verification, for the signed-in owner and inside a sign-in that asks for level 2.
  // Before the interaction pages, whose `/interaction/:uid/...` routes must not shadow `/interaction/:uid/level2`.
  const level2Pages = createLevel2Router({
    provider,
    accounts: container.accounts,
    level2: container.level2,
    clock: container.clock,
    issuer: config.issuer,
    signInMaxAgeMs: config.ttl.interactionSeconds * 1000,
    render,
    formBody,
    requireCsrf: requireCsrf(csrf),
    settings: {
      attemptsTotal: config.level2.attempts.points,
      windowSeconds: config.level2.attempts.windowSeconds,
      uploadMaxBytes: config.level2.uploadMaxBytes,
    },
    lockStatus: container.lockStatus,
  });
  app.use(level2Pages.routes()).use(level2Pages.allowedMethods());

  const interactions = createInteractionRouter({
    provider,
    signIn: container.signInService,
    accounts: container.accounts,
    acrNames: container.acrNames,
    clock: container.clock,
    totpIssuer: config.signIn.totp.issuer,
    accountUrl: OVERVIEW_PATH,
    unlockUrl: UNLOCK_PATH,
    levelTwoVerificationPath: level2InteractionPath,
    render,
    formBody,
    requireCsrf: requireCsrf(csrf),
    onLogin: (outcome) => (outcome === 'success' ? metrics.loginSucceeded() : metrics.loginFailed(outcome)),
    recordRefusal: async (loginKey, reason, ip) => {
      const account = await container.accounts.findByLoginKey(loginKey);
      const location = addressPrefix(ip);
      await container.audit
        .record({
          type: 'sign_in.failed',
          actor: { kind: 'anonymous' },
          ...(account ? { accountId: account.id } : {}),
          ...(location ? { location } : {}),
          details: { reason },
        })
        .catch((error: unknown) => logger.warn({ error: { message: (error as Error).message } }, 'audit.write_failed'));
    },
  });
  app.use(interactions.routes()).use(interactions.allowedMethods());

  // Decision 34 Art 6, 7: registration and activation, and the account page where parents register dependants.
  const pageDeps = { provider, registration: container.registration, clock: container.clock, render, formBody, requireCsrf: requireCsrf(csrf) };
  const registrationPages = createRegistrationRouter({ ...pageDeps, acrNames: container.acrNames, passwordPolicy: DEFAULT_PASSWORD_POLICY });
  app.use(registrationPages.routes()).use(registrationPages.allowedMethods());
  // Decision 34 Art 12.1.dd: the owner's pages (status, level, data, sign-ins, locks, password, contacts, services).
  const accountPages = createAccountRouter({
    ...pageDeps,
    accounts: container.accounts,
    lockStatus: container.lockStatus,
    issuer: config.issuer,
    signInMaxAgeMs: config.ttl.interactionSeconds * 1000,
    reauthenticateAfterMs: config.accountPages.reauthenticateAfterMinutes * 60_000,
    // Our sign-in pages record the session's time (loginTs) on the flows' clock (http/interactions), like the level-2
    // window; registration's sign-in records the provider's time, which is the same clock outside tests.
    protocolClock: container.clock,
    self: container.accountSelf,
    locks: container.locks,
    consents: container.consents,
    changesPerAccount: container.accountChanges,
    passwordPolicy: DEFAULT_PASSWORD_POLICY,
    links: { level2: LEVEL2_STANDALONE_PREFIX, authenticator: AUTHENTICATOR_PATH },
  });
  app.use(accountPages.routes()).use(accountPages.allowedMethods());
  // The TOTP authenticator app of level-2 sign-in, set up from the account pages (needs a level-2 session).
  const authenticatorPage = createAuthenticatorRouter({
    provider,
    accounts: container.accounts,
    lockStatus: container.lockStatus,
    issuer: config.issuer,
    signInMaxAgeMs: config.ttl.interactionSeconds * 1000,
    reauthenticateAfterMs: config.accountPages.reauthenticateAfterMinutes * 60_000,
    protocolClock: container.clock,
    totp: container.signInService.totp,
    acrNames: container.acrNames,
    clock: container.clock,
    levelTwoWindowSeconds: config.levels.levelTwoWindowSeconds,
    level2Path: LEVEL2_STANDALONE_PREFIX,
    render,
    formBody,
    requireCsrf: requireCsrf(csrf),
  });
  app.use(authenticatorPage.routes()).use(authenticatorPage.allowedMethods());

  // The development outbox exists only in outbox mode, which production refuses (ARCHITECTURE convention 10).
  const outbox = container.notifications.outbox;
  if (outbox && !production) {
    const outboxPages = createOutboxRouter(outbox, render);
    app.use(outboxPages.routes()).use(outboxPages.allowedMethods());
  }

  const demoClient = container.clients.find((client) => client.client_id === 'vneid-demo');
  if (config.demoEnabled && !production && demoClient?.client_secret) {
    const demo = createDemoRouter({
      issuer: config.issuer,
      clientId: demoClient.client_id,
      clientSecret: demoClient.client_secret,
      baseUrl: config.issuer,
      acrValues: container.acrNames,
      render,
    });
    app.use(demo.routes()).use(demo.allowedMethods());
  }

  app.use(providerOutageAs503());
  app.use(providerApp);
  return { app, provider };
}
