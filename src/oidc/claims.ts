import type { Account } from '../domain/account.js';

/**
 * Scopes and the claims each releases. Discovery's `scopes_supported` and `claims_supported` are derived from this
 * table, so what is advertised is exactly what is served.
 *
 * `identity` carries the identifiers of Decision 34 Art 4: the personal identification number for citizens, the
 * passport number and citizenship for foreigners.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'birthdate', 'gender'],
  identity: ['personal_id_number', 'passport_number', 'nationality', 'foreigner'],
  phone: ['phone_number', 'phone_number_verified'],
  email: ['email', 'email_verified'],
} as const satisfies Record<string, readonly string[]>;

export type ScopeName = keyof typeof SCOPE_CLAIMS;

/** Every claim a relying party can receive about the account, keyed by claim name. Absent values are left out. */
export function accountClaims(account: Account): Record<string, unknown> {
  const { identity } = account;
  const claims: Record<string, unknown> = {
    sub: account.id,
    name: identity.fullName,
    birthdate: identity.birthDate,
    gender: identity.gender,
    foreigner: identity.kind === 'foreigner',
  };
  if (identity.kind === 'citizen') {
    claims.personal_id_number = identity.idNumber;
  } else {
    claims.passport_number = identity.passportNumber;
    claims.nationality = identity.nationality;
  }
  if (account.phone) {
    claims.phone_number = account.phone;
    // Contact details are verified by the activation code (Decision 34 Art 7).
    claims.phone_number_verified = true;
  }
  if (account.email) {
    claims.email = account.email;
    claims.email_verified = true;
  }
  return claims;
}
