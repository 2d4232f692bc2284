import type { Account } from '../../domain/account.js';
import type { ThrottleVerdict } from '../../domain/failure-throttle.js';
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

/** An attempt whose reads are under way (PasswordStep.begin). */
export interface StartedAttempt {
  readonly loginKey: string;
  readonly ip: string;
  readonly nameKey: Promise<string>;
  readonly verdicts: Promise<[ThrottleVerdict, ThrottleVerdict]>;
  readonly found: Promise<Account | undefined>;
}

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

  /**
   * Starts an attempt's reads (the throttle counters of the login name and of the IP, and the account) without
   * waiting for them, so that the caller's own read (the interaction) goes to Redis in the same round trip; `verify`
   * then finishes the attempt. An attempt begun and never verified has cost reads only.
   */
  begin(loginKey: string, ip: string): StartedAttempt {
    const nameKey = this.deps.secrets.pseudonym('sign-in', loginKey);
    const verdicts = nameKey.then((key) => Promise.all([this.deps.throttle.check(key), this.deps.ipThrottle.check(ip)]));
    const found = this.deps.signIn.lookUp(loginKey);
    // Whoever abandons an attempt (the interaction was gone) is not told of its reads' failures; verify is.
    for (const read of [nameKey, verdicts, found]) read.catch(() => undefined);
    return { loginKey, ip, nameKey, verdicts, found };
  }

  async verify(started: StartedAttempt, password: string): Promise<Attempt<Account, PasswordRefusal>> {
    const { loginKey, ip, found } = started;
    const nameKey = await started.nameKey;
    // A throttled attempt is answered as soon as the counters are, without waiting for the account lookup, so known
    // and unknown names are refused alike.
    const before = throttleRefusal(...(await started.verdicts));
    if (before) return refused(before.error, before.retryAfterSeconds);

    const outcome = await this.deps.signIn.verify(loginKey, password, found);
    if (!outcome.ok) {
      const [own, fromIp] = await Promise.all([this.deps.throttle.recordFailure(nameKey), this.deps.ipThrottle.recordFailure(ip)]);
      if (own.kind === 'disabled') return refused('disabled');
      return refused('invalid_credentials', waitAfter(own, fromIp));
    }
    const account = outcome.value;
    // The right password ends the run of failures whether or not the account is locked, so both questions go to Redis
    // together (one round trip on every sign-in instead of two).
    const [cleared, locked] = await Promise.all([this.deps.throttle.clear(nameKey), this.deps.locks.isLocked(account.id)]);
    // Not silently: the failures a success ends are recorded for the owner's history.
    if (cleared > 0) this.log('sign_in.failures_cleared', { accountId: account.id, factor: 'password', failures: cleared });
    // Decision 34 Art 10: usable only while no lock is open. Told only to someone who knows the password.
    if (locked) {
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
