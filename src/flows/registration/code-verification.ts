import { loginKeyOf } from '../../domain/account.js';
import { afterWrongCode, codeUsable, type WrongCodeOutcome } from '../../domain/otp-policy.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { RegistrationContext } from './registration-context.js';
import { viewOf, type RegistrationFlow } from './registration-flow.js';
import type { RegistrationFlowView, VerifyCodeError } from './types.js';

const DIGITS = /^\d+$/;

/**
 * Decision 34 Art 7.1: the registrant enters the one-time code. One code survives `maxAttemptsPerCode` wrong tries,
 * one registration `maxFailuresPerRegistration` in total (a new code never resets that count), one identity
 * `limits.wrongCodesPerAccount` across its registrations. A wrong try is stored before it is answered, and two
 * simultaneous tries are both counted (compare-and-set on the flow).
 */
export async function verifyCode(
  context: RegistrationContext,
  flowId: string,
  typed: string,
): Promise<Result<RegistrationFlowView, VerifyCodeError>> {
  const current = await context.current(flowId);
  if (!current) return fail('flow_not_found');
  const refusal = stateRefusal(current.flow);
  if (refusal) return fail(refusal);
  const account = await context.accountOf(current.flow);
  if (!account) return fail('flow_not_found');

  const { limiters } = context.deps;
  const identityKey = await context.secrets.pseudonym('identity', loginKeyOf(account.identity));
  if (!(await limiters.wrongCodesPerAccount.allows(identityKey))) return fail('rate_limited');

  // Spaces are what people add when copying a code ("123 456"); anything but the right number of digits is not a try.
  const code = typeof typed === 'string' ? typed.replace(/\s+/g, '') : '';
  if (code.length !== context.settings.otp.codeDigits || !DIGITS.test(code)) return fail('code_invalid');

  const outcome = await context.update<Verdict>(flowId, async (flow, now) => {
    const stateProblem = stateRefusal(flow);
    if (stateProblem) return { result: { refused: stateProblem } };
    const { otp } = context.settings;
    if (!codeUsable(flow, otp, now) || flow.codeHash === undefined) return { result: { refused: 'code_expired' } };
    const matches = await context.secrets.codeMatches(flow.id, code, flow.codeHash);
    // Decision 34 Art 4, 6: a registration of an identity that already has an account never activates anything. Its
    // code was never sent, so a match is a guess; it is compared all the same, to take the time a real check takes.
    if (matches && !flow.existingAccount) {
      // Single use: the hash is dropped as the state moves on.
      const accepted: RegistrationFlow = {
        ...flow,
        state: 'awaiting_password',
        codeHash: undefined,
        codeExpiresAt: undefined,
        codeVerifiedAt: now,
      };
      return { result: { accepted }, write: accepted };
    }
    const wrong = afterWrongCode(flow, otp);
    const next: RegistrationFlow = {
      ...flow,
      ...wrong.state,
      state: wrong.outcome === 'registration_locked' ? 'locked' : flow.state,
    };
    return { result: { wrong: wrong.outcome }, write: next };
  });
  if (!outcome.ok) return outcome;
  const verdict = outcome.value;
  if ('refused' in verdict) return fail(verdict.refused);
  if ('wrong' in verdict) {
    // Counted against the identity too, after the flow stored it: the limit that outlives this registration.
    await limiters.wrongCodesPerAccount.consume(identityKey);
    if (verdict.wrong === 'registration_locked') context.log('registration.locked', { flowId });
    return fail(verdict.wrong);
  }
  context.log('registration.code_accepted', { flowId });
  return ok(viewOf(verdict.accepted, context.settings, context.now()));
}

/** What one try came to: refused without comparing, compared and wrong, or accepted. */
type Verdict = { refused: VerifyCodeError } | { wrong: WrongCodeOutcome } | { accepted: RegistrationFlow };

function stateRefusal(flow: RegistrationFlow): VerifyCodeError | undefined {
  if (flow.state === 'locked') return 'registration_locked';
  if (flow.state !== 'awaiting_code') return 'invalid_state';
  return undefined;
}
