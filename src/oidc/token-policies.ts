import Provider, { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
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
 * Lock checks started by startLockChecksOnIntrospection, per token instance: an introspection request finds its token
 * once and hands that same instance to the policy below. Weak, so an abandoned check goes with its token.
 */
const lockChecksStarted = new WeakMap<object, Promise<boolean>>();

/** The token models an introspection request looks up (oidc-provider lib/helpers/token_find.js). */
interface FindableToken {
  find(...args: unknown[]): Promise<unknown>;
}

/**
 * Starts the lock check of an introspected token as soon as the token is read, so that it runs alongside the provider's
 * Grant lookup instead of after it: one Redis round trip less per introspection (issue 6 benchmark). Only on the
 * introspection route: userinfo and revocation find tokens too, and their lock checks happen elsewhere or not at all.
 */
export function startLockChecksOnIntrospection(provider: Provider, lockStatus: AccountLockStatus): void {
  for (const model of [provider.AccessToken, provider.RefreshToken] as unknown as FindableToken[]) {
    const find = model.find.bind(model);
    model.find = async (...args: unknown[]) => {
      const token = await find(...args);
      const accountId = (token as TokenOwner | undefined)?.accountId;
      if (token && typeof token === 'object' && accountId && Provider.ctx?.oidc.route === 'introspection') {
        const locked = lockStatus.isLocked(accountId);
        // The policy may never ask (grant gone, token expired): a failure nobody awaits must not become an unhandled
        // rejection. The policy awaiting `locked` itself still sees it and fails closed.
        locked.catch(() => undefined);
        lockChecksStarted.set(token, locked);
      }
      return token;
    };
  }
}

/**
 * Decision 34 Art 10: a token of a locked account is reported `active: false` from the moment the lock is recorded,
 * before its revocation has even run (oidc-provider's introspection never calls findAccount).
 */
export function introspectionAllowedUnlessLocked(lockStatus: AccountLockStatus) {
  return async (ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> => {
    if (!(await introspectionAllowed(ctx, client, token))) return false;
    if (!token.accountId) return true;
    const started = lockChecksStarted.get(token);
    return !(await (started ?? lockStatus.isLocked(token.accountId)));
  };
}

/** A relying party may revoke only its own tokens (RFC 7009 section 2.1). */
export async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenOwner): Promise<boolean> {
  if (token.clientId !== client.clientId) {
    throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
  }
  return true;
}
