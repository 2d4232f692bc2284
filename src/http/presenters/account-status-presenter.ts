import type { Account } from '../../domain/account.js';
import type { AccountLock } from '../../domain/lock.js';
import { presentLock } from './lock-presenter.js';

/**
 * Account status for an agency (docs/api.md): the opaque account id to use in later calls, whether it is usable, the
 * level, and the open locks. No contact data, no identity data beyond what the caller sent.
 */
export function presentAccountStatus(account: Account, locks: readonly AccountLock[], viewer: { clientId: string; operator: boolean }): Record<string, unknown> {
  const status = account.status === 'pending_activation' ? 'pending_activation' : locks.length > 0 ? 'locked' : 'active';
  return {
    accountId: account.id,
    status,
    level: account.level,
    ...(account.levelVerification ? { levelVerifiedBy: account.levelVerification.channel } : {}),
    locks: locks.map((lock) => presentLock(lock, viewer)),
  };
}
