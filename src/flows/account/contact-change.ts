import { contactKeyOf, normaliseEmailAddress, normalisePhoneNumber } from '../../domain/contact.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { greetingOf, logEvent, notifyBestEffort, usable, type AccountSelfServiceDeps } from './account-context.js';
import type { CodeFlowView, ContactChanged, ContactKind, OwnerRequestContext, StartContactChangeError, VerifyCodeError } from './types.js';

/**
 * The owner replaces the phone number or the email of their account (Decision 34 Art 6.4.e, 12.1). The code goes to
 * the NEW contact, proving the owner holds it before anything is sent there; once it is accepted the account changes
 * and the PREVIOUS contact is told, so that someone who took over a session cannot quietly divert every later code
 * and notice. The sign-in freshness the page demands (re-authentication) comes on top.
 */
export async function startContactChange(
  deps: AccountSelfServiceDeps,
  accountId: string,
  input: { kind: ContactKind; value: string },
  context: OwnerRequestContext,
): Promise<Result<CodeFlowView, StartContactChangeError>> {
  const normalised =
    input.kind === 'phone' ? normalisePhoneNumber(typeof input.value === 'string' ? input.value : '') : normaliseEmailAddress(typeof input.value === 'string' ? input.value : '');
  if (!normalised.ok) return normalised;
  const account = await deps.accounts.findById(accountId);
  if (!usable(account)) return fail('account_unavailable');
  const current = input.kind === 'phone' ? account.phone : account.email;
  if (current !== undefined && contactKeyOf(current) === contactKeyOf(normalised.value)) return fail('same_contact');
  if (!(await deps.limiters.codeStepsPerIp.consume(await deps.secrets.pseudonym('ip', context.ip)))) return fail('rate_limited');
  const opened = await deps.codes.open({
    purpose: 'contact_change',
    accountId,
    channel: input.kind === 'phone' ? 'sms' : 'email',
    contact: normalised.value,
    locale: context.locale,
    fullName: account.identity.fullName,
  });
  if (opened.ok) logEvent(deps.logger, 'account.contact_change_started', { accountId, kind: input.kind });
  return opened;
}

/** The code typed by the signed-in owner; on success the account holds the new contact, and the previous one is told. */
export async function confirmContactChange(
  deps: AccountSelfServiceDeps,
  accountId: string,
  flowId: string,
  code: string,
): Promise<Result<ContactChanged, VerifyCodeError | 'account_unavailable'>> {
  const verified = await deps.codes.verify(flowId, { purpose: 'contact_change', accountId }, code, async (flow) => {
    const kind: ContactKind = flow.channel === 'sms' ? 'phone' : 'email';
    const now = deps.clock.now();
    // The contact replaced, as the winning write saw it (update() may run the change more than once).
    const seen: { previous?: string } = {};
    const saved = await deps.accounts.update(accountId, (stored) => {
      if (!usable(stored)) return undefined;
      seen.previous = kind === 'phone' ? stored.phone : stored.email;
      // Proven by the code just accepted (Decision 34 Art 7 gives the same proof at activation).
      return kind === 'phone'
        ? { ...stored, phone: flow.contact, phoneVerifiedAt: now, updatedAt: now }
        : { ...stored, email: flow.contact, emailVerifiedAt: now, updatedAt: now };
    });
    const changed = saved !== undefined && (kind === 'phone' ? saved.phone : saved.email) === flow.contact;
    if (!saved || !changed) return { changed: false as const };
    logEvent(deps.logger, 'account.contact_changed', { accountId, kind });
    // The contact replaced is told; when there was none of that kind (an email added), the other contact is told
    // instead, so a new contact never appears without the owner hearing of it.
    const otherContact = kind === 'phone' ? saved.email : saved.phone;
    const other = otherContact === undefined ? undefined : { channel: kind === 'phone' ? ('email' as const) : ('sms' as const), to: otherContact };
    const told = seen.previous !== undefined ? { channel: flow.channel, to: seen.previous } : other;
    const previousNotified =
      told !== undefined &&
      (await notifyBestEffort(
        deps,
        {
          channel: told.channel,
          to: told.to,
          template: 'contact_changed',
          locale: flow.locale,
          params: { contact: kind, ...greetingOf(saved, told.channel) },
        },
        accountId,
      ));
    return { changed: true as const, result: { kind, previousNotified } };
  });
  if (!verified.ok) return verified;
  return verified.value.changed ? ok(verified.value.result) : fail('account_unavailable');
}
