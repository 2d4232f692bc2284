import type { Account as OidcAccount, FindAccount } from 'oidc-provider';
import type { Account } from '../domain/account.js';
import type { AccountLockStatus, AccountStore } from '../domain/ports.js';
import { accountClaims } from './claims.js';

/** The oidc-provider account with our record alongside, so the interaction policy reads the level without a lookup. */
interface AccountWithRecord extends OidcAccount {
  record: Account;
}

/** Our account record behind `ctx.oidc.account`, when findAccount loaded it. */
export function accountRecordOf(account: OidcAccount | undefined): Account | undefined {
  const record: unknown = account?.record;
  return typeof record === 'object' && record !== null && 'level' in record ? (record as Account) : undefined;
}

/**
 * oidc-provider's account lookup, on every authorization, code exchange, refresh and UserInfo request. It returns
 * undefined for an account that no longer exists, is not active, or has an open lock (Decision 34 Art 10: usable only
 * while no lock is open): the provider then refuses the code, refresh token or access token (`invalid_grant`,
 * `invalid_token`), and the interaction policy asks for a new sign-in instead of reusing the session, which the
 * sign-in page refuses for a locked account. A storage outage throws, so the request fails closed.
 */
export function createFindAccount(accounts: AccountStore, locks: AccountLockStatus | undefined): FindAccount {
  return async (_ctx, sub) => {
    const [account, locked] = await Promise.all([accounts.findById(sub), locks ? locks.isLocked(sub) : false]);
    if (!account || account.status !== 'active' || locked) return undefined;
    const found: AccountWithRecord = {
      accountId: account.id,
      record: account,
      // oidc-provider filters these by the granted scopes and requested claims.
      claims: () => ({ ...accountClaims(account), sub: account.id }),
    };
    return found;
  };
}
