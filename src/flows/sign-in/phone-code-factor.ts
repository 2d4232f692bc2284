import type { Account } from '../../domain/account.js';
import { contactKeyOf, maskContact } from '../../domain/contact.js';
import { afterWrongCode, checkSend, codeUsable, nextSendAt, withNewCode, type CodeState, type OtpPolicy } from '../../domain/otp-policy.js';
import type { FailureThrottle, FlowStore, NotificationSender, RateLimiter } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { ok } from '../../shared/result.js';
import { RegistrationSecrets } from '../registration/registration-secrets.js';
import { normaliseTypedCode, refused, throttleRefusal, waitAfter, type Attempt, type FactorRefusal } from './factor-outcomes.js';
import { expiresInMinutes, sendCodeOrUndo } from '../code-notice.js';

/** The catalogue name of the message (notifications/templates/sign-in-code.ts). */
const SIGN_IN_CODE_TEMPLATE = 'sign_in_code';
const HOUR_MS = 3_600_000;
/** Compare-and-set retries before concluding that something is wrong (each retry means another writer got in). */
const MAX_WRITES = 10;

/**
 * The phone-code state of one account, kept across sign-ins (flow kind `sign-in-code`, id = account id): one code at a
 * time, the sends of the last hour, and the wrong tries. A new code never resets the failures; it only replaces the
 * code (domain/otp-policy.ts, the rules activation uses).
 */
export interface SignInCodeState extends CodeState {
  id: string;
}

export interface PhoneCodeDeps {
  flows: FlowStore<SignInCodeState>;
  sender: NotificationSender;
  /** Code hashes and limit-key pseudonyms (the same keyed hashes as activation codes). */
  secrets: RegistrationSecrets;
  /** Codes per phone number, whatever the account (protects the recipient and the gateway). */
  sendsPerPhone: RateLimiter;
  /** Consecutive wrong phone codes per account (NIST SP 800-63B 5.2.2). */
  throttle: FailureThrottle;
  /** Failed sign-ins per IP, shared with the password and the TOTP. */
  ipThrottle: FailureThrottle;
  clock: Clock;
  logger?: Logger;
}

/** What the page shows about the phone code. */
export interface PhoneCodeView {
  /** "+8490*****67". */
  maskedPhone: string;
  /** Epoch ms; absent when no usable code exists. */
  codeExpiresAt?: number;
  /** Epoch ms: the earliest time another code may be sent. */
  nextSendAt: number;
}

export type SendRefusal = 'no_phone' | 'resend_too_soon' | 'send_limit_reached' | 'rate_limited' | 'sender_unavailable';

/**
 * A one-time code to the registered phone as the second factor of level-2 sign-in: 6 digits from the CSPRNG, valid
 * `codeTtlMs` (5 minutes), single use, `maxAttemptsPerCode` wrong tries, stored only as a keyed hash. The send is
 * reserved in the state before the message leaves (two requests cannot both send) and taken back if the sender fails.
 */
export class PhoneCodeFactor {
  constructor(
    private readonly deps: PhoneCodeDeps,
    private readonly policy: OtpPolicy,
  ) {}

  async view(account: Account): Promise<PhoneCodeView | undefined> {
    const phone = provenPhoneOf(account);
    if (!phone) return undefined;
    const stored = await this.deps.flows.load(account.id);
    return this.viewOf(phone, stored?.flow ?? emptyState(account.id), this.deps.clock.now());
  }

  async send(account: Account, locale: 'vi' | 'en'): Promise<Attempt<PhoneCodeView, SendRefusal>> {
    const phone = provenPhoneOf(account);
    if (!phone) return refused('no_phone');
    const before = await this.deps.flows.load(account.id);
    const early = checkSend(before?.flow ?? emptyState(account.id), this.policy, this.deps.clock.now());
    if (early) return refused(early);
    const phoneKey = await this.deps.secrets.pseudonym('contact', contactKeyOf(phone));
    if (!(await this.deps.sendsPerPhone.consume(phoneKey))) return refused('rate_limited');

    const code = RegistrationSecrets.newCode(this.policy.codeDigits);
    const codeHash = await this.deps.secrets.hashCode(account.id, code);
    type Reservation = { before: SignInCodeState; after: SignInCodeState } | 'resend_too_soon' | 'send_limit_reached';
    const reserved = await this.update<Reservation>(account.id, (state, now) => {
      const refusal = checkSend(state, this.policy, now);
      if (refusal) return { result: refusal };
      const after: SignInCodeState = { ...state, ...withNewCode(state, codeHash, this.policy, now) };
      return { result: { before: state, after }, write: after };
    });
    if (typeof reserved === 'string') {
      await this.deps.sendsPerPhone.refund(phoneKey);
      return refused(reserved);
    }
    const undo = async (): Promise<void> => {
      await this.takeBack(reserved.before, reserved.after);
      await this.deps.sendsPerPhone.refund(phoneKey);
    };
    const sent = await sendCodeOrUndo(
      this.deps.sender,
      { channel: 'sms', to: phone, template: SIGN_IN_CODE_TEMPLATE, locale, params: { code, expiresInMinutes: expiresInMinutes(this.policy.codeTtlMs) } },
      undo,
    );
    if (!sent.ok) {
      this.log('sign_in.code_not_sent', { accountId: account.id });
      return refused('sender_unavailable');
    }
    this.log('sign_in.code_sent', { accountId: account.id });
    return ok(this.viewOf(phone, reserved.after, this.deps.clock.now()));
  }

