import type { Account } from '../../domain/account.js';
import type { OtpPolicy } from '../../domain/otp-policy.js';
import type { HomeRanges } from '../../domain/network-location.js';
import type { PasswordPolicy } from '../../domain/password-policy.js';
import type { AccountStore, AuditTrail, NotificationSender, PasswordHasher, RateLimiter } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { OwnerLockOperations } from '../locks/types.js';
import type { RegistrationSecrets } from '../registration/registration-secrets.js';
import type { OwnerCodeFlows } from './owner-code-flow.js';
import { greetingFor } from '../code-notice.js';

/** Ends the account's sessions but the one the owner is using (after a password change). */
export interface OtherSessionsTerminator {
  /** Returns how many sessions were ended. */
  terminateOthers(accountId: string, keepSessionId: string | undefined): Promise<number>;
}

/** Limits shared by every instance; keys are pseudonyms, never identifiers in clear. */
export interface AccountLimiters {
  /** Wrong passwords per account (password change, unlock request). */
  wrongPasswordsPerAccount: RateLimiter;
  /** Code steps started per client IP (unlock requests, contact changes). */
  codeStepsPerIp: RateLimiter;
}

export interface AccountSelfServiceDeps {
  accounts: AccountStore;
  hasher: PasswordHasher;
  sender: NotificationSender;
  locks: OwnerLockOperations;
  audit: AuditTrail;
  sessions: OtherSessionsTerminator;
  codes: OwnerCodeFlows;
  limiters: AccountLimiters;
  secrets: RegistrationSecrets;
  clock: Clock;
  logger?: Logger;
}

export interface AccountSelfServiceSettings {
  password: PasswordPolicy;
  otp: OtpPolicy;
  /** Sign-ins listed on the overview. */
  recentSignIns: number;
  /** Vietnam's address blocks, when the operator configured them. */
  homeRanges?: HomeRanges;
}

/** An account the owner may change: it exists and is active. */
export const usable = (account: Account | undefined): account is Account => account?.status === 'active';

/** Logs without personal data: ids and outcomes only. */
export function logEvent(logger: Logger | undefined, event: string, fields: Record<string, unknown>): void {
  logger?.info({ event, ...fields }, event);
}

/**
 * Sends a notice to the owner; best effort, because the change it reports is already made: a notice that cannot be
 * sent is logged, never turned into a failure of the change.
 */
export async function notifyBestEffort(
  deps: Pick<AccountSelfServiceDeps, 'sender' | 'logger'>,
  notification: Parameters<NotificationSender['send']>[0],
  accountId: string,
): Promise<boolean> {
  try {
    const sent = await deps.sender.send(notification);
    if (!sent.ok) logEvent(deps.logger, 'account.notice_not_sent', { accountId, template: notification.template });
    return sent.ok;
  } catch (error) {
    // Only the error's type: a sender's message may quote the recipient.
    const type = error instanceof Error ? error.name : typeof error;
    deps.logger?.error({ event: 'account.notice_failed', accountId, template: notification.template, type }, 'notice failed');
    return false;
  }
}

/** The email greeting's name for this account; an SMS never carries it (lock screens). */
export const greetingOf = (account: Account, channel: 'sms' | 'email'): Record<string, string> =>
  greetingFor(account.identity.fullName, channel);

/** The registered contacts of an account, each with the channel that reaches it. */
export function contactsOf(account: Account): { channel: 'sms' | 'email'; to: string }[] {
  return [
    ...(account.phone ? [{ channel: 'sms' as const, to: account.phone }] : []),
    ...(account.email ? [{ channel: 'email' as const, to: account.email }] : []),
  ];
}
