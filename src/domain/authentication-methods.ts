import type { AssuranceLevel } from './levels.js';

/**
 * How a person authenticated, and the level that achieves. Decision 34 Art 5.1: level 1 = identity matched against the
 * national database, level 2 = also verified by portrait or fingerprints. A level-2 sign-in (issue policy, NIST
 * 800-63B AAL2) = an account verified at level 2 + its password + a second factor used in this very session.
 */

/** RFC 8176 Authentication Method Reference values this provider puts in `amr`. */
export type AuthenticationMethod = 'pwd' | 'otp' | 'sms' | 'face' | 'fpt' | 'mfa';

/** A second factor: a one-time code sent to the registered phone, or a TOTP authenticator app the owner enrolled. */
export type SecondFactorKind = 'sms' | 'totp';

/** Decision 34 Art 5.1.b: how the level-2 verification was done (portrait match, or fingerprints at a counter). */
export type VerificationMethod = 'face' | 'fpt';

export interface AuthenticationEvidence {
  /** The account's password was checked (in this session). */
  password: boolean;
  /** The second factor used in this session, if any. */
  secondFactor?: SecondFactorKind;
  /** Level-2 verification completed in this very session (not the one done on some earlier day). */
  verification?: VerificationMethod;
}

const FACTOR_METHOD: Record<SecondFactorKind, AuthenticationMethod> = { sms: 'sms', totp: 'otp' };

/**
 * RFC 8176 section 2: `pwd` for the password, `sms` for a code sent by SMS to the registered number, `otp` for a
 * one-time password from an authenticator app, `face` / `fpt` for a biometric verification done now, and `mfa` once
 * factors of two different kinds (something known, held or been) were used.
 */
export function amrOf(evidence: AuthenticationEvidence): AuthenticationMethod[] {
  const methods: AuthenticationMethod[] = [];
  if (evidence.password) methods.push('pwd');
  if (evidence.verification) methods.push(evidence.verification);
  if (evidence.secondFactor) methods.push(FACTOR_METHOD[evidence.secondFactor]);
  const kinds = [evidence.password, evidence.secondFactor !== undefined, evidence.verification !== undefined].filter(Boolean);
  if (kinds.length >= 2) methods.push('mfa');
  return methods;
}

/**
 * The level a sign-in achieves: never more than the account's level (Decision 34 Art 5), and level 2 only with the
 * password and a second factor in this session. A password alone is level 1 whatever the account's level.
 */
export function achievedLevel(accountLevel: AssuranceLevel, evidence: AuthenticationEvidence): AssuranceLevel {
  return accountLevel === 2 && evidence.password && evidence.secondFactor !== undefined ? 2 : 1;
}
