import { loginKeyOf, type Account, type LevelVerification } from '../../domain/account.js';
import { raisedToLevelTwo, registryIdentityOpen } from '../../domain/level-two.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { Level2Context } from './level2-context.js';
import type { AccountRef, InPersonError, InPersonRecorded, InPersonVerificationInput } from './types.js';

const AGENCY_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
/** Printable text without control characters (it ends up in records and audit lines). */
const LEGAL_BASIS = /^[^\p{Cc}]{1,200}$/u;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Clocks of the agency's system and ours may differ a little. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

function instantOf(at: unknown): number | undefined {
  if (typeof at === 'number') return Number.isSafeInteger(at) && at > 0 ? at : undefined;
  if (typeof at !== 'string' || !RFC3339.test(at)) return undefined;
  const parsed = Date.parse(at);
  return Number.isNaN(parsed) ? undefined : parsed;
}

async function accountOf(context: Level2Context, ref: AccountRef): Promise<Account | undefined> {
  const { accounts } = context.deps;
  if (ref.kind === 'account') return typeof ref.accountId === 'string' && ref.accountId !== '' ? accounts.findById(ref.accountId) : undefined;
  const identity =
    ref.kind === 'citizen'
      ? { kind: 'citizen' as const, idNumber: ref.idNumber }
      : { kind: 'foreigner' as const, passportNumber: ref.passportNumber, nationality: ref.nationality };
  return accounts.findByLoginKey(loginKeyOf(identity));
}

/**
 * Level 2 in person (Decision 34 Art 5.1.b; later rules: at the police, portrait and fingerprints taken by an
 * officer). The comparison happened in the agency's system; this records its outcome with the officer, the station,
 * the legal basis and the time, and raises the account to level 2. Recording again (a second visit) replaces the
 * verification with the newer one: the account keeps one current record of how it reached level 2.
 *
 * The registry is asked first: an identity it has closed (death, number invalidated or re-established; Art 10.4, 10.5)
 * is not raised, and an unanswered registry records nothing (fail closed).
 */
export async function recordInPersonVerification(
  context: Level2Context,
  input: InPersonVerificationInput,
): Promise<Result<InPersonRecorded, InPersonError>> {
  if (input.method !== 'fpt' && input.method !== 'face') return fail('invalid_input');
  if (typeof input.officerId !== 'string' || !AGENCY_NAME.test(input.officerId)) return fail('invalid_input');
  if (typeof input.stationId !== 'string' || !AGENCY_NAME.test(input.stationId)) return fail('invalid_input');
  if (typeof input.legalBasis !== 'string' || !LEGAL_BASIS.test(input.legalBasis) || input.legalBasis.trim() === '') {
    return fail('invalid_input');
  }
  const at = instantOf(input.at);
  if (at === undefined) return fail('invalid_input');
  const now = context.now();
  if (at > now + FUTURE_TOLERANCE_MS) return fail('at_in_future');
  if (now - at > context.settings.inPersonMaxAgeMs) return fail('at_too_old');

  const account = await accountOf(context, input.accountRef);
  if (!account) return fail('account_not_found');
  // Activation writes level 1 (Art 7.1): a pending account would lose the record; the person activates first.
  if (account.status !== 'active') return fail('not_active');

  const lookup = await context.currentRecord(account.identity);
  if (!lookup.ok) {
    context.log('level2.in_person_registry_unavailable', { accountId: account.id });
    return fail('registry_unavailable');
  }
  if (lookup.value === null || !registryIdentityOpen(lookup.value)) return fail('identity_closed');

  const verification: LevelVerification = {
    method: input.method,
    at,
    officerId: input.officerId,
    stationId: input.stationId,
    legalBasis: input.legalBasis.trim(),
    channel: 'in_person',
  };
  await context.deps.accounts.save(raisedToLevelTwo(account, verification, now));
  context.log('level2.recorded_in_person', { accountId: account.id, method: input.method, stationId: input.stationId, previousLevel: account.level });
  const actor = { kind: 'agency' as const, ...(input.recordedBy ? { id: input.recordedBy } : {}) };
  await context.audit({
    type: 'level2.recorded',
    accountId: account.id,
    actor,
    ...(input.recordedBy ? { clientId: input.recordedBy } : {}),
    legalBasis: verification.legalBasis,
    details: { method: input.method, channel: 'in_person', stationId: input.stationId, officerId: input.officerId },
    at: now,
  });
  if (account.level !== 2) {
    await context.audit({
      type: 'level.changed',
      accountId: account.id,
      actor,
      legalBasis: verification.legalBasis,
      details: { from: account.level, to: 2, method: input.method, channel: 'in_person' },
      at: now,
    });
  }
  return ok({ accountId: account.id, previousLevel: account.level, level: 2, verification });
}
