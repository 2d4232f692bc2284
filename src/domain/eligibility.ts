import { loginKeyOf, type Identity } from './account.js';
import type { AssuranceLevel } from './levels.js';
import type { ForeignerRecord, PersonRef, RegistryRecord } from './registry.js';
import { fail, ok, type Result } from '../shared/result.js';

/**
 * Who may hold an account and through whose account it is registered (Decision 34 Art 6). Called after the declared
 * identity has matched the registry record (identity-matching.ts); every threshold comes from configuration.
 */
export interface EligibilityPolicy {
  /** Decision 34 Art 6.1: from this age a person registers themselves; below it, through a parent or guardian. */
  selfRegistrationMinAge: number;
  /** Draft 2025: foreigners are eligible from this age. */
  foreignerMinAge: number;
  /** Draft 2025: legal residence granted for at least this many days makes a foreigner eligible. */
  foreignerMinLegalResidenceDays: number;
  /** Draft 2025: a valid long-term visa makes a foreigner eligible whatever its remaining length. */
  longTermVisaKinds: readonly string[];
  /** Later rules: the parent's or guardian's account must be active and at least this level. */
  representativeMinLevel: AssuranceLevel;
  /** Later rules: an account registered through a representative is created at most at this level. */
  dependantMaxLevel: AssuranceLevel;
}

/**
 * Visa kinds (ASCII symbols) whose holders may be granted a temporary residence card under the Law on Entry, Exit,
 * Transit and Residence of Foreigners in Vietnam: the kinds issued for a long stay.
 */
export const LONG_TERM_VISA_KINDS: readonly string[] = [
  'NG3', 'LV1', 'LV2', 'LS', 'DT1', 'DT2', 'DT3', 'NN1', 'NN2', 'DH', 'PV1', 'LD1', 'LD2', 'TT',
];

export const DEFAULT_ELIGIBILITY_POLICY: EligibilityPolicy = {
  selfRegistrationMinAge: 14,
  foreignerMinAge: 6,
  foreignerMinLegalResidenceDays: 90,
  longTermVisaKinds: LONG_TERM_VISA_KINDS,
  representativeMinLevel: 2,
  dependantMaxLevel: 1,
};

export type EligibilityRefusal =
  | 'account_exists'
  | 'deceased'
  | 'id_number_invalidated'
  | 'id_number_re_established'
  | 'too_young'
  | 'residence_not_eligible'
  | 'must_register_self'
  | 'representative_required'
  | 'representative_not_qualified'
  | 'not_parent_or_guardian';

/** The account a registration goes through when it is made for someone else (Decision 34 Art 6.2, 6.3). */
export interface Representative {
  identity: Pick<Identity, 'kind' | 'idNumber' | 'passportNumber' | 'nationality'>;
  accountActive: boolean;
  level: AssuranceLevel;
}

export interface RegistrationCandidate {
  /** The registry record the declared identity matched. */
  record: RegistryRecord;
  /** Whether an account already exists for this identity (one identity, one account). */
  accountExists: boolean;
  /** null when the person registers themselves. */
  representative: Representative | null;
  /** Today's date in Vietnam, YYYY-MM-DD (see vietnamDateOf). */
  today: string;
}

export type Eligibility =
  | { channel: 'self'; maxLevel: AssuranceLevel }
  | { channel: 'representative'; relation: 'parent' | 'guardian'; maxLevel: AssuranceLevel };

const DAY_MS = 86_400_000;
/** Vietnam keeps UTC+7 all year. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** The calendar date in Vietnam at an instant: ages and document validity are counted in local days. */
export const vietnamDateOf = (epochMs: number): string => new Date(epochMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

/**
 * Full years of age on a date (Decision 34 Art 6.1 "aged full 14 years"). Someone born on 29 February turns a year
 * older on 1 March in common years.
 */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  const birthdayReached = today.slice(5) >= birthDate.slice(5);
  return birthdayReached ? years : years - 1;
}

const dayNumber = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);

/** Draft 2025: legal residence of 90 days or more, or a valid long-term visa. */
function residesLegally(record: ForeignerRecord, today: string, policy: EligibilityPolicy): boolean {
  const document = record.residenceDocument;
  if (!document || today < document.validFrom || today > document.validUntil) return false;
  const grantedDays = dayNumber(document.validUntil) - dayNumber(document.validFrom) + 1;
  if (grantedDays >= policy.foreignerMinLegalResidenceDays) return true;
  return document.type === 'visa' && record.visaKind !== null && policy.longTermVisaKinds.includes(record.visaKind);
}

const samePerson = (ref: PersonRef, identity: Representative['identity']): boolean =>
  loginKeyOf(ref) === loginKeyOf(identity);

/** Decision 34 Art 6: whether, and through whose account, the matched person may register. */
export function checkEligibility(
  candidate: RegistrationCandidate,
  policy: EligibilityPolicy = DEFAULT_ELIGIBILITY_POLICY,
): Result<Eligibility, EligibilityRefusal> {
  const { record, representative, today } = candidate;
  // Decision 34 Art 10.5: the identity of a deceased person is closed.
  if (record.lifeStatus === 'deceased') return fail('deceased');
  if (record.kind === 'citizen') {
    // Decision 34 Art 10.4: an invalidated or re-established number no longer identifies anyone.
    if (record.idNumberStatus === 'invalidated') return fail('id_number_invalidated');
    if (record.idNumberStatus === 're_established') return fail('id_number_re_established');
  }
  // Decision 34 Art 4, 6: one identity, one account.
  if (candidate.accountExists) return fail('account_exists');

  const age = ageOn(record.birthDate, today);
  if (age < 0) return fail('too_young');
  if (record.kind === 'foreigner') {
    // Draft 2025: foreigners from age 6 who reside legally for 90 days or more or hold a long-term visa.
    if (age < policy.foreignerMinAge) return fail('too_young');
    if (!residesLegally(record, today, policy)) return fail('residence_not_eligible');
  }

  const needsRepresentative = age < policy.selfRegistrationMinAge || record.underGuardianship;
  if (!needsRepresentative) {
    // Decision 34 Art 6.1: from 14 a person registers themselves.
    return representative ? fail('must_register_self') : ok({ channel: 'self', maxLevel: 2 });
  }
  // Decision 34 Art 6.2, 6.3: under 14 or under guardianship, only through a parent's or guardian's account.
  if (!representative) return fail('representative_required');
  // Later rules: that account must be active and level 2.
  if (!representative.accountActive || representative.level < policy.representativeMinLevel) {
    return fail('representative_not_qualified');
  }
  const isGuardian = record.guardians.some((ref) => samePerson(ref, representative.identity));
  // Art 6.3: a person under guardianship goes through the guardian only; Art 6.2: a child through a parent too.
  const isParent = !record.underGuardianship && record.parents.some((ref) => samePerson(ref, representative.identity));
  if (!isGuardian && !isParent) return fail('not_parent_or_guardian');
  return ok({ channel: 'representative', relation: isGuardian ? 'guardian' : 'parent', maxLevel: policy.dependantMaxLevel });
}
