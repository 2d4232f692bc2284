import { loginKeyOf, type Account } from '../../domain/account.js';
import { checkNewPassword } from '../../domain/password-policy.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { RegistrationContext } from './registration-context.js';
import { viewOf, type RegistrationFlow } from './registration-flow.js';
import type { RegistrationCompleted, SetPasswordError } from './types.js';
import { greetingFor } from '../code-notice.js';

/** notifications/templates/account-activated.ts. */
const ACCOUNT_ACTIVATED_TEMPLATE = 'account_activated';

/**
 * Decision 34 Art 7.1, last step: the registrant chooses a password and the account becomes active at level 1. The
 * account is activated first (store.activate: exactly one of concurrent attempts wins), then the flow is marked
 * completed. A retry after a failure in between, with the same password, completes the flow; another password is
 * refused, so two browsers racing on one flow cannot both believe they chose the password.
 */
export async function setPassword(
  context: RegistrationContext,
  flowId: string,
  password: string,
): Promise<Result<RegistrationCompleted, SetPasswordError>> {
  const current = await context.current(flowId);
  if (!current) return fail('flow_not_found');
  const { flow } = current;
  // Never reached (its codes are never accepted), refused all the same: such a flow must not touch the holder's account.
  if (flow.existingAccount) return fail('invalid_state');
  if (flow.state !== 'awaiting_password' && flow.state !== 'completed') return fail('invalid_state');
  const account = await context.deps.accounts.findById(flow.accountId);
  if (!account) return fail('flow_not_found');
  if (typeof password !== 'string') return fail('password_too_short');

  if (flow.state === 'completed' || account.status === 'active') {
    // Already activated (a retry): only the password that was set completes it.
    return (await samePassword(context, account, password)) ? complete(context, flowId, account) : fail('invalid_state');
  }

  const checked = checkNewPassword(
    password,
    {
      idNumber: account.identity.idNumber,
      passportNumber: account.identity.passportNumber,
      birthDate: account.identity.birthDate,
      phone: account.phone,
      email: account.email,
    },
    context.settings.password,
  );
  if (!checked.ok) return checked;

  const now = context.now();
  const { activationExpiresAt: _deadline, ...rest } = account;
  const activated: Account = {
    ...rest,
    status: 'active',
    // Decision 34 Art 7.1: level 1 (identity data matched, no biometrics); Art 6.2, 6.3 + later rules for dependants.
    level: 1,
    passwordHash: await context.deps.hasher.hash(password),
    ...contactProvenBy(flow, account, now),
    activatedAt: now,
    updatedAt: now,
  };
  const outcome = await context.deps.accounts.activate(activated, loginKeyOf(account.identity));
  if (outcome === 'gone') return fail('flow_not_found');
  if (outcome === 'not_pending') {
    const stored = await context.deps.accounts.findById(account.id);
    if (!stored || !(await samePassword(context, stored, password))) return fail('invalid_state');
    return complete(context, flowId, stored);
  }
  context.log('account.activated', { accountId: account.id, flowId });
  await notifyActivated(context, flow, activated);
  return complete(context, flowId, activated);
}

/**
 * Decision 34 Art 7: the activation code proved control of the contact it was sent to, and of that one only; relying
 * parties receive only proven contacts (oidc/claims.ts).
 */
function contactProvenBy(flow: RegistrationFlow, account: Account, now: number): Pick<Account, 'phoneVerifiedAt' | 'emailVerifiedAt'> {
  const provenAt = flow.codeVerifiedAt ?? now;
  if (flow.channel === 'sms' && account.phone === flow.contact) return { phoneVerifiedAt: provenAt };
  if (flow.channel === 'email' && account.email === flow.contact) return { emailVerifiedAt: provenAt };
  return {};
}

async function samePassword(context: RegistrationContext, account: Account, password: string): Promise<boolean> {
  if (account.status !== 'active' || account.passwordHash === '') return false;
  return context.deps.hasher.verify(account.passwordHash, password);
}

/** Marks the flow completed (kept briefly for the page's last step) and answers with the account. */
async function complete(
  context: RegistrationContext,
  flowId: string,
  account: Account,
): Promise<Result<RegistrationCompleted, SetPasswordError>> {
  const written = await context.update<RegistrationFlow>(flowId, (flow, now) => {
    if (flow.state === 'completed') return { result: flow };
    const completed: RegistrationFlow = {
      ...flow,
      state: 'completed',
      codeHash: undefined,
      codeExpiresAt: undefined,
      completedAt: now,
    };
    return { result: completed, write: completed };
  });
  if (!written.ok) return written;
  return ok({
    flow: viewOf(written.value, context.settings, context.now()),
    accountId: account.id,
    ...(account.representativeAccountId === undefined ? {} : { representativeAccountId: account.representativeAccountId }),
  });
}

/**
 * Decision 34 Art 12.1: the owner is told their account is now active, so that someone who did not register can ask
 * for it to be locked. Best effort: the account is already active, and a notice that cannot be sent is logged, not
 * turned into a failure of the activation.
 */
async function notifyActivated(context: RegistrationContext, flow: RegistrationFlow, account: Account): Promise<void> {
  try {
    const sent = await context.deps.sender.send({
      channel: flow.channel,
      to: flow.contact,
      template: ACCOUNT_ACTIVATED_TEMPLATE,
      locale: flow.locale,
      params: {
        level: String(account.level),
        ...greetingFor(flow.fullName, flow.channel),
      },
    });
    if (!sent.ok) context.log('account.activation_notice_not_sent', { accountId: account.id });
  } catch (error) {
    // Only the error's type: a sender's message may quote the recipient.
    const type = error instanceof Error ? error.name : typeof error;
    context.deps.logger?.error({ event: 'account.activation_notice_failed', accountId: account.id, type }, 'notice failed');
  }
}
