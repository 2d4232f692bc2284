import type { Account } from '../../domain/account.js';
import { contactKeyOf } from '../../domain/contact.js';
import { checkSend, withNewCode } from '../../domain/otp-policy.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { RegistrationContext } from './registration-context.js';
import type { RegistrationFlow } from './registration-flow.js';
import { viewOf } from './registration-flow.js';
import { RegistrationSecrets } from './registration-secrets.js';
import type { CodeChannel, RegistrationFlowView, SendCodeError } from './types.js';
import { expiresInMinutes, greetingFor, sendCodeOrUndo } from '../code-notice.js';

/** The catalogue name and parameters of the message (notifications/templates/activation-code.ts). */
const ACTIVATION_CODE_TEMPLATE = 'activation_code';
/** notifications/templates/registration-attempted.ts (no parameters but the greeting). */
const REGISTRATION_ATTEMPTED_TEMPLATE = 'registration_attempted';

/**
 * Decision 34 Art 7.1: sends a new activation code to the registered phone number or email. The code replaces the
 * previous one, is stored only as a keyed hash, and the send is recorded BEFORE the message leaves, so that two
 * simultaneous requests cannot both send (the second finds the first one's send and is "too soon"). If the sender then
 * fails, that reservation is taken back: nothing was sent and nothing is counted, and the registration is exactly as
 * it was, ready for another try.
 */
export async function sendNewCode(
  context: RegistrationContext,
  flowId: string,
): Promise<Result<RegistrationFlowView, SendCodeError>> {
  const current = await context.current(flowId);
  if (!current) return fail('flow_not_found');
  if (current.flow.state !== 'awaiting_code') return fail('invalid_state');
  // Registration replaced by a newer one of the same identity, or its account expired: this flow is over.
  const account = await context.accountOf(current.flow);
  if (!account) return fail('flow_not_found');
  const early = checkSend(current.flow, context.settings.otp, context.now());
  if (early) return fail(early);

  const { limiters } = context.deps;
  const recipient = recipientOf(current.flow, account);
  // Counted on the contact typed, whoever receives the message, so that both kinds of registration run out alike; the
  // holder's notices are bounded by the registrations allowed per identity and the sends allowed per registration.
  const contactKey = await context.secrets.pseudonym('contact', contactKeyOf(current.flow.contact));
  if (!(await limiters.codeSendsPerContact.consume(contactKey))) return fail('rate_limited');

  const code = RegistrationSecrets.newCode(context.settings.otp.codeDigits);
  const codeHash = await context.secrets.hashCode(flowId, code);
  const reserved = await context.update<{ before: RegistrationFlow; after: RegistrationFlow } | SendCodeError>(
    flowId,
    (flow, now) => {
      if (flow.state !== 'awaiting_code') return { result: 'invalid_state' };
      const refusal = checkSend(flow, context.settings.otp, now);
      if (refusal) return { result: refusal };
      const after: RegistrationFlow = { ...flow, ...withNewCode(flow, codeHash, context.settings.otp, now) };
      return { result: { before: flow, after }, write: after };
    },
  );
  const reservation = reserved.ok ? reserved.value : reserved.error;
  if (typeof reservation === 'string') {
    await limiters.codeSendsPerContact.refund(contactKey);
    return fail(reservation);
  }

  const { after } = reservation;
  const undo = async (): Promise<void> => {
    await takeBack(context, reservation.before, after);
    await limiters.codeSendsPerContact.refund(contactKey);
  };
  if (after.existingAccount) {
    // The code just stored goes nowhere; the holder of the identity is told on their own contact instead.
    if (recipient) {
      const notified = await sendCodeOrUndo(
        context.deps.sender,
        {
          ...recipient,
          template: REGISTRATION_ATTEMPTED_TEMPLATE,
          locale: after.locale,
          params: greetingFor(account.identity.fullName, recipient.channel),
        },
        undo,
      );
      if (!notified.ok) return notified;
    }
    context.log('registration.holder_notified', { flowId, accountId: account.id, sent: recipient !== undefined });
    return ok(viewOf(after, context.settings, context.now()));
  }
  const sent = await sendCodeOrUndo(
    context.deps.sender,
    {
      channel: after.channel,
      to: after.contact,
      template: ACTIVATION_CODE_TEMPLATE,
      locale: after.locale,
      params: { code, expiresInMinutes: expiresInMinutes(context.settings.otp.codeTtlMs), ...greetingFor(after.fullName, after.channel) },
    },
    undo,
  );
  if (!sent.ok) {
    context.log('registration.code_not_sent', { flowId });
    return sent;
  }
  context.log('registration.code_sent', { flowId, channel: after.channel });
  return ok(viewOf(after, context.settings, context.now()));
}

/**
 * Where the flow's messages go: the registrant's chosen contact; for a registration of an identity that already has an
 * account, that account's own contact on the same channel (the other one when it has none): Decision 34 Art 12.1, the
 * owner hears about it, and someone using their identity data learns nothing.
 */
function recipientOf(flow: RegistrationFlow, account: Account): { channel: CodeChannel; to: string } | undefined {
  if (!flow.existingAccount) return { channel: flow.channel, to: flow.contact };
  const { phone, email } = account;
  const preferred = flow.channel === 'sms' ? phone : email;
  if (preferred !== undefined) return { channel: flow.channel, to: preferred };
  if (phone !== undefined) return { channel: 'sms', to: phone };
  return email === undefined ? undefined : { channel: 'email', to: email };
}

/**
 * Undoes a reservation whose message could not be sent: the previous code (if any) works again and the send is not
 * counted. If the flow moved on meanwhile (it cannot have used the unsent code), only the send is uncounted.
 */
async function takeBack(context: RegistrationContext, before: RegistrationFlow, reserved: RegistrationFlow): Promise<void> {
  const reservedAt = reserved.sends[reserved.sends.length - 1];
  await context.update<undefined>(reserved.id, (flow) => {
    const sends = [...flow.sends];
    const index = sends.lastIndexOf(reservedAt ?? Number.NaN);
    if (index !== -1) sends.splice(index, 1);
    if (flow.codeHash !== reserved.codeHash) return { result: undefined, write: { ...flow, sends } };
    return {
      result: undefined,
      write: {
        ...flow,
        sends,
        codeHash: before.codeHash,
        codeExpiresAt: before.codeExpiresAt,
        codeAttempts: before.codeAttempts,
      },
    };
  });
}
