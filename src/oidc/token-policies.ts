import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';

interface TokenOwner {
  clientId?: string;
}

/**
 * A relying party may introspect only the tokens issued to it: an access token reveals whose account it serves, and
 * service users must protect that personal data (Decision 34 Art 12.2). Others get `active: false`.
 */
export async function introspectionAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> {
  return token.clientId === client.clientId;
}

/** A relying party may revoke only its own tokens (RFC 7009 section 2.1). */
export async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> {
  if (token.clientId !== client.clientId) {
    throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
  }
  return true;
}
