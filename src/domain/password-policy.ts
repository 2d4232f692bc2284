import { COMMON_PASSWORDS } from './data/common-passwords.js';
import { fail, ok, type Result } from '../shared/result.js';

/**
 * The password an account holder chooses when activating (Decision 34 Art 7: "the registrant performs the activation
 * as required by the system"; Art 12.1 keeps credentials confidential). Follows NIST SP 800-63B 5.1.1.2: a length
 * range, a list of common passwords and context-specific words, and no composition rules (no "one digit, one capital").
 */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, maxLength: 64 };

export type PasswordRefusal =
  | 'password_too_short'
  | 'password_too_long'
  | 'password_too_common'
  | 'password_is_personal_data';

/** What the password must not simply be: the account's own identifiers and contact details. */
export interface PersonalData {
  idNumber?: string;
  passportNumber?: string;
  /** ISO date YYYY-MM-DD. */
  birthDate?: string;
  /** E.164. */
  phone?: string;
  email?: string;
}

/** The form in which passwords are compared: what the hasher stores (NFKC), in lower case. */
const comparable = (value: string): string => value.normalize('NFKC').toLowerCase();

/** Separators people put in dates, numbers and phone numbers; dropped before comparing with personal data. */
const SEPARATORS = /[\s./\-_()+]/gu;
const withoutSeparators = (value: string): string => value.replace(SEPARATORS, '');

/** Trailing digits and symbols, as in "password2024" or "anhyeuem123!". */
const TRAILING_DIGITS_AND_SYMBOLS = /[\d\p{P}\p{S}]+$/u;
/** A stripped base shorter than this is not looked up: too many unrelated passwords would share it. */
const MIN_BASE_LENGTH = 6;

/** The ways one birth date is usually typed: 1990-05-17, 17/05/1990, 17051990, 19900517, 05171990, 170590. */
function birthDateForms(isoDate: string): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate.trim());
  if (!match) return [];
  const [, year = '', month = '', day = ''] = match;
  return [`${day}${month}${year}`, `${year}${month}${day}`, `${month}${day}${year}`, `${day}${month}${year.slice(2)}`];
}

/** An E.164 number as typed nationally or internationally: +84901234567, 84901234567, 0901234567, 901234567. */
function phoneForms(e164: string): string[] {
  const digits = e164.replace(/\D/g, '');
  const forms = [digits];
  if (digits.startsWith('84')) forms.push(`0${digits.slice(2)}`, digits.slice(2));
  return forms;
}

function personalForms(personal: PersonalData): Set<string> {
  const forms: string[] = [];
  if (personal.idNumber) forms.push(personal.idNumber);
  if (personal.passportNumber) forms.push(personal.passportNumber);
  if (personal.birthDate) forms.push(...birthDateForms(personal.birthDate));
  if (personal.phone) forms.push(...phoneForms(personal.phone));
  if (personal.email) forms.push(personal.email, personal.email.slice(0, personal.email.lastIndexOf('@')));
  return new Set(forms.map((form) => withoutSeparators(comparable(form))).filter((form) => form.length > 0));
}

/**
 * Whether a new password may be used. Length is counted in characters (code points) after NFKC, as stored. The list
 * check also catches a common password followed by digits or symbols ("matkhau123", "password!"), the commonest way
 * people "strengthen" one.
 */
export function checkNewPassword(
  password: string,
  personal: PersonalData,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  commonPasswords: ReadonlySet<string> = COMMON_PASSWORDS,
): Result<void, PasswordRefusal> {
  const normalised = password.normalize('NFKC');
  const length = [...normalised].length;
  if (length < policy.minLength) return fail('password_too_short');
  if (length > policy.maxLength) return fail('password_too_long');

  const lower = normalised.toLowerCase();
  const base = lower.replace(TRAILING_DIGITS_AND_SYMBOLS, '');
  if (commonPasswords.has(lower) || (base.length >= MIN_BASE_LENGTH && commonPasswords.has(base))) {
    return fail('password_too_common');
  }
  if (personalForms(personal).has(withoutSeparators(lower))) return fail('password_is_personal_data');
  return ok(undefined);
}
