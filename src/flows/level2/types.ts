import type { LevelVerification } from '../../domain/account.js';
import type { AssuranceLevel } from '../../domain/levels.js';
import type { LevelTwoIneligibility } from '../../domain/level-two.js';
import type { PersonRef } from '../../domain/registry.js';
import type { Result } from '../../shared/result.js';

/**
 * The public vocabulary of the upgrade from level 1 to level 2 (Decision 34 Art 5.1.b), for the pages (remote portrait
 * match) and the agency API (in-person record). Built by createLevel2Service (create-level2-service.ts).
 *
 * Biometric samples are never stored or logged: the photo goes to the BiometricVerifier and is then wiped; the account
 * keeps only the outcome (`levelVerification`). Consent is recorded before any photo is compared.
 */

/** What the pages show before and between attempts. */
export interface Level2Status {
  level: AssuranceLevel;
  /** Why the account cannot be verified now, if it cannot. */
  ineligible?: LevelTwoIneligibility;
  /** A consent to the current text, recent enough to cover a comparison now. */
  consentCurrent: boolean;
  /** Version of the consent text the page must show (config `level2.consentVersion`). */
  consentVersion: string;
  /** Comparisons left in the rolling window (5 per 6 hours by default). */
  attemptsLeft: number;
  /** Epoch ms when one more comparison becomes allowed, when none is left. */
  nextAttemptAt?: number;
  /** How the account reached level 2, once it has. */
  verification?: LevelVerification;
}

/** The consent the person gave on the consent page: the exact text they were shown, in their language. */
export interface Level2ConsentInput {
  accepted: boolean;
  /** The text shown (its SHA-256 is recorded with the version and the time). */
  text: string;
  locale: string;
}

export type RecordConsentError = 'consent_required' | 'account_not_found' | LevelTwoIneligibility;

/**
 * A comparison that ran (or a photo that could not be compared):
 *   matched      the account is now level 2.
 *   not_matched  not the same person; one attempt used.
 *   retake       no face, several faces, or poor quality: take another photo (no attempt used, but limited apart).
 */
export type PortraitAttempt =
  | { kind: 'matched'; verification: LevelVerification }
  | { kind: 'not_matched'; attemptsLeft: number; nextAttemptAt?: number }
  | { kind: 'retake'; reason: 'no_face' | 'multiple_faces' | 'poor_quality'; attemptsLeft: number };

/**
 * Why no comparison was made:
 *   account_not_found, not_active, already_level_2   nothing to verify;
 *   consent_required       no current consent: show the consent page first;
 *   attempts_exhausted     5 comparisons in the last 6 hours (status() says when the next is allowed);
 *   photo_rejections_exhausted  too many unusable photos lately: same page, same wait;
 *   reference_unavailable  the registry holds no usable portrait (or the identity is closed): a photo cannot help,
 *                          the person verifies in person at a police counter;
 *   unavailable            the registry or the verifier could not answer: try again later (503), no attempt used.
 */
export type VerifyPortraitError =
  | 'account_not_found'
  | LevelTwoIneligibility
  | 'consent_required'
  | 'attempts_exhausted'
  | 'photo_rejections_exhausted'
  | 'reference_unavailable'
  | 'unavailable';

/** Who was verified at the counter: the account id, or the identity the agency knows (ID number, passport). */
export type AccountRef = { kind: 'account'; accountId: string } | PersonRef;

/** An officer's verification at a police counter, as the agency API passes it (Decision 34 Art 5.1.b, later rules). */
export interface InPersonVerificationInput {
  accountRef: AccountRef;
  /** `fpt`: fingerprints compared in the agency's system; `face`: portrait compared by the officer. */
  method: 'fpt' | 'face';
  /** As the agency names them: letters, digits and `._:/-`, 1–64 characters. */
  officerId: string;
  stationId: string;
  /** The legal act the officer acted under, as text (e.g. "Decision 34 Art 5.1.b"); 1–200 printable characters. */
  legalBasis: string;
  /** When the officer verified: epoch ms or an RFC 3339 date-time. Not in the future, not older than the configured age. */
  at: number | string;
  /** The API client that recorded it (for the audit trail). */
  recordedBy?: string;
}

export interface InPersonRecorded {
  accountId: string;
  previousLevel: AssuranceLevel;
  level: 2;
  verification: LevelVerification;
}

/**
 * Why an in-person verification was not recorded:
 *   invalid_input          a field is malformed (officer, station, legal basis, time);
 *   at_in_future, at_too_old  the time of verification is not plausible;
 *   account_not_found      no account for that reference (the agency should ask the person to register first);
 *   not_active             the account is pending activation (activation writes level 1);
 *   identity_closed        the registry has closed this identity (death, number invalidated or re-established);
 *   registry_unavailable   the registry could not answer: nothing was recorded, retry (503).
 */
export type InPersonError =
  | 'invalid_input'
  | 'at_in_future'
  | 'at_too_old'
  | 'account_not_found'
  | 'not_active'
  | 'identity_closed'
  | 'registry_unavailable';

export interface Level2Api {
  /** undefined when no such account. */
  status(accountId: string): Promise<Level2Status | undefined>;
  /** Records the consent to the portrait comparison (first step; nothing is compared without it). */
  recordConsent(accountId: string, consent: Level2ConsentInput): Promise<Result<Level2Status, RecordConsentError>>;
  /**
   * Compares `probe` (the photo, JPEG or PNG bytes) with the registry's portrait. The bytes are wiped when this returns,
   * whatever the outcome: callers must not use them afterwards.
   */
  verifyPortrait(accountId: string, probe: Uint8Array): Promise<Result<PortraitAttempt, VerifyPortraitError>>;
  /** The agency API's record of a verification at a police counter. */
  recordInPersonVerification(input: InPersonVerificationInput): Promise<Result<InPersonRecorded, InPersonError>>;
}
