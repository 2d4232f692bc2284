import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { ClientEntry } from '../../config/clients.js';
import { SIGN_IN_CALLBACK_PATH } from './account-paths.js';

/**
 * The account pages sign people in the way every relying party does: an authorization request of this first-party
 * client, answered by the provider's own sign-in page. So the owner's pages get exactly the sign-in rules relying
 * parties get (levels, locks, limits) without a second login form, and "signed in" means the provider's session
 * (single sign-on with every relying party, ended by RP-initiated logout).
 *
 * The client is public (no secret; PKCE is required for every client) because its code never reaches the token
 * endpoint: the callback checks and destroys it in-process. It is declared here, not in the clients file, because it
 * is part of the product in every environment; its id is reserved.
 */
export const ACCOUNT_PAGES_CLIENT_ID = 'vneid-account';

/** The relying parties of the clients file, plus the account pages' own; a declared client may not take its id. */
export function withAccountPagesClient(clients: readonly ClientEntry[], issuer: string): ClientEntry[] {
  if (clients.some((client) => client.client_id === ACCOUNT_PAGES_CLIENT_ID)) {
    throw new Error(`clients: client_id ${ACCOUNT_PAGES_CLIENT_ID} is reserved for the account pages`);
  }
  return [...clients, accountPagesClient(issuer)];
}

function accountPagesClient(issuer: string): ClientEntry {
  return {
    client_id: ACCOUNT_PAGES_CLIENT_ID,
    client_name: 'Tài khoản định danh điện tử',
    redirect_uris: [accountPagesRedirectUri(issuer)],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    scope: 'openid',
  };
}

export const accountPagesRedirectUri = (issuer: string): string => `${issuer.replace(/\/+$/, '')}${SIGN_IN_CALLBACK_PATH}`;

type LoadExistingGrant = NonNullable<Configuration['loadExistingGrant']>;

/**
 * oidc-provider `loadExistingGrant`: as configured (or the provider's default: the grant remembered in the session),
 * and for the account pages' own client a grant of `openid` alone is created on the spot: a person is never asked to
 * consent to sharing nothing with the provider's own pages.
 */
export function withAccountPagesGrant(configured: LoadExistingGrant | undefined): LoadExistingGrant {
  return async (ctx: KoaContextWithOIDC) => {
    const existing = configured ? await configured(ctx) : await rememberedGrant(ctx);
    if (existing || ctx.oidc.client?.clientId !== ACCOUNT_PAGES_CLIENT_ID) return existing;
    const accountId = ctx.oidc.session?.accountId;
    if (accountId === undefined) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ACCOUNT_PAGES_CLIENT_ID, accountId });
    grant.addOIDCScope('openid');
    await grant.save();
    return grant;
  };
}

/** oidc-provider's default behaviour: the grant of the consent just given, or the one the session holds for the client. */
async function rememberedGrant(ctx: KoaContextWithOIDC) {
  const clientId = ctx.oidc.client?.clientId;
  const fromConsent = ctx.oidc.result?.consent?.grantId;
  const grantId = typeof fromConsent === 'string' ? fromConsent : clientId ? ctx.oidc.session?.grantIdFor(clientId) : undefined;
  return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
}
