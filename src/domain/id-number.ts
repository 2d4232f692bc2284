import type { Gender } from './account.js';
import { fail, ok, type Result } from '../shared/result.js';

/**
 * Structure of the 12-digit personal identification number (Decision 34 Art 4.1.a; DECREE.md "Electronic identity"):
 *   PPP  C  YY  RRRRRR
 *   PPP    province or city where the birth was registered, 001–096
 *   C      century and gender: 0/1 = male/female born 1900–1999, 2/3 = 2000–2099, 4/5 = 2100–2199, ...
 *   YY     last two digits of the year of birth
 *   RRRRRR random digits
 */
export interface IdNumberParts {
  provinceCode: string;
  gender: Gender;
  birthYear: number;
  serial: string;
}

export type IdNumberProblem = 'malformed' | 'unknown_province' | 'birth_year_mismatch' | 'gender_mismatch';

export const MIN_PROVINCE_CODE = 1;
export const MAX_PROVINCE_CODE = 96;

/** The century digit can express years 1900–2399 (five centuries, two genders each). */
const FIRST_CENTURY = 1900;

const TWELVE_DIGITS = /^\d{12}$/;

/** Decision 34 Art 4.1.a: reads the structure of a number without asking any registry. */
export function parseIdNumber(value: string): Result<IdNumberParts, 'malformed' | 'unknown_province'> {
  const idNumber = value.trim();
  if (!TWELVE_DIGITS.test(idNumber)) return fail('malformed');
  const province = Number(idNumber.slice(0, 3));
  if (province < MIN_PROVINCE_CODE || province > MAX_PROVINCE_CODE) return fail('unknown_province');
  const centuryDigit = Number(idNumber[3]);
  const birthYear = FIRST_CENTURY + Math.floor(centuryDigit / 2) * 100 + Number(idNumber.slice(4, 6));
  return ok({
    provinceCode: idNumber.slice(0, 3),
    gender: centuryDigit % 2 === 0 ? 'male' : 'female',
    birthYear,
    serial: idNumber.slice(6),
  });
}

/**
 * DECREE.md Art 4: a declared number whose century, gender and year digits contradict the declared date of birth and
 * gender is rejected before the registry is asked. The flow shows one generic message whatever the problem.
 */
export function checkIdNumberConsistency(
  idNumber: string,
  declared: { birthDate: string; gender: Gender },
): Result<IdNumberParts, IdNumberProblem> {
  const parsed = parseIdNumber(idNumber);
  if (!parsed.ok) return parsed;
  const declaredYear = Number(declared.birthDate.slice(0, 4));
  if (!Number.isInteger(declaredYear) || parsed.value.birthYear !== declaredYear) return fail('birth_year_mismatch');
  if (parsed.value.gender !== declared.gender) return fail('gender_mismatch');
  return parsed;
}

/** Builds a number from its parts (the synthetic dataset generator; the inverse of parseIdNumber). */
export function composeIdNumber(parts: { provinceCode: number; birthYear: number; gender: Gender; serial: number }): string {
  const { provinceCode, birthYear, gender, serial } = parts;
  if (provinceCode < MIN_PROVINCE_CODE || provinceCode > MAX_PROVINCE_CODE) {
    throw new RangeError('province code must be 001–096');
  }
  const centuryIndex = Math.floor((birthYear - FIRST_CENTURY) / 100);
  if (centuryIndex < 0 || centuryIndex > 4) throw new RangeError('birth year must be 1900–2399');
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) throw new RangeError('serial must be 0–999999');
  const centuryDigit = centuryIndex * 2 + (gender === 'female' ? 1 : 0);
  return (
    String(provinceCode).padStart(3, '0') +
    String(centuryDigit) +
    String(birthYear % 100).padStart(2, '0') +
    String(serial).padStart(6, '0')
  );
}