  /** The code typed at sign-in. Wrong tries are stored before they are answered; a right code is used up at once. */
  async verify(account: Account, typed: string, ip: string): Promise<Attempt<void, FactorRefusal>> {
    const before = throttleRefusal(...(await Promise.all([this.deps.throttle.check(account.id), this.deps.ipThrottle.check(ip)])));
    if (before) return refused(before.error, before.retryAfterSeconds);
    const code = normaliseTypedCode(typed, this.policy.codeDigits);
    const verdict = await this.update<'accepted' | 'wrong' | 'expired'>(account.id, async (state, now) => {
      if (!codeUsable(state, this.policy, now) || state.codeHash === undefined) return { result: 'expired' };
      if (code !== undefined && (await this.deps.secrets.codeMatches(account.id, code, state.codeHash))) {
        return { result: 'accepted', write: { ...state, codeHash: undefined, codeExpiresAt: undefined, codeAttempts: 0 } };
      }
      return { result: 'wrong', write: { ...state, ...afterWrongCode(state, this.policy).state } };
    });
    if (verdict === 'expired') return refused('code_expired');
    if (verdict === 'accepted') {
      const cleared = await this.deps.throttle.clear(account.id);
      // Not silently: the failures a success ends are recorded for the owner's history.
      if (cleared > 0) this.log('sign_in.failures_cleared', { accountId: account.id, factor: 'sms', failures: cleared });
      return ok(undefined);
    }
    const [own, fromIp] = await Promise.all([this.deps.throttle.recordFailure(account.id), this.deps.ipThrottle.recordFailure(ip)]);
    if (own.kind === 'disabled') {
      this.log('sign_in.code_disabled', { accountId: account.id });
      return refused('disabled');
    }
    return refused('code_invalid', waitAfter(own, fromIp));
  }

  /** The owner's recovery (or an operator's, after checking who asks): phone codes work again for this account. */
  async recover(accountId: string): Promise<void> {
    await this.deps.throttle.recover(accountId);
  }

  private viewOf(phone: string, state: SignInCodeState, now: number): PhoneCodeView {
    return {
      maskedPhone: maskContact(phone),
      ...(codeUsable(state, this.policy, now) && state.codeExpiresAt !== undefined ? { codeExpiresAt: state.codeExpiresAt } : {}),
      nextSendAt: nextSendAt(state, this.policy, now),
    };
  }

  /** Undoes a reservation whose message could not be sent: the previous code works again, the send is not counted. */
  private async takeBack(before: SignInCodeState, reserved: SignInCodeState): Promise<void> {
    const reservedAt = reserved.sends[reserved.sends.length - 1];
    await this.update<undefined>(reserved.id, (state) => {
      const sends = state.sends.filter((sentAt) => sentAt !== reservedAt);
      if (state.codeHash !== reserved.codeHash) return { result: undefined, write: { ...state, sends } };
      return {
        result: undefined,
        write: { ...state, sends, codeHash: before.codeHash, codeExpiresAt: before.codeExpiresAt, codeAttempts: before.codeAttempts },
      };
    });
  }

  /** Read, decide, and write only over what was read (compare-and-set), retrying when another request got in. */
  private async update<R>(
    accountId: string,
    decide: (state: SignInCodeState, now: number) => Promise<{ result: R; write?: SignInCodeState }> | { result: R; write?: SignInCodeState },
  ): Promise<R> {
    for (let attempt = 0; attempt < MAX_WRITES; attempt += 1) {
      const stored = await this.deps.flows.load(accountId);
      const now = this.deps.clock.now();
      const step = await decide(stored?.flow ?? emptyState(accountId), now);
      if (!step.write) return step.result;
      const ttl = this.ttlOf(step.write, now);
      if (stored) {
        if (await this.deps.flows.replace(step.write, stored.revision, ttl)) return step.result;
      } else if (await this.createOnce(step.write, ttl)) {
        return step.result;
      }
    }
    throw new Error(`sign-in code state changed concurrently ${MAX_WRITES} times in a row`);
  }

  /** create() throws when another request created the state first: then decide again over what it wrote. */
  private async createOnce(state: SignInCodeState, ttlMs: number): Promise<boolean> {
    try {
      await this.deps.flows.create(state, ttlMs);
      return true;
    } catch (error) {
      if (error instanceof Error && error.message === 'flow id already in use') return false;
      throw error;
    }
  }

  /** Kept while a code works and while its sends still count against the hourly limit. */
  private ttlOf(state: SignInCodeState, now: number): number {
    const lastSend = state.sends[state.sends.length - 1] ?? now;
    return Math.max(1, (state.codeExpiresAt ?? 0) - now, lastSend + HOUR_MS - now);
  }

  private log(event: string, fields: Record<string, unknown>): void {
    this.deps.logger?.info({ event, ...fields }, event);
  }
}

/**
 * The registered phone, when a one-time code proved it (activation by SMS, or a change of number): only such a phone is
 * bound to the owner and may carry a second factor (NIST SP 800-63B 5.1.3.1).
 */
const provenPhoneOf = (account: Account): string | undefined => (account.phoneVerifiedAt !== undefined ? account.phone : undefined);

const emptyState = (accountId: string): SignInCodeState => ({ id: accountId, codeAttempts: 0, codeFailures: 0, sends: [] });
