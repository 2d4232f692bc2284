import { contactKeyOf, maskContact } from '../../domain/contact.js';
import {
  afterWrongCode,
  attemptsRemaining,
  checkSend,
  codeUsable,
  nextSendAt,
  withNewCode,
  type CodeState,
  type OtpPolicy,
} from '../../domain/otp-policy.js';
import type { FlowStore, NotificationChannel, NotificationSender, RateLimiter } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import { randomId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { RegistrationSecrets } from '../registration/registration-secrets.js';
import type { CodeFlowState, CodeFlowView, CodePurpose, Locale, SendCodeError, VerifyCodeError } from './types.js';
import { expiresInMinutes, greetingFor, sendCodeOrUndo } from '../code-notice.js';

/**
 * One one-time-code step of the owner's account (a new phone or email, lifting one's own lock), stored in Redis
 * (FlowStore) until `expiresAt`:
 *
 *   awaiting_code --right code--> completed
 *        +--------too many wrong codes--> locked
 *
 * The code rules are the activation code's (domain/otp-policy.ts, `limits.code*`): 6 digits, 5 minutes, 5 tries per
 * code, a total of wrong tries per step, resends spaced and limited; the code is kept only as a keyed hash.
 */
export interface OwnerCodeFlow extends CodeState {
  id: string;
  purpose: CodePurpose;
  state: CodeFlowState;
  accountId: string;
  channel: NotificationChannel;
  /** Where the code goes: the NEW contact of a contact change, the registered one when unlocking. */
  contact: string;
  locale: Locale;
  /** For the email greeting: the name as the registry holds it. */
  fullName: string;
  createdAt: number;
  expiresAt: number;
  completedAt?: number;
}

export interface CodeLimiters {
  /** Codes sent to one contact, shared with registration (`limits.codeSendsPerContact`). */
  codeSendsPerContact: RateLimiter;
  /** Wrong codes per account, across its steps (`accountPages.wrongCodesPerAccount`). */
  wrongCodesPerAccount: RateLimiter;
}

export interface CodeFlowDeps {
  flows: FlowStore<OwnerCodeFlow>;
  sender: NotificationSender;
  limiters: CodeLimiters;
  secrets: RegistrationSecrets;
  clock: Clock;
  logger?: Logger;
}

export interface CodeFlowSettings {
  otp: OtpPolicy;
  /** How long a step stays open (`accountPages.codeStepMinutes`). */
  stepMs: number;
}

const TEMPLATES: Record<CodePurpose, string> = { contact_change: 'contact_change_code', unlock: 'unlock_code' };
/** The longest name the templates greet by name. */
const MAX_WRITES = 10;
const FLOW_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What one compare-and-set round decided: the answer, and the new flow to store first if anything changed. */
interface Step<R> {
  result: R;
  write?: OwnerCodeFlow;
}

/** What one try came to: refused without comparing, compared and wrong, or accepted. */
type Verdict = { refused: VerifyCodeError } | { wrong: VerifyCodeError } | { accepted: OwnerCodeFlow };

/** Who may use a step: its purpose, and the account when the caller is signed in. */
export interface FlowExpectation {
  purpose: CodePurpose;
  accountId?: string;
}

/** The code steps' engine, shared by the contact change and the unlock use cases. */
export class OwnerCodeFlows {
  constructor(
    private readonly deps: CodeFlowDeps,
    readonly settings: CodeFlowSettings,
  ) {}

  now(): number {
    return this.deps.clock.now();
  }

  /**
   * Opens a step and sends its first code. When that code cannot be sent (contact over its limit, sender down) the step
   * is removed again: nothing half-done is left, and the person simply tries again.
   */
  async open(
    input: Pick<OwnerCodeFlow, 'purpose' | 'accountId' | 'channel' | 'contact' | 'locale' | 'fullName'>,
  ): Promise<Result<CodeFlowView, 'rate_limited' | 'sender_unavailable'>> {
    const now = this.now();
    const flow: OwnerCodeFlow = {
      ...input,
      id: randomId(),
      state: 'awaiting_code',
      codeAttempts: 0,
      codeFailures: 0,
      sends: [],
      createdAt: now,
      expiresAt: now + this.settings.stepMs,
    };
    await this.deps.flows.create(flow, this.settings.stepMs);
    const sent = await this.send(flow.id, { purpose: flow.purpose, accountId: flow.accountId });
    if (sent.ok) return sent;
    await this.deps.flows.delete(flow.id);
    if (sent.error === 'rate_limited' || sent.error === 'sender_unavailable') return fail(sent.error);
    // A brand-new step cannot be too soon, locked or gone: anything else is a bug.
    throw new Error(`first code of a new step refused: ${sent.error}`);
  }

  async load(flowId: string, expected: FlowExpectation): Promise<OwnerCodeFlow | undefined> {
    if (typeof flowId !== 'string' || !FLOW_ID.test(flowId)) return undefined;
    const stored = await this.deps.flows.load(flowId);
    if (!stored || stored.flow.expiresAt <= this.now() || !matches(stored.flow, expected)) return undefined;
    return stored.flow;
  }

  view(flow: OwnerCodeFlow): CodeFlowView {
    const now = this.now();
    const { otp } = this.settings;
    const usable = flow.state === 'awaiting_code' && codeUsable(flow, otp, now);
    return {
      id: flow.id,
      purpose: flow.purpose,
      state: flow.state,
      channel: flow.channel,
      maskedContact: maskContact(flow.contact),
      expiresAt: flow.expiresAt,
      ...(usable && flow.codeExpiresAt !== undefined ? { codeExpiresAt: flow.codeExpiresAt } : {}),
      codeAttemptsRemaining: usable ? attemptsRemaining(flow, otp, now) : 0,
      ...(flow.state === 'awaiting_code' ? { nextSendAt: nextSendAt(flow, otp, now) } : {}),
    };
  }

  /**
   * Sends a new code (the previous one stops working). The send is recorded before the message leaves, so two
   * simultaneous requests cannot both send; if the sender then fails, the reservation is taken back.
   */
  async send(flowId: string, expected: FlowExpectation): Promise<Result<CodeFlowView, SendCodeError>> {
    const flow = await this.load(flowId, expected);
    if (!flow) return fail('flow_not_found');
    if (flow.state !== 'awaiting_code') return fail('invalid_state');
    const early = checkSend(flow, this.settings.otp, this.now());
    if (early) return fail(early);

    const { limiters, secrets } = this.deps;
    const contactKey = await secrets.pseudonym('contact', contactKeyOf(flow.contact));
    if (!(await limiters.codeSendsPerContact.consume(contactKey))) return fail('rate_limited');

    const code = RegistrationSecrets.newCode(this.settings.otp.codeDigits);
    const codeHash = await secrets.hashCode(flowId, code);
    const reserved = await this.update<{ before: OwnerCodeFlow; after: OwnerCodeFlow } | SendCodeError>(flowId, expected, (current, now) => {
      if (current.state !== 'awaiting_code') return { result: 'invalid_state' };
      const refusal = checkSend(current, this.settings.otp, now);
      if (refusal) return { result: refusal };
      const after: OwnerCodeFlow = { ...current, ...withNewCode(current, codeHash, this.settings.otp, now) };
      return { result: { before: current, after }, write: after };
    });
    const reservation = reserved.ok ? reserved.value : reserved.error;
    if (typeof reservation === 'string') {
      await limiters.codeSendsPerContact.refund(contactKey);
      return fail(reservation);
    }
    const { before, after } = reservation;
    const undo = async (): Promise<void> => {
      await this.takeBack(before, after, expected);
      await limiters.codeSendsPerContact.refund(contactKey);
    };
    const sent = await sendCodeOrUndo(
      this.deps.sender,
      {
        channel: after.channel,
        to: after.contact,
        template: TEMPLATES[after.purpose],
        locale: after.locale,
        params: { code, expiresInMinutes: expiresInMinutes(this.settings.otp.codeTtlMs), ...greetingFor(after.fullName, after.channel) },
      },
      undo,
    );
    if (!sent.ok) {
      this.log('account.code_not_sent', { flowId, purpose: after.purpose });
      return sent;
    }
    this.log('account.code_sent', { flowId, purpose: after.purpose, channel: after.channel });
    return ok(this.view(after));
  }

  /**
   * Checks a code; on success the step is completed (single use) and `complete` runs first, so the change is made
   * before the step says so. A wrong code is stored before it is answered.
   */
  async verify<T>(
    flowId: string,
    expected: FlowExpectation,
    typed: string,
    complete: (flow: OwnerCodeFlow) => Promise<T>,
  ): Promise<Result<T, VerifyCodeError>> {
    const flow = await this.load(flowId, expected);
    if (!flow) return fail('flow_not_found');
    if (flow.state === 'locked') return fail('flow_locked');
    if (flow.state !== 'awaiting_code') return fail('invalid_state');
    const { limiters, secrets } = this.deps;
    const accountKey = await secrets.pseudonym('account-code', flow.accountId);
    if (!(await limiters.wrongCodesPerAccount.allows(accountKey))) return fail('rate_limited');
    const code = typeof typed === 'string' ? typed.replace(/[\s-]+/g, '') : '';
    if (code.length !== this.settings.otp.codeDigits || !/^\d+$/.test(code)) return fail('code_invalid');

    const verdict = await this.update<Verdict>(
      flowId,
      expected,
      async (current, now): Promise<Step<Verdict>> => {
        if (current.state === 'locked') return { result: { refused: 'flow_locked' } };
        if (current.state !== 'awaiting_code') return { result: { refused: 'invalid_state' } };
        const { otp } = this.settings;
        if (!codeUsable(current, otp, now) || current.codeHash === undefined) return { result: { refused: 'code_expired' } };
        if (await secrets.codeMatches(current.id, code, current.codeHash)) {
          const accepted: OwnerCodeFlow = { ...current, state: 'completed', codeHash: undefined, codeExpiresAt: undefined, completedAt: now };
          return { result: { accepted }, write: accepted };
        }
        const wrong = afterWrongCode(current, otp);
        const locked = wrong.outcome === 'registration_locked';
        const answer: VerifyCodeError = wrong.outcome === 'registration_locked' ? 'flow_locked' : wrong.outcome;
        return {
          result: { wrong: answer },
          write: { ...current, ...wrong.state, state: locked ? 'locked' : current.state },
        };
      },
    );
    if (!verdict.ok) return verdict;
    const outcome = verdict.value;
    if ('refused' in outcome) return fail(outcome.refused);
    if ('wrong' in outcome) {
      await limiters.wrongCodesPerAccount.consume(accountKey);
      return fail(outcome.wrong);
    }
    this.log('account.code_accepted', { flowId, purpose: outcome.accepted.purpose });
    return ok(await complete(outcome.accepted));
  }

  private async update<R>(
    flowId: string,
    expected: FlowExpectation,
    decide: (flow: OwnerCodeFlow, now: number) => Promise<Step<R>> | Step<R>,
  ): Promise<Result<R, 'flow_not_found'>> {
    for (let attempt = 0; attempt < MAX_WRITES; attempt += 1) {
      if (!FLOW_ID.test(flowId)) return fail('flow_not_found');
      const stored = await this.deps.flows.load(flowId);
      const now = this.now();
      if (!stored || stored.flow.expiresAt <= now || !matches(stored.flow, expected)) return fail('flow_not_found');
      const step = await decide(stored.flow, now);
      if (!step.write) return ok(step.result);
      if (await this.deps.flows.replace(step.write, stored.revision, Math.max(step.write.expiresAt - now, 1))) return ok(step.result);
    }
    throw new Error(`owner code step changed concurrently ${MAX_WRITES} times in a row`);
  }

  /** Undoes a reservation whose message could not be sent: the previous code works again, the send is not counted. */
  private async takeBack(before: OwnerCodeFlow, reserved: OwnerCodeFlow, expected: FlowExpectation): Promise<void> {
    const reservedAt = reserved.sends[reserved.sends.length - 1];
    await this.update<undefined>(reserved.id, expected, (current) => {
      const sends = [...current.sends];
      const index = sends.lastIndexOf(reservedAt ?? Number.NaN);
      if (index !== -1) sends.splice(index, 1);
      if (current.codeHash !== reserved.codeHash) return { result: undefined, write: { ...current, sends } };
      return {
        result: undefined,
        write: { ...current, sends, codeHash: before.codeHash, codeExpiresAt: before.codeExpiresAt, codeAttempts: before.codeAttempts },
      };
    });
  }

  private log(event: string, fields: Record<string, unknown>): void {
    this.deps.logger?.info({ event, ...fields }, event);
  }
}

const matches = (flow: OwnerCodeFlow, expected: FlowExpectation): boolean =>
  flow.purpose === expected.purpose && (expected.accountId === undefined || flow.accountId === expected.accountId);
