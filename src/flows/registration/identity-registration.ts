import { loginKeyOf, type Account, type ConsentRecord } from '../../domain/account.js';
import { checkEligibility, vietnamDateOf, type EligibilityRefusal, type Representative } from '../../domain/eligibility.js';
import { DependencyUnavailableError } from '../../domain/errors.js';
import { declaredIdentityMatches, type DeclaredIdentity } from '../../domain/identity-matching.js';
import type { RegistryLookup, RegistryRecord } from '../../domain/registry.js';
import { randomId, uuid } from '../../shared/ids.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { sendNewCode } from './code-delivery.js';
import type { Contacts } from './form-parsing.js';
import type { RegistrationContext } from './registration-context.js';
import { viewOf, type RegistrationFlow } from './registration-flow.js';
import type {
  CodeChannel,
  RegistrationKind,
  RegistrationStarted,
  RequestContext,
  StartRegistrationError,
} from './types.js';

/** A checked registration form, whoever registers (registration-service.ts builds it). */
export interface IdentityRegistration {
  kind: RegistrationKind;
  declared: DeclaredIdentity;
  contacts: Contacts;
  channel: CodeChannel;
  consent: ConsentRecord;
  interactionUid?: string;
  /** Decision 34 Art 6.2, 6.3: the parent's or guardian's account (already checked active and level 2). */
  representative?: Account;
}

/**
 * Decision 34 Art 7.1: the declared data are matched against the registry; on a match the account is created
 * (pending activation) and the activation code is sent to the chosen contact.
 *
 * Ordering and why:
 *  1. Limits per identity and per IP are counted before the registry is asked, whatever its answer, so that they say
 *     nothing about whether a number exists.
 *  2. A registry that cannot answer fails closed: nothing is created (`registry_unavailable`), and the attempt is
 *     given back to the limits (it matched nothing).
 *  3. "No such person", "data differ" and "identity closed" (deceased, number invalidated or re-established) are one
 *     answer, `no_match`; only after a full match can an eligibility refusal be told. An identity that already has an
 *     account is not told at all to people registering themselves: they get a registration that looks new and can
 *     never be activated, and the holder is notified (startForExistingAccount); only a dependant's representative
 *     reads `account_exists`.
 *  4. The flow is written, then the account is created: the login claim (SET NX) decides which of simultaneous
 *     registrations of one identity wins; the others remove their flow and continue as in 3.
 *  5. Only then is the code sent. The account is created BEFORE the code is sent, not after, because the claim must
 *     decide first (otherwise 50 simultaneous registrations would send 50 codes). If the sender is down, nothing was
 *     sent and the registration is left awaiting a code, a state that is not half-done: its next step is "send the
 *     code", which the page offers at once (sendCode), and if nobody takes it the account expires with the flow.
 *     Rolling the account back instead would need a second, failure-prone write and a new registry match to retry.
 */
