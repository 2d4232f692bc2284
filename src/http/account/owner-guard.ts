import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { AccountLockStatus, AccountStore } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { ReturnPage } from './account-paths.js';
import { ownerSession, startSignIn, type OwnerSession } from './account-session.js';

export interface OwnerGuardDeps {
  provider: Provider;
  accounts: AccountStore;
  /** Decision 34 Art 10: a locked account is unusable, its pages included. */
  lockStatus: AccountLockStatus;
  issuer: string;
  /** How long a signed-out visitor may take to sign in (the provider's interaction lifetime). */
  signInMaxAgeMs: number;
  /** `accountPages.reauthenticateAfterMinutes`, in ms. */
  reauthenticateAfterMs: number;
  /** The provider's own time (its sessions' `loginTs` are epoch seconds of the real clock). */
  protocolClock: Clock;
}

/**
 * The owner of the signed-in session, or undefined after sending the browser to sign in (the response is then set).
 * A locked account counts as signed out (its sessions are ended when the lock is recorded; this holds even for a
 * session that raced the lock), and so the sign-in it is sent to refuses it. With `fresh`, a sign-in older than
 * `reauthenticateAfterMs` is asked for the credentials again before a sensitive change.
 */
export async function requireOwner(
  ctx: Context,
  deps: OwnerGuardDeps,
  returnTo: ReturnPage,
  options: { fresh?: boolean } = {},
): Promise<OwnerSession | undefined> {
  const owner = await ownerSession(ctx, deps.provider, deps.accounts);
  const signIn = { issuer: deps.issuer, maxAgeMs: deps.signInMaxAgeMs, returnTo };
  if (!owner || (await deps.lockStatus.isLocked(owner.account.id))) {
    startSignIn(ctx, signIn);
    return undefined;
  }
  if (options.fresh && !isFresh(owner, deps)) {
    startSignIn(ctx, { ...signIn, reauthenticate: true });
    return undefined;
  }
  return owner;
}

/** Whether the session's last authentication is recent enough for a sensitive change. */
export function isFresh(owner: OwnerSession, deps: Pick<OwnerGuardDeps, 'reauthenticateAfterMs' | 'protocolClock'>): boolean {
  if (owner.authTime === undefined) return false;
  return deps.protocolClock.now() - owner.authTime * 1000 <= deps.reauthenticateAfterMs;
}
