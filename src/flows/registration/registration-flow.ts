import { maskContact } from '../../domain/contact.js';
import { attemptsRemaining, codeUsable, nextSendAt, type CodeState, type OtpPolicy } from '../../domain/otp-policy.js';
import type { CodeChannel, Locale, RegistrationFlowView, RegistrationKind, RegistrationState } from './types.js';

/**
 * The stored state machine of one registration (ARCHITECTURE "flows/", after ory/kratos flows):
 *
 *   awaiting_code --code accepted--> awaiting_password --password set--> completed
 *        |  ^                               |
 *        |  +-----password step timed out---+
 *        +--too many wrong codes in total--> locked
 *
 * Kept in Redis (FlowStore) until `expiresAt`, the activation deadline of its pending account; holds the code only as
 * a keyed hash. The contact is kept because the code must go there again on a resend.
 */
export interface RegistrationFlow extends CodeState {
  id: string;
  state: RegistrationState;
  kind: RegistrationKind;
  channel: CodeChannel;
  /** E.164 number or email address the codes go to. */
  contact: string;
  locale: Locale;
  /** The pending account this registration activates; with `existingAccount`, the account that holds the identity. */
  accountId: string;
  /**
   * The identity already had an account (or a registration awaiting activation) when this registration matched. Such a
   * flow looks and counts exactly like a new one on every page, so registration cannot be used to learn who has an
   * account, but it never activates anything: its "codes" are never sent (the holder's own contact is told instead,
   * registration_attempted) and no code is ever accepted. Decision 34 Art 4, 6: one identity, one account.
   */
  existingAccount?: true;
  /** For the greeting of emails: the name as the registry holds it. */
  fullName: string;
  interactionUid?: string;
  representativeAccountId?: string;
  createdAt: number;
  /** Epoch ms; equals the pending account's activationExpiresAt. */
  expiresAt: number;
  /** Epoch ms the code was accepted (awaiting_password). */
  codeVerifiedAt?: number;
  completedAt?: number;
}

/** The timings the flow needs besides the code rules. */
export interface FlowTimings {
  otp: OtpPolicy;
  passwordStepMs: number;
}

/**
 * The flow as it stands at `now`: time-based transitions are applied when the flow is read, so nothing has to run
 * when a deadline passes. A password step that timed out goes back to awaiting_code with no usable code, so that a
 * flow id found later (a shared computer) cannot set the password without a fresh code.
 */
export function flowAt(flow: RegistrationFlow, timings: FlowTimings, now: number): RegistrationFlow {
  if (flow.state === 'awaiting_password' && passwordDeadlineOf(flow, timings) <= now) {
    const { codeVerifiedAt: _verifiedAt, ...rest } = flow;
    return { ...rest, state: 'awaiting_code', codeHash: undefined, codeExpiresAt: undefined };
  }
  return flow;
}

const passwordDeadlineOf = (flow: RegistrationFlow, timings: FlowTimings): number =>
  (flow.codeVerifiedAt ?? 0) + timings.passwordStepMs;

/** Whether the flow's own lifetime is over (Redis removes it soon after; until then it reads as gone). */
export const flowExpired = (flow: RegistrationFlow, now: number): boolean => flow.expiresAt <= now;

/** What pages may show (types.ts RegistrationFlowView); never the code hash or the whole contact. */
export function viewOf(flow: RegistrationFlow, timings: FlowTimings, now: number): RegistrationFlowView {
  const { otp } = timings;
  const usable = flow.state === 'awaiting_code' && codeUsable(flow, otp, now);
  return {
    id: flow.id,
    state: flow.state,
    kind: flow.kind,
    channel: flow.channel,
    maskedContact: maskContact(flow.contact),
    ...(flow.interactionUid === undefined ? {} : { interactionUid: flow.interactionUid }),
    expiresAt: flow.expiresAt,
    ...(usable && flow.codeExpiresAt !== undefined ? { codeExpiresAt: flow.codeExpiresAt } : {}),
    codeAttemptsRemaining: usable ? attemptsRemaining(flow, otp, now) : 0,
    ...(flow.state === 'awaiting_code' ? { nextSendAt: nextSendAt(flow, otp, now) } : {}),
    ...(flow.state === 'awaiting_password' ? { passwordDeadline: passwordDeadlineOf(flow, timings) } : {}),
  };
}