export async function registerIdentity(
  context: RegistrationContext,
  registration: IdentityRegistration,
  request: RequestContext,
): Promise<Result<RegistrationStarted, StartRegistrationError>> {
  const { deps, settings } = context;
  const { channel } = registration;
  const contact = channel === 'sms' ? registration.contacts.phone : channel === 'email' ? registration.contacts.email : undefined;
  if (contact === undefined) return fail('contact_missing');

  const loginKey = loginKeyOf(registration.declared);
  const ipKey = await context.secrets.pseudonym('ip', request.ip);
  if (!(await deps.limiters.registryMatchesPerIp.consume(ipKey))) return fail('rate_limited');
  const identityKey = await context.secrets.pseudonym('identity', loginKey);
  if (!(await deps.limiters.registryMatchesPerIdentity.consume(identityKey))) return fail('rate_limited');

  const lookup = await lookUp(context, registration.declared);
  if (!lookup.ok) {
    // No match was attempted: the person is not charged for our outage when they try again.
    await deps.limiters.registryMatchesPerIp.refund(ipKey);
    await deps.limiters.registryMatchesPerIdentity.refund(identityKey);
    context.log('registration.registry_unavailable', { kind: registration.kind });
    return fail('registry_unavailable');
  }
  const record = lookup.value;
  if (record === null || !declaredIdentityMatches(registration.declared, record)) {
    context.log('registration.refused', { kind: registration.kind, reason: record === null ? 'not_found' : 'mismatch' });
    return fail('no_match');
  }

  const now = context.now();
  const holder = await currentHolder(context, loginKey, now);
  const representative: Representative | null = registration.representative
    ? {
        identity: registration.representative.identity,
        accountActive: registration.representative.status === 'active',
        level: registration.representative.level,
      }
    : null;
  const eligibility = checkEligibility(
    { record, accountExists: holder.kind === 'taken', representative, today: vietnamDateOf(now) },
    settings.eligibility,
  );
  if (!eligibility.ok) {
    if (eligibility.error === 'account_exists' && holder.kind === 'taken' && answersAsNew(registration)) {
      return startForExistingAccount(context, registration, request, contact, holder.accountId, record.fullName);
    }
    context.log('registration.refused', { kind: registration.kind, reason: eligibility.error });
    return fail(publicRefusal(eligibility.error));
  }

  const expiresAt = now + settings.pendingActivationMs;
  const account: Account = {
    id: uuid(),
    identity: { ...registration.declared, fullName: record.fullName },
    // Decision 34 Art 7.1: level 1 (no biometrics compared); Art 6.2, 6.3: a dependant's account at most level 1.
    level: 1,
    status: 'pending_activation',
    ...(registration.contacts.phone === undefined ? {} : { phone: registration.contacts.phone }),
    ...(registration.contacts.email === undefined ? {} : { email: registration.contacts.email }),
    passwordHash: '',
    activationExpiresAt: expiresAt,
    consent: registration.consent,
    ...(registration.representative ? { representativeAccountId: registration.representative.id } : {}),
    createdAt: now,
    updatedAt: now,
  };
  const flow: RegistrationFlow = {
    ...awaitingCodeFlow(registration, request, contact, { now, expiresAt }),
    accountId: account.id,
    fullName: record.fullName,
    ...(registration.representative ? { representativeAccountId: registration.representative.id } : {}),
  };
  await deps.flows.create(flow, expiresAt - now);

  let created: boolean;
  try {
    created =
      holder.kind === 'replaceable'
        ? await deps.accounts.replacePending(loginKey, holder.accountId, holder.recordGone, account)
        : await deps.accounts.create(account, loginKey);
  } catch (error) {
    await Promise.allSettled([deps.flows.delete(flow.id)]);
    throw error;
  }
  if (!created) {
    // Decision 34 Art 4, 6: one identity, one account; another registration got there first.
    await deps.flows.delete(flow.id);
    const winner = answersAsNew(registration) ? await deps.accounts.claimantOf(loginKey) : undefined;
    if (winner !== undefined) return startForExistingAccount(context, registration, request, contact, winner, record.fullName);
    context.log('registration.refused', { kind: registration.kind, reason: 'account_exists' });
    return fail('account_exists');
  }
  context.log('registration.started', {
    flowId: flow.id,
    accountId: account.id,
    kind: registration.kind,
    replaced: holder.kind === 'replaceable',
  });

  // The account exists from here on: whatever happens to the first code, the page gets the flow id, so that the person
  // can ask for the code again instead of finding their identity taken by a registration they cannot reach.
  return sendFirstCode(context, flow);
}

/**
 * People registering themselves are answered as if their registration were new when the identity already has an
 * account: the form would otherwise tell anyone holding a person's ID card data whether that person has an electronic
 * identity. A representative registering a dependant is told (Decision 34 Art 6.2, 6.3: the registry named them parent
 * or guardian before this point, and the dependant's account is theirs to manage).
 */
const answersAsNew = (registration: IdentityRegistration): boolean => registration.kind !== 'dependant';

/**
 * Decision 34 Art 4, 6: one identity, one account. The identity already has one (or a registration awaiting
 * activation), so no account is created; the registrant gets a registration that looks like a new one (same pages,
 * limits and timing) but can never be activated, and the holder is told on their own contact (code-delivery.ts,
 * Art 12.1). The genuine owner who forgot their account reads it there.
 */
async function startForExistingAccount(
  context: RegistrationContext,
  registration: IdentityRegistration,
  request: RequestContext,
  contact: string,
  holderAccountId: string,
  fullName: string,
): Promise<Result<RegistrationStarted, StartRegistrationError>> {
  const now = context.now();
  const expiresAt = now + context.settings.pendingActivationMs;
  const flow: RegistrationFlow = {
    ...awaitingCodeFlow(registration, request, contact, { now, expiresAt }),
    accountId: holderAccountId,
    existingAccount: true,
    fullName,
  };
  await context.deps.flows.create(flow, expiresAt - now);
  context.log('registration.existing_account', { flowId: flow.id, accountId: holderAccountId, kind: registration.kind });
  return sendFirstCode(context, flow);
}

