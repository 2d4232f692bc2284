import { loginKeyOf } from '../../domain/account.js';
import { checkNewPassword } from '../../domain/password-policy.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { contactsOf, greetingOf, logEvent, notifyBestEffort, usable, type AccountSelfServiceDeps, type AccountSelfServiceSettings } from './account-context.js';
import type { ChangePasswordError, OwnerRequestContext, PasswordChanged } from './types.js';

/**
 * The owner changes their password (Decision 34 Art 12.1: the owner keeps the credentials; the account is theirs to
 * secure). The current password is required whatever the age of the sign-in, and wrong ones are counted against the
 * account; the new one follows the password policy (NIST SP 800-63B, domain/password-policy.ts). Then every other
 * session of the account is ended, so whoever knew the old password is signed out everywhere, and the owner is told
 * on every registered contact.
 */
export async function changePassword(
  deps: AccountSelfServiceDeps,
  settings: AccountSelfServiceSettings,
  accountId: string,
  input: { currentPassword: string; newPassword: string; keepSessionId?: string },
  context: OwnerRequestContext,
): Promise<Result<PasswordChanged, ChangePasswordError>> {
  const account = await deps.accounts.findById(accountId);
  if (!usable(account)) return fail('account_unavailable');
  // The same counter as the unlock page's: wrong passwords for this login name, wherever they are typed.
  const limitKey = await deps.secrets.pseudonym('login-password', loginKeyOf(account.identity));
  if (!(await deps.limiters.wrongPasswordsPerAccount.allows(limitKey))) return fail('rate_limited');
  if (!(await deps.hasher.verify(account.passwordHash, input.currentPassword))) {
    await deps.limiters.wrongPasswordsPerAccount.consume(limitKey);
    logEvent(deps.logger, 'account.password_change_refused', { accountId });
    return fail('current_password_wrong');
  }
  const checked = checkNewPassword(
    input.newPassword,
    {
      idNumber: account.identity.idNumber,
      passportNumber: account.identity.passportNumber,
      birthDate: account.identity.birthDate,
      phone: account.phone,
      email: account.email,
    },
    settings.password,
  );
  if (!checked.ok) return checked;
  if (await deps.hasher.verify(account.passwordHash, input.newPassword)) return fail('new_password_unchanged');

  const passwordHash = await deps.hasher.hash(input.newPassword);
  const now = deps.clock.now();
  const saved = await deps.accounts.update(accountId, (stored) => (usable(stored) ? { ...stored, passwordHash, updatedAt: now } : undefined));
  if (!saved || saved.passwordHash !== passwordHash) return fail('account_unavailable');

  const sessionsEnded = await deps.sessions.terminateOthers(accountId, input.keepSessionId);
  logEvent(deps.logger, 'account.password_changed', { accountId, sessionsEnded });
  for (const contact of contactsOf(saved)) {
    await notifyBestEffort(
      deps,
      { channel: contact.channel, to: contact.to, template: 'password_changed', locale: context.locale, params: greetingOf(saved, contact.channel) },
      accountId,
    );
  }
  return ok({ sessionsEnded });
}
