import type { ConsentRecord, Gender } from '../../domain/account.js';
import { normaliseEmailAddress, normalisePhoneNumber } from '../../domain/contact.js';
import { checkIdNumberConsistency } from '../../domain/id-number.js';
import type { DeclaredIdentity } from '../../domain/identity-matching.js';
import { normaliseIdNumber, normaliseNationality, normalisePassportNumber } from '../../domain/registry.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { ConsentInput, DependantIdentityInput } from './types.js';

/**
 * The registration form as the rules read it (Decision 34 Art 6.4): each field checked and normalised before anything
 * is asked of a registry. The page's DTO already checked shapes; this is the rule, so it is checked again here.
 */

const MAX_NAME_LENGTH = 100;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ICAO 9303 document numbers are up to 9 characters; other travel documents run longer. */
const PASSPORT_NUMBER = /^[A-Z0-9]{5,20}$/;
const NATIONALITY = /^[A-Z]{3}$/;
const CONTROL = /\p{Cc}/u;

type Personal = Pick<DeclaredIdentity, 'fullName' | 'birthDate' | 'gender'>;

/** Decision 34 Art 6.4.b–d. */
function parsePersonal(fullName: unknown, birthDate: unknown, gender: unknown): Result<Personal, 'invalid_identity'> {
  if (typeof fullName !== 'string' || typeof birthDate !== 'string') return fail('invalid_identity');
  const name = fullName.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || CONTROL.test(name) || !/\p{L}/u.test(name)) {
    return fail('invalid_identity');
  }
  const date = birthDate.trim();
  if (!isCalendarDate(date)) return fail('invalid_identity');
  if (gender !== 'male' && gender !== 'female') return fail('invalid_identity');
  return ok({ fullName: name, birthDate: date, gender: gender satisfies Gender });
}

/** A real day of the Gregorian calendar from 1900 (the first year an identification number can encode). */
function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Decision 34 Art 6.4.a–d for a citizen. Art 4.1.a (DECREE.md): a number whose century, gender and year digits
 * contradict the declared birth date and gender is refused here, before the registry is asked; one answer whatever
 * the contradiction.
 */
export function parseCitizen(
  idNumber: unknown,
  personal: { fullName: unknown; birthDate: unknown; gender: unknown },
): Result<DeclaredIdentity, 'invalid_identity' | 'invalid_id_number'> {
  const parsed = parsePersonal(personal.fullName, personal.birthDate, personal.gender);
  if (!parsed.ok) return parsed;
  if (typeof idNumber !== 'string') return fail('invalid_id_number');
  const number = normaliseIdNumber(idNumber);
  if (!checkIdNumberConsistency(number, parsed.value).ok) return fail('invalid_id_number');
  return ok({ kind: 'citizen', idNumber: number, ...parsed.value });
}

/** Decision 34 Art 6.4.a–dd for a foreigner: passport or travel document number and citizenship. */
export function parseForeigner(
  passportNumber: unknown,
  nationality: unknown,
  personal: { fullName: unknown; birthDate: unknown; gender: unknown },
): Result<DeclaredIdentity, 'invalid_identity'> {
  const parsed = parsePersonal(personal.fullName, personal.birthDate, personal.gender);
  if (!parsed.ok) return parsed;
  if (typeof passportNumber !== 'string' || typeof nationality !== 'string') return fail('invalid_identity');
  const passport = normalisePassportNumber(passportNumber);
  const country = normaliseNationality(nationality);
  if (!PASSPORT_NUMBER.test(passport) || !NATIONALITY.test(country)) return fail('invalid_identity');
  return ok({ kind: 'foreigner', passportNumber: passport, nationality: country, ...parsed.value });
}

/** Decision 34 Art 6.4.g: the dependant's own identity data. */
export function parseDependant(
  dependant: DependantIdentityInput,
  personal: { fullName: unknown; birthDate: unknown; gender: unknown },
): Result<DeclaredIdentity, 'invalid_identity' | 'invalid_id_number'> {
  if (typeof dependant !== 'object' || dependant === null) return fail('invalid_identity');
  if (dependant.kind === 'citizen') return parseCitizen(dependant.idNumber, personal);
  if (dependant.kind === 'foreigner') return parseForeigner(dependant.passportNumber, dependant.nationality, personal);
  return fail('invalid_identity');
}

export interface Contacts {
  /** E.164. */
  phone?: string;
  email?: string;
}

/** Decision 34 Art 6.4.e: each contact given is normalised (phone to E.164 with VN as default region). */
export function parseContacts(phone: unknown, email: unknown): Result<Contacts, 'invalid_phone' | 'invalid_email'> {
  const contacts: Contacts = {};
  if (phone !== undefined) {
    if (typeof phone !== 'string') return fail('invalid_phone');
    const parsed = normalisePhoneNumber(phone);
    if (!parsed.ok) return parsed;
    contacts.phone = parsed.value;
  }
  if (email !== undefined) {
    if (typeof email !== 'string') return fail('invalid_email');
    const parsed = normaliseEmailAddress(email);
    if (!parsed.ok) return parsed;
    contacts.email = parsed.value;
  }
  return ok(contacts);
}

/** Both consents are required; what is recorded is the versions in force and the time (personal-data rules). */
export function consentOf(
  input: ConsentInput | undefined,
  versions: { termsVersion: string; dataProcessingVersion: string },
  now: number,
): Result<ConsentRecord, 'consent_required'> {
  if (input?.acceptedTerms !== true || input.acceptedDataProcessing !== true) return fail('consent_required');
  return ok({ termsVersion: versions.termsVersion, dataProcessingVersion: versions.dataProcessingVersion, acceptedAt: now });
}
