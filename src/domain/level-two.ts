import type { Account, BiometricConsentRecord, LevelVerification } from './account.js';
import type { RegistryRecord } from './registry.js';

/**
 * Rules of the upgrade of an account from level 1 to level 2 (Decision 34 Art 5.1.b: verified by portrait or
 * fingerprints against the population, citizen-identity or immigration database). Pure: time comes in as arguments.
 */

/** Decision 34 Art 5.1.b: the article a level-2 verification rests on, recorded with every outcome. */
export const LEVEL_TWO_LEGAL_BASIS = 'Decision 34 Art 5.1.b';

export type LevelTwoMethod = LevelVerification['method'];

/**
 * Why an account cannot be verified at level 2 now:
 *   not_active      pending activation (activation writes level 1, Art 7.1) or otherwise unusable;
 *   already_level_2 nothing to do.
 * A dependant registered through a parent or guardian (Art 6.2, 6.3) may be verified: later rules keep it at level 1
 * only until it is verified itself, never through the representative's level.
 */
export type LevelTwoIneligibility = 'not_active' | 'already_level_2';

export function levelTwoIneligibility(account: Pick<Account, 'status' | 'level'>): LevelTwoIneligibility | undefined {
  if (account.status !== 'active') return 'not_active';
  if (account.level >= 2) return 'already_level_2';
  return undefined;
}

/**
 * Decision 34 Art 10.4, 10.5: an identity the registry has closed (death, number invalidated or re-established) is
 * verified by nobody, remotely or in person.
 */
export function registryIdentityOpen(record: RegistryRecord): boolean {
  if (record.lifeStatus !== 'alive') return false;
  return record.kind === 'foreigner' || record.idNumberStatus === 'valid';
}

/**
 * Biometrics are sensitive personal data: a comparison runs only under an explicit consent to the text in force, given
 * recently (`maxAgeMs`), so a consent given months ago does not quietly cover a new comparison.
 */
export function consentCoversComparison(
  consent: BiometricConsentRecord | undefined,
  currentVersion: string,
  now: number,
  maxAgeMs: number,
): boolean {
  if (!consent || consent.version !== currentVersion) return false;
  return consent.acceptedAt <= now && now - consent.acceptedAt <= maxAgeMs;
}

/** The account raised to level 2 with the outcome that justified it (Decision 34 Art 5.1.b). */
export function raisedToLevelTwo(account: Account, verification: LevelVerification, now: number): Account {
  return { ...account, level: 2, levelVerification: verification, updatedAt: now };
}
