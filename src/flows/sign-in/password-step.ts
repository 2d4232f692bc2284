import type { Account } from '../../domain/account.js';
import type { AccountLockStatus, FailureThrottle } from '../../domain/ports.js';
import type { Logger } from '../../shared/logger.js';
import { ok } from '../../shared/result.js';
import type { PasswordSignIn } from '../password-sign-in.js';
import type { RegistrationSecrets } from '../registration/registration-secrets.js';
import { refused, throttleRefusal, waitAfter, type Attempt } from './factor-outcomes.js';

/**
 * Why a password sign-in did not go through.
 *   invalid_credentials  unknown login name, account not activated, or wrong password: one answer for all
 *                        (`retryAfterSeconds` when the next try has to wait).
 *   wait                 throttled before anything was checked: "try again in N seconds".
 *   disabled             100 consecutive wrong passwords for this login name (NIST SP 800-63B 5.2.2): password
 *                        sign-in is off until the owner recovers it with a code sent to the registered phone. Unknown
 *                        login names reach this state the same way, so it reveals nothing either.
 *   locked               the password was right but the account has an open lock (Decision 34 Art 10): shown only
 *                        now, to whoever knows the password, never to someone guessing.
 */
export type PasswordRefusal = 'invalid_credentials' | 'wait' | 'disabled' | 'locked';

export interface PasswordStepDeps {
  signIn: PasswordSignIn;
  /** Wrong passwords per login name (a keyed hash of it), unknown names included. */
  throttle: FailureThrottle;
  /** Failed sign-ins per IP, never cleared by a success. */
  ipThrottle: FailureThrottle;
  locks: AccountLockStatus;
  secrets: RegistrationSecrets;
  logger?: Logger;
}

/**
 * The first step of every sign-in: login name and password, throttled per login name and per IP. A throttled attempt
 * is refused before the password is looked at, for known and unknown names alike, so the answer and its timing say
 * nothing about whether the account exists; an attempt that is looked at costs one argon2 verification either way
 * (PasswordSignIn).
 */
export class PasswordStep {
  constructor(private readonly deps: PasswordStepDeps) {}

  async verify(loginKey: string, password: string, ip: string): Promise<Attempt<Account, PasswordRefusal>> {
    const nameKey = await this.deps.secrets.pseudonym('sign-in', loginKey);
    const before = throttleRefusal(...(await Promise.all([this.deps.throttle.check(nameKey), this.deps.ipThrottle.check(ip)])));
    if (before) return refused(before.error, before.retryAfterSeconds);

    const outcome = await this.deps.signIn.verify(loginKey, password);
    if (!outcome.ok) {
      const [own, fromIp] = await Promise.all([this.deps.throttle.recordFailure(nameKey), this.deps.ipThrottle.recordFailure(ip)]);
      if (own.kind === 'disabled') return refused('disabled');
      return refused('invalid_credentials', waitAfter(own, fromIp));
    }
    const account = outcome.value;
    const cleared = await this.deps.throttle.clear(nameKey);
    // Not silently: the failures a success ends are recorded for the owner's history.
    if (cleared > 0) this.log('sign_in.failures_cleared', { accountId: account.id, factor: 'password', failures: cleared });
    // Decision 34 Art 10: usable only while no lock is open. Told only to someone who knows the password.
    if (await this.deps.locks.isLocked(account.id)) {
      this.log('sign_in.refused_locked', { accountId: account.id });
      return refused('locked');
    }
    return ok(account);
  }

  /** The owner's recovery (a code to the registered phone, then a new password): password sign-in works again. */
  async recover(loginKey: string): Promise<void> {
    await this.deps.throttle.recover(await this.deps.secrets.pseudonym('sign-in', loginKey));
  }

  private log(event: string, fields: Record<string, unknown>): void {
    this.deps.logger?.info({ event, ...fields }, event);
  }
}
