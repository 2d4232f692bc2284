import type { FindAccount } from 'oidc-provider';
import type { AccountStore } from '../domain/ports.js';
import { accountClaims } from './claims.js';

/**
 * oidc-provider's account lookup. It returns undefined for an account that no longer exists, which makes the provider
 * treat the session or token as invalid. A storage outage throws, so the request fails closed.
 */
export function createFindAccount(accounts: AccountStore): FindAccount {
  return async (_ctx, sub) => {
    const account = await accounts.findById(sub);
    if (!account) return undefined;
    return {
      accountId: account.id,
      // oidc-provider filters these by the granted scopes and requested claims.
      claims: () => ({ ...accountClaims(account), sub: account.id }),
    };
  };
}
