import type { Adapter, Configuration, ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import type { ClientEntry } from '../config/clients.js';
import type { AppConfig } from '../config/schema.js';
import { DEFAULT_ACR_NAMES, type AcrNames } from '../domain/levels.js';
import { API_SCOPE_VALUES } from '../domain/api-scopes.js';
import type { AccountLockStatus, AccountStore } from '../domain/ports.js';
import type { Clock } from '../shared/clock.js';
import { SCOPE_CLAIMS } from './claims.js';
import { buildInteractionPolicy } from './assurance-policy.js';
import { createFindAccount } from './find-account.js';
import { createPairwiseIdentifier } from './pairwise-subject.js';
import { introspectionAllowedUnlessLocked, revocationAllowed } from './token-policies.js';

/** Pages the provider renders itself (errors, logout); supplied by the HTTP layer so they share our views. */
export interface ProviderPages {
  renderError(ctx: KoaContextWithOIDC, out: ErrorOut, error: Error): void | Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): void | Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): void | Promise<void>;
}

export interface ProviderConfigDeps {
  config: AppConfig;
  clients: ClientEntry[];
  jwks: { keys: Record<string, unknown>[] };
  cookieKeys: string[];
  adapter: (name: string) => Adapter;
  accounts: AccountStore;
  pages: ProviderPages;
  /** The flows' clock: the level-2 window and max_age are measured on it (oidc/assurance-policy.ts). */
  clock: Clock;
  /** The lock ledger (Decision 34 Art 10): locked accounts are not found and their tokens introspect inactive. */
  lockStatus: AccountLockStatus;
  /** Secret of pairwise subjects (oidc/pairwise-subject.ts pairwiseSaltFor); without it only public subjects exist. */
  pairwiseSalt?: string;
}

/** Client metadata of ours (Decision 34 Art 5.2: the service user chooses the level of each service). */
const EXTRA_CLIENT_METADATA = ['allowed_acr_values', 'minimum_acr_value'];

/** The oidc-provider configuration: protocol surface, storage, keys, claims and the hooks into our pages. */
export function buildProviderConfiguration(deps: ProviderConfigDeps): Configuration {
  const { config, pages } = deps;
  const ttl = config.ttl;
  const signingAlgorithms = config.keys.signingAlgorithms;
  return {
    adapter: deps.adapter,
    // A client without the code grant has no redirect and no response type (oidc-provider rejects the default `code`).
    clients: deps.clients.map((client) => ({
      ...client,
      response_types: client.grant_types.includes('authorization_code') ? ['code'] : [],
    })) as Configuration['clients'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: (signingAlgorithms[0] ?? 'ES256') as 'ES256',
    },
    extraClientMetadata: { properties: EXTRA_CLIENT_METADATA },
    jwks: deps.jwks as Configuration['jwks'],
    cookies: {
      keys: deps.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    findAccount: createFindAccount(deps.accounts, deps.lockStatus),
    // Clients declared `subject_type: pairwise` get their own sub per account (discovery lists both types).
    subjectTypes: deps.pairwiseSalt ? ['public', 'pairwise'] : ['public'],
    ...(deps.pairwiseSalt ? { pairwiseIdentifier: createPairwiseIdentifier(deps.pairwiseSalt) } : {}),
    acrValues: config.acr.values,
    // The API's capability scopes are listed too, so discovery advertises them (docs/api.md).
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((scope) => scope !== 'openid'), ...API_SCOPE_VALUES],
    // acr, amr and auth_time ride on the openid scope so every ID token says which level was achieved and how.
    claims: {
      sid: null,
      ...SCOPE_CLAIMS,
      openid: [...SCOPE_CLAIMS.openid, 'acr', 'amr', 'auth_time'],
    } as unknown as Configuration['claims'],
    responseTypes: ['code'],
    // Authorization code flow only, with PKCE S256 for every client, confidential ones too.
    pkce: { required: () => true },
    // Refresh tokens rotate on every use; the adapter's atomic consume makes a replayed one revoke the grant.
    rotateRefreshToken: true,
    enabledJWA: {
      idTokenSigningAlgValues: signingAlgorithms as never,
      userinfoSigningAlgValues: signingAlgorithms as never,
      introspectionSigningAlgValues: signingAlgorithms as never,
      authorizationSigningAlgValues: signingAlgorithms as never,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      userinfo: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: introspectionAllowedUnlessLocked(deps.lockStatus),
      },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      pushedAuthorizationRequests: { enabled: true },
      backchannelLogout: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => pages.logoutSource(ctx, form),
        postLogoutSuccessSource: (ctx) => pages.postLogoutSuccessSource(ctx),
      },
    },
    ttl: {
      AccessToken: ttl.accessTokenSeconds,
      AuthorizationCode: ttl.authorizationCodeSeconds,
      IdToken: ttl.idTokenSeconds,
      RefreshToken: ttl.refreshTokenSeconds,
      Session: ttl.sessionSeconds,
      Interaction: ttl.interactionSeconds,
      Grant: ttl.grantSeconds,
      PushedAuthorizationRequest: ttl.pushedAuthorizationRequestSeconds,
      ClientCredentials: ttl.clientCredentialsSeconds,
    },
    interactions: {
      // Decision 34 Art 5.2, 12.2.b: ordered levels, step-up, the level-2 window, locked accounts (assurance-policy.ts).
      policy: buildInteractionPolicy({
        acrNames: acrNamesOf(config.acr.values),
        clock: deps.clock,
        levelTwoWindowSeconds: config.levels.levelTwoWindowSeconds,
      }),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    discovery: {
      ui_locales_supported: ['vi', 'en'],
    },
    renderError: (ctx, out, error) => pages.renderError(ctx, out, error),
    // oidc-provider refuses outgoing requests (back-channel logout, jwks_uri) to loopback and private addresses. Keep
    // that in production; development and tests run their relying parties on loopback.
    fetch:
      config.env === 'production'
        ? (url, options) => globalThis.fetch(url, options)
        : (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
  };
}

/** The configured acr names of levels 1 and 2 (config `acr.values`, validated at start-up). */
function acrNamesOf(values: readonly string[]): AcrNames {
  const [one, two] = values;
  return one !== undefined && two !== undefined ? [one, two] : DEFAULT_ACR_NAMES;
}
