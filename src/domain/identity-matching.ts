import type { Identity } from './account.js';
import {
  normaliseIdNumber,
  normaliseNationality,
  normalisePassportNumber,
  type RegistryRecord,
} from './registry.js';

/**
 * Decision 34 Art 5.1.a, 5.1.b and 7.1: the declared identity (Art 6.4.a–dd) is compared automatically with the
 * registry. The answer is a bare yes or no: which field differed is never told, so that the registration form cannot
 * be used to read the registry one field at a time.
 */

/** Tone marks, as combining characters after NFD. Vowel-quality marks (breve, circumflex, horn) are not among them. */
const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
const COMBINING = /\p{M}/u;

/**
 * Vietnamese writes the tone of the syllable-final clusters oa, oe and uy in two accepted styles: "hòa"/"hoà",
 * "thủy"/"thuỷ", "khỏe"/"khoẻ". Keyboards and registries use either, so the tone is moved to one place before
 * comparing. Diacritics stay significant: the tone and the vowel marks must still be the same.
 */
function canonicalToneOf(word: string): string {
  const clusters: string[] = [];
  for (const char of word.normalize('NFD')) {
    if (COMBINING.test(char) && clusters.length > 0) clusters[clusters.length - 1] += char;
    else clusters.push(char);
  }
  if (clusters.length < 2) return word;
  const last = clusters[clusters.length - 1] as string;
  const previous = clusters[clusters.length - 2] as string;
  const pair = `${previous[0] ?? ''}${last[0] ?? ''}`;
  if (pair !== 'oa' && pair !== 'oe' && pair !== 'uy') return word;
  const tone = [...previous].find((char) => TONE_MARKS.has(char));
  // "qu" + y: the u belongs to the consonant and the tone always sits on the y, in both styles.
  if (tone === undefined || clusters[clusters.length - 3]?.[0] === 'q') return word;
  clusters[clusters.length - 2] = previous.replace(tone, '');
  clusters[clusters.length - 1] = last + tone;
  return clusters.join('').normalize('NFC');
}

/**
 * The comparison form of a full name: Unicode NFC, lower case, runs of white space collapsed and trimmed, the tone of
 * oa/oe/uy placed in one style. Diacritics are significant: "Nguyen" and "Nguyễn" are different names.
 */
export function normaliseFullName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .split(/\s+/u)
    .filter((word) => word.length > 0)
    .map(canonicalToneOf)
    .join(' ');
}

/** Declared identity of a citizen (Decision 34 Art 6.4.a–d) or a foreigner (Art 6.4.a–dd). */
export type DeclaredIdentity = Pick<
  Identity,
  'kind' | 'idNumber' | 'passportNumber' | 'nationality' | 'fullName' | 'birthDate' | 'gender'
>;

/** True when every declared field equals the registry's; false otherwise, without saying which field differed. */
export function declaredIdentityMatches(declared: DeclaredIdentity, record: RegistryRecord): boolean {
  // Every field is compared even after a difference, so the answer does not depend on which one differed.
  const checks: boolean[] = [
    declared.kind === record.kind,
    normaliseFullName(declared.fullName) === normaliseFullName(record.fullName),
    declared.birthDate.trim() === record.birthDate,
    declared.gender === record.gender,
  ];
  if (record.kind === 'citizen') {
    checks.push(normaliseIdNumber(declared.idNumber ?? '') === record.idNumber);
  } else {
    checks.push(
      normalisePassportNumber(declared.passportNumber ?? '') === normalisePassportNumber(record.passportNumber),
      // Decision 34 Art 7.1.b: citizenship is part of what a foreigner's declaration is matched on.
      normaliseNationality(declared.nationality ?? '') === normaliseNationality(record.nationality),
    );
  }
  return checks.every(Boolean);
}
