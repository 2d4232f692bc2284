import { Secret, TOTP } from 'otpauth';
import type { FailureThrottle, TotpEnrolmentStore } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { normaliseTypedCode, refused, throttleRefusal, waitAfter, type Attempt, type FactorRefusal } from './factor-outcomes.js';
import type { TotpSecretSealer } from './totp-sealing.js';

/** RFC 6238 parameters every authenticator app reads from the QR code: SHA-1, 6 digits, 30-second steps. */
const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
/** 160 bits, the HMAC-SHA-1 block the RFC 4226 section 4 recommends. */
const SECRET_BYTES = 20;

export interface TotpSettings {
  issuer: string;
  /** How long a secret shown on the enrolment page waits for its first code. */
  enrolmentMs: number;
  /** Steps of clock drift accepted either side. */
  driftSteps: number;
}

export interface TotpFactorDeps {
  store: TotpEnrolmentStore;
  sealer: TotpSecretSealer;
  /** Consecutive wrong TOTP codes per account (NIST SP 800-63B 5.2.2: disabled after 100). */
  throttle: FailureThrottle;
  /** Failed sign-ins per IP, shared with the password and phone codes. */
  ipThrottle: FailureThrottle;
  clock: Clock;
  logger?: Logger;
}

/** What the enrolment page shows: the secret for manual entry and the otpauth:// URI its QR code encodes. */
export interface TotpEnrolmentOffer {
  secretBase32: string;
  uri: string;
}

export type EnrolmentRefusal = 'enrolment_expired' | 'code_invalid';

/**
 * A TOTP authenticator app as the second factor of level-2 sign-in. The shared secret is drawn here, shown once on the
 * enrolment page (text and QR code), stored sealed (totp-sealing.ts) and never logged; the enrolment takes effect only
 * when a first code proves the app holds it. Each accepted code's time step is recorded so the same code, or an older
 * one, is refused afterwards (RFC 6238 section 5.2).
 */
export class TotpFactor {
  constructor(
    private readonly deps: TotpFactorDeps,
    private readonly settings: TotpSettings,
  ) {}

  async isEnrolled(accountId: string): Promise<boolean> {
    return (await this.deps.store.find(accountId)) !== undefined;
  }

  /** The secret waiting for its first code (a reload of the enrolment page shows the same one), or a new one. */
  async offer(accountId: string, accountLabel: string): Promise<TotpEnrolmentOffer> {
    const pending = await this.deps.store.pending(accountId);
    const opened = pending ? await this.deps.sealer.open(accountId, pending) : undefined;
    const secretBase32 = opened ?? new Secret({ size: SECRET_BYTES }).base32;
    if (!opened) {
      await this.deps.store.savePending(accountId, await this.deps.sealer.seal(accountId, secretBase32), this.settings.enrolmentMs);
    }
    return { secretBase32, uri: this.totp(secretBase32, accountLabel).toString() };
  }

  /** Draws a fresh secret, replacing one that waits for its first code (the owner asked for a new QR code). */
  async renewOffer(accountId: string, accountLabel: string): Promise<TotpEnrolmentOffer> {
    const secretBase32 = new Secret({ size: SECRET_BYTES }).base32;
    await this.deps.store.savePending(accountId, await this.deps.sealer.seal(accountId, secretBase32), this.settings.enrolmentMs);
    return { secretBase32, uri: this.totp(secretBase32, accountLabel).toString() };
  }

  /**
   * The first code from the app: the pending secret becomes the account's authenticator (replacing a previous one),
   * and a TOTP disabled by failures works again (re-enrolling is its recovery).
   */
  async confirm(accountId: string, typed: string): Promise<Result<void, EnrolmentRefusal>> {
    const pending = await this.deps.store.pending(accountId);
    const secret = pending ? await this.deps.sealer.open(accountId, pending) : undefined;
    if (!pending || !secret) return fail('enrolment_expired');
    const step = this.acceptedStep(secret, typed);
    if (step === undefined) return fail('code_invalid');
    if (!(await this.deps.store.confirm(accountId, pending, step, this.deps.clock.now()))) return fail('enrolment_expired');
    await this.deps.throttle.recover(accountId);
    this.log('totp.enrolled', { accountId });
    return ok(undefined);
  }

  async remove(accountId: string): Promise<boolean> {
    const removed = await this.deps.store.remove(accountId);
    if (removed) this.log('totp.removed', { accountId });
    return removed;
  }

  /** A code typed at sign-in. Throttled per account and per IP; a replayed code is a wrong code. */
  async verify(accountId: string, typed: string, ip: string): Promise<Attempt<void, FactorRefusal>> {
    const before = throttleRefusal(...(await Promise.all([this.deps.throttle.check(accountId), this.deps.ipThrottle.check(ip)])));
    if (before) return refused(before.error, before.retryAfterSeconds);
    const enrolment = await this.deps.store.find(accountId);
    const secret = enrolment ? await this.deps.sealer.open(accountId, enrolment.sealedSecret) : undefined;
    if (!enrolment || !secret) return refused('not_enrolled');
    const step = this.acceptedStep(secret, typed);
    if (step !== undefined && (await this.deps.store.useStep(accountId, enrolment.sealedSecret, step))) {
      const cleared = await this.deps.throttle.clear(accountId);
      // Not silently: the failures a success ends are recorded for the owner's history.
      if (cleared > 0) this.log('sign_in.failures_cleared', { accountId, factor: 'totp', failures: cleared });
      return ok(undefined);
    }
    const [own, fromIp] = await Promise.all([this.deps.throttle.recordFailure(accountId), this.deps.ipThrottle.recordFailure(ip)]);
    if (own.kind === 'disabled') {
      this.log('totp.disabled', { accountId });
      return refused('disabled');
    }
    return refused('code_invalid', waitAfter(own, fromIp));
  }

  /** The time step the code belongs to (within the accepted drift), or undefined when it is not a valid code now. */
  private acceptedStep(secretBase32: string, typed: string): number | undefined {
    const token = normaliseTypedCode(typed, DIGITS);
    if (token === undefined) return undefined;
    const timestamp = this.deps.clock.now();
    const delta = this.totp(secretBase32, '').validate({ token, timestamp, window: this.settings.driftSteps });
    if (delta === null) return undefined;
    return TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
  }

  private totp(secretBase32: string, label: string): TOTP {
    return new TOTP({
      issuer: this.settings.issuer,
      label,
      algorithm: ALGORITHM,
      digits: DIGITS,
      period: PERIOD_SECONDS,
      secret: Secret.fromBase32(secretBase32),
    });
  }

  private log(event: string, fields: Record<string, unknown>): void {
    this.deps.logger?.info({ event, ...fields }, event);
  }
}
