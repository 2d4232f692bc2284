import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountLockStatus } from '../domain/ports.js';

interface TokenOwner {
  clientId?: string;
  accountId?: string;
}

/**
 * A relying party may introspect only the tokens issued to it: an access token reveals whose account it serves, and
 * service users must protect that personal data (Decision 34 Art 12.2). Others get `active: false`.
 */
export async function introspectionAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> {
  return token.clientId === client.clientId;
}

/**
 * Decision 34 Art 10: a token of a locked account is reported `active: false` from the moment the lock is recorded,
 * before its revocation has even run (oidc-provider's introspection never calls findAccount).
 */
export function introspectionAllowedUnlessLocked(lockStatus: AccountLockStatus) {
  return async (ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> => {
    if (!(await introspectionAllowed(ctx, client, token))) return false;
    return !token.accountId || !(await lockStatus.isLocked(token.accountId));
  };
}

/** A relying party may revoke only its own tokens (RFC 7009 section 2.1). */
export async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> {
  if (token.clientId !== client.clientId) {
    throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
  }
  return true;
}