/** A new registration flow waiting for its first code: what every kind of registration starts with. */
function awaitingCodeFlow(
  registration: IdentityRegistration,
  request: RequestContext,
  contact: string,
  times: { now: number; expiresAt: number },
): Omit<RegistrationFlow, 'accountId' | 'fullName'> {
  return {
    id: randomId(),
    state: 'awaiting_code',
    kind: registration.kind,
    channel: registration.channel,
    contact,
    locale: request.locale,
    ...(registration.interactionUid === undefined ? {} : { interactionUid: registration.interactionUid }),
    createdAt: times.now,
    expiresAt: times.expiresAt,
    codeAttempts: 0,
    codeFailures: 0,
    sends: [],
  };
}

/** The first code of a new registration; a sender that is down leaves it awaiting a resend (see registerIdentity). */
async function sendFirstCode(
  context: RegistrationContext,
  flow: RegistrationFlow,
): Promise<Result<RegistrationStarted, StartRegistrationError>> {
  const { settings } = context;
  let sent: Awaited<ReturnType<typeof sendNewCode>>;
  try {
    sent = await sendNewCode(context, flow.id);
  } catch (error) {
    if (!(error instanceof DependencyUnavailableError)) throw error;
    context.log('registration.code_not_sent', { flowId: flow.id, dependency: error.dependency });
    return ok({ flow: viewOf(flow, settings, context.now()), codeDelivery: 'failed' });
  }
  if (sent.ok) return ok({ flow: sent.value, codeDelivery: 'sent' });
  const reloaded = await context.current(flow.id);
  const view = viewOf(reloaded?.flow ?? flow, settings, context.now());
  return ok({ flow: view, codeDelivery: sent.error === 'rate_limited' ? 'rate_limited' : 'failed' });
}

async function lookUp(context: RegistrationContext, declared: DeclaredIdentity): Promise<RegistryLookup<RegistryRecord>> {
  if (declared.kind === 'citizen') return context.deps.population.findCitizen(declared.idNumber ?? '');
  return context.deps.immigration.findForeigner(declared.passportNumber ?? '', declared.nationality ?? '');
}

/** Who holds the login name now, and whether a new registration may take it over. */
type Holder =
  | { kind: 'free' }
  | { kind: 'taken'; accountId: string }
  | { kind: 'replaceable'; accountId: string; recordGone: boolean };

/**
 * An active account holds its identity for good. A registration pending activation holds it until it expires, or
 * until it is `pendingReplaceableAfterMs` old: then a new registration whose data matched again replaces it, so that
 * a mistyped phone number or a lost browser does not lock the person out for a week, while registrations made at the
 * same moment still cannot replace one another. A claim whose record is gone is replaceable when the store confirms it
 * was left by a crash (see AccountStore.replacePending).
 */
async function currentHolder(context: RegistrationContext, loginKey: string, now: number): Promise<Holder> {
  const claimant = await context.deps.accounts.claimantOf(loginKey);
  if (claimant === undefined) return { kind: 'free' };
  const account = await context.deps.accounts.findById(claimant);
  if (!account) return { kind: 'replaceable', accountId: claimant, recordGone: true };
  if (account.status === 'active') return { kind: 'taken', accountId: account.id };
  const expired = account.activationExpiresAt !== undefined && account.activationExpiresAt <= now;
  const oldEnough = account.createdAt + context.settings.pendingReplaceableAfterMs <= now;
  return expired || oldEnough ? { kind: 'replaceable', accountId: account.id, recordGone: false } : { kind: 'taken', accountId: account.id };
}

/**
 * What the registrant is told. Closed identities (Decision 34 Art 10.4, 10.5) read as `no_match`: telling that a
 * number belongs to a deceased person or was replaced would let the form be used to read the registry.
 */
function publicRefusal(refusal: EligibilityRefusal): StartRegistrationError {
  switch (refusal) {
    case 'deceased':
    case 'id_number_invalidated':
    case 'id_number_re_established':
      return 'no_match';
    default:
      return refusal;
  }
}
