import type Provider from 'oidc-provider';

/** What an API request's bearer token says about its caller. */
export interface ApiCaller {
  clientId: string;
  scopes: ReadonlySet<string>;
}

export type ApiTokenVerifier = (token: string) => Promise<ApiCaller | undefined>;

/** Access-token values are opaque random strings; anything else is refused before Redis is asked. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * The agency API accepts access tokens this provider issued with the client-credentials grant (docs/api.md): looked up
 * in the provider's own store, so an expired or revoked token is refused at once. Tokens issued to a person's login
 * (authorization code) act for that person, never for an agency, and are refused here.
 */
export function createApiTokenVerifier(provider: Provider): ApiTokenVerifier {
  return async (token) => {
    if (!TOKEN_FORMAT.test(token)) return undefined;
    const found = await provider.ClientCredentials.find(token);
    if (!found?.isValid || !found.clientId) return undefined;
    return { clientId: found.clientId, scopes: found.scopes };
  };
}
