import { loginKeyOf } from '../../domain/account.js';
import { addressPrefix } from '../../domain/network-location.js';
import type { NotificationChannel } from '../../domain/ports.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { logEvent, usable, type AccountSelfServiceDeps } from './account-context.js';
import type { LoginName, OwnerRequestContext, StartUnlockError, UnlockCompleted, UnlockStarted, VerifyCodeError } from './types.js';

/**
 * The owner lifts the lock they put on their own account (Decision 34 Art 11.1; a terms-of-service lock once the
 * operator recorded the remediation, Art 11.3). A locked account cannot sign in, so this runs without a session: the
 * owner proves the password, then a one-time code sent to the registered phone or email, so that the password alone
 * (perhaps the very thing that leaked) cannot undo the lock.
 *
 * Until the password matched, every refusal is the same `invalid_credentials` after the same work, and the limits are
 * keyed by the login name typed, so nothing tells whether an account exists. After it, the owner may learn everything
 * about their own account's locks.
 */
export async function startUnlock(
  deps: AccountSelfServiceDeps,
  input: { login: LoginName; password: string; channel: NotificationChannel },
  context: OwnerRequestContext,
): Promise<Result<UnlockStarted, StartUnlockError>> {
  const { secrets, limiters, hasher } = deps;
  if (!(await limiters.codeStepsPerIp.consume(await secrets.pseudonym('ip', context.ip)))) return fail('rate_limited');
  const loginKey = loginKeyOf(input.login);
  const passwordKey = await secrets.pseudonym('login-password', loginKey);
  if (!(await limiters.wrongPasswordsPerAccount.allows(passwordKey))) return fail('rate_limited');
  const password = typeof input.password === 'string' ? input.password : '';
  const account = await deps.accounts.findByLoginKey(loginKey);
  const matched = usable(account) ? await hasher.verify(account.passwordHash, password) : await hasher.verifyDummy(password);
  if (!matched || !usable(account)) {
    await limiters.wrongPasswordsPerAccount.consume(passwordKey);
    return fail('invalid_credentials');
  }

  const lockStatus = await deps.locks.statusOf(account.id);
  if (!lockStatus.locks.some((lock) => lock.ownerMayLiftNow)) return ok({ kind: 'nothing_to_lift', lockStatus });
  const preferred = input.channel === 'email' ? account.email : account.phone;
  const fallback = input.channel === 'email' ? account.phone : account.email;
  const contact = preferred ?? fallback;
  if (contact === undefined) return fail('contact_missing');
  const channel: NotificationChannel = preferred !== undefined ? input.channel : input.channel === 'email' ? 'sms' : 'email';
  const opened = await deps.codes.open({
    purpose: 'unlock',
    accountId: account.id,
    channel,
    contact,
    locale: context.locale,
    fullName: account.identity.fullName,
  });
  if (!opened.ok) return opened;
  logEvent(deps.logger, 'account.unlock_started', { accountId: account.id });
  return ok({ kind: 'code_sent', flow: opened.value, lockStatus });
}

/** The code typed; on success every lock the owner may lift is lifted (each audited and notified by the ledger). */
export async function confirmUnlock(
  deps: AccountSelfServiceDeps,
  flowId: string,
  code: string,
  context: OwnerRequestContext,
): Promise<Result<UnlockCompleted, VerifyCodeError>> {
  return deps.codes.verify(flowId, { purpose: 'unlock' }, code, async (flow) => {
    const before = await deps.locks.statusOf(flow.accountId);
    let lifted = 0;
    for (const lock of before.locks.filter((open) => open.ownerMayLiftNow)) {
      const outcome = await deps.locks.liftOwnLock({
        accountId: flow.accountId,
        lockId: lock.id,
        locale: context.locale,
        ...(addressPrefix(context.ip) ? { location: addressPrefix(context.ip) } : {}),
      });
      // A lock lifted meanwhile (another tab) is not an error; any other refusal is audited by the ledger.
      if (outcome.ok) lifted += 1;
    }
    const lockStatus = await deps.locks.statusOf(flow.accountId);
    logEvent(deps.logger, 'account.unlock_completed', { accountId: flow.accountId, lifted, usable: !lockStatus.locked });
    return { lifted, accountUsable: !lockStatus.locked, lockStatus };
  });
}
