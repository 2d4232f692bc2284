import type { HeldDocument } from './held-document.js';
import type { AssuranceLevel } from './levels.js';

/** Decision 34 Art 4: a citizen is identified by the personal ID number, a foreigner by passport + nationality. */
export type IdentityKind = 'citizen' | 'foreigner';
export type Gender = 'male' | 'female';

export interface Identity {
  kind: IdentityKind;
  /** Citizen: 12-digit personal identification number (Art 4.1.a). */
  idNumber?: string;
  /** Foreigner: passport or international travel document number (Art 4.2.a). */
  passportNumber?: string;
  /** Foreigner: citizenship, ISO 3166-1 alpha-3 (Art 4.2.dd). */
  nationality?: string;
  fullName: string;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
  gender: Gender;
}

/**
 * Decision 34 Art 7: after the declared data matched, the account exists but cannot be used until the registrant has
 * activated it (one-time code, then a password). Later rules: an account not activated within 7 days expires.
 */
export type AccountStatus = 'pending_activation' | 'active';

/** Consent given at registration to the terms of use and to the processing of personal data: which versions, when. */
export interface ConsentRecord {
  termsVersion: string;
  dataProcessingVersion: string;
  /** Epoch ms. */
  acceptedAt: number;
}

/**
 * How an account reached level 2 (Decision 34 Art 5.1.b): by portrait match in the page (`remote`) or by an officer
 * at a police counter (`in_person`, fingerprints or portrait). Biometric samples are never kept: only this outcome.
 */
export interface LevelVerification {
  method: 'face' | 'fpt';
  /** Epoch ms: when the comparison was made (remote) or when the officer verified (in person). */
  at: number;
  /** Remote: the verifier's similarity, on its own scale (docs/biometrics.md). */
  score?: number;
  /** In person: the officer and the station that verified, as the agency names them. */
  officerId?: string;
  stationId?: string;
  legalBasis: string;
  channel: 'remote' | 'in_person';
}

/** Decision 34 Art 5.1.b + personal-data rules: explicit consent to the portrait comparison, recorded before a photo. */
export interface BiometricConsentRecord {
  /** Version of the consent text (config `level2.consentVersion`). */
  version: string;
  /** SHA-256 (hex) of the exact text shown, in the language shown. */
  textSha256: string;
  locale: string;
  /** Epoch ms. */
  acceptedAt: number;
}

export interface Account {
  /** Opaque, stable subject identifier; never derived from the ID number. */
  id: string;
  identity: Identity;
  level: AssuranceLevel;
  /**
   * Only `active` accounts sign in. Records written before activation existed carry no status and are read as
   * `active` by the store.
   */
  status: AccountStatus;
  /** E.164 (domain/contact.ts). */
  phone?: string;
  email?: string;
  /** argon2id PHC string; empty while the account is pending activation. */
  passwordHash: string;
  /** Epoch ms: while pending, when the account and its login name are released if not activated. */
  activationExpiresAt?: number;
  /** Epoch ms. */
  activatedAt?: number;
  /** Decision 34 Art 6.4 + personal-data rules: what was agreed to at registration. */
  consent?: ConsentRecord;
  /** Decision 34 Art 6.2, 6.3: the parent's or guardian's account through which this one was registered. */
  representativeAccountId?: string;
  /** Level 2 only: how and when the holder was verified by portrait or fingerprints (Decision 34 Art 5.1.b). */
  levelVerification?: LevelVerification;
  /** The latest consent to a remote portrait comparison (Decision 34 Art 5.1.b; biometrics are sensitive data). */
  biometricConsent?: BiometricConsentRecord;
  /**
   * Epoch ms when a one-time code proved control of the phone number / email address (Decision 34 Art 7). Only a
   * contact proven this way is released to relying parties (oidc/claims.ts); one typed and never proven is not.
   */
  phoneVerifiedAt?: number;
  emailVerifiedAt?: number;
  /**
   * Documents issued by state agencies, shown with the identity (draft 2025), kept up to date by the registry sync
   * (Decision 34 Art 9.1); an expired one is hidden from the claims, not removed (domain/held-document.ts).
   */
  documents?: HeldDocument[];
  createdAt: number;
  updatedAt: number;
}

/**
 * The login name of an account: the personal ID number for citizens, passport number + nationality for foreigners
 * (Decision 34 Art 6.4.a). Normalised so that the same identity always yields the same key (one identity, one account).
 */
export function loginKeyOf(identity: Pick<Identity, 'kind' | 'idNumber' | 'passportNumber' | 'nationality'>): string {
  if (identity.kind === 'citizen') {
    return `citizen:${(identity.idNumber ?? '').trim()}`;
  }
  const passport = (identity.passportNumber ?? '').trim().toUpperCase();
  const nationality = (identity.nationality ?? '').trim().toUpperCase();
  return `foreigner:${nationality}:${passport}`;
}
