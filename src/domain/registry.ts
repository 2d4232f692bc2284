import type { Gender } from './account.js';
import type { Result } from '../shared/result.js';

/**
 * What the national registries hold about a person, and the ports through which the provider asks them.
 * Decision 34 Art 5.1.a: citizens are matched against the National Population Database; Art 5.1.b: foreigners against
 * the National Immigration Database. The field names are also the wire and dataset format
 * (docs/registry/registry-record.schema.json), so a record crosses the edge unchanged once validated.
 */

/** The only failure a lookup reports: the registry could not answer. It is never turned into "no match". */
export type RegistryUnavailable = 'registry_unavailable';

/** `value: null` = the registry answered and holds no such person; `ok: false` = it could not answer (fail closed). */
export type RegistryLookup<T> = Result<T | null, RegistryUnavailable>;

export type LifeStatus = 'alive' | 'deceased';

/**
 * Status of a personal identification number. Decision 34 Art 10.4: a number that was re-established (replaced by a
 * new one after a correction of birth data) or invalidated no longer identifies anyone.
 */
export type IdNumberStatus = 'valid' | 'invalidated' | 're_established';

/** A person named by a registry: the same identifiers that make up an account's login name (account.ts loginKeyOf). */
export type PersonRef =
  | { kind: 'citizen'; idNumber: string }
  | { kind: 'foreigner'; passportNumber: string; nationality: string };

/**
 * Opaque references to the portrait and fingerprint templates the registry holds, for the level-2 comparison
 * (Decision 34 Art 5.1.b). The templates themselves never leave the registry through a lookup.
 */
export interface BiometricReferences {
  portraitRef: string | null;
  fingerprintRef: string | null;
}

/** The chip-based identity card. `expiresOn: null` = valid for life (cards issued from age 60). */
export interface IdentityCard {
  /** ISO date YYYY-MM-DD. */
  expiresOn: string | null;
}

/** Fields every registry person carries, citizen or foreigner (Decision 34 Art 4.1, 4.2). */
export interface RegistryPersonBase {
  fullName: string;
  /** ISO date YYYY-MM-DD. */
  birthDate: string;
  gender: Gender;
  lifeStatus: LifeStatus;
  /** Decision 34 Art 6.2: parents may register a child under 14 through their own account. */
  parents: PersonRef[];
  /** Decision 34 Art 6.2, 6.3: legal guardians appointed for a child or for a person under guardianship. */
  guardians: PersonRef[];
  /** Decision 34 Art 6.3: lost civil act capacity or difficulties in cognition or behaviour control. */
  underGuardianship: boolean;
  biometrics: BiometricReferences;
}

/** A record of the National Population Database, looked up by personal identification number. */
export interface CitizenRecord extends RegistryPersonBase {
  kind: 'citizen';
  /** 12 digits (Decision 34 Art 4.1.a). */
  idNumber: string;
  idNumberStatus: IdNumberStatus;
  /** The number that replaced this one, when `idNumberStatus` is `re_established`. */
  replacedBy: string | null;
  /** null = no identity card issued (usual under 14). Draft 2025: an expired card hides the card, never the account. */
  idCard: IdentityCard | null;
}

/** Kinds of document that make a foreigner's stay in Vietnam legal. */
export const RESIDENCE_DOCUMENT_TYPES = [
  'visa',
  'temporary_residence_card',
  'permanent_residence_card',
  'temporary_residence_certificate',
] as const;
export type ResidenceDocumentType = (typeof RESIDENCE_DOCUMENT_TYPES)[number];

export interface ResidenceDocument {
  type: ResidenceDocumentType;
  number: string;
  /** ISO dates YYYY-MM-DD, both inclusive. */
  validFrom: string;
  validUntil: string;
}

/** A record of the National Immigration Database, looked up by passport number + nationality (Decision 34 Art 4.2). */
export interface ForeignerRecord extends RegistryPersonBase {
  kind: 'foreigner';
  /** Upper case, no spaces. */
  passportNumber: string;
  /** ISO 3166-1 alpha-3, upper case (Decision 34 Art 4.2.dd). */
  nationality: string;
  /** ISO date YYYY-MM-DD. */
  passportExpiresOn: string;
  /** The document that currently makes the stay legal; null when none is on file. */
  residenceDocument: ResidenceDocument | null;
  /** Visa symbol in ASCII (e.g. `DT1` for ĐT1, `LD2` for LĐ2); null for visa-exempt stays. */
  visaKind: string | null;
}

export type RegistryRecord = CitizenRecord | ForeignerRecord;

/** Normalised lookup keys, so that every implementation finds the same record for the same typed input. */
export const normaliseIdNumber = (idNumber: string): string => idNumber.trim();
export const normalisePassportNumber = (passportNumber: string): string =>
  passportNumber.replace(/\s+/g, '').toUpperCase();
export const normaliseNationality = (nationality: string): string => nationality.trim().toUpperCase();

/** Decision 34 Art 5.1.a: the National Population Database, asked by personal identification number. */
export interface PopulationRegistry {
  findCitizen(idNumber: string): Promise<RegistryLookup<CitizenRecord>>;
}

/** Decision 34 Art 5.1.b: the National Immigration Database, asked by passport number and citizenship. */
export interface ImmigrationRegistry {
  findForeigner(passportNumber: string, nationality: string): Promise<RegistryLookup<ForeignerRecord>>;
}
