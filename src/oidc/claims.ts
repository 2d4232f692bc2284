import type { Account } from '../domain/account.js';
import { visibleDocuments } from '../domain/held-document.js';

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
  // Draft 2025: documents issued by state agencies, shown with the identity; an expired one is left out (Art 9.1).
  documents: ['documents'],
} as const satisfies Record<string, readonly string[]>;

export type ScopeName = keyof typeof SCOPE_CLAIMS;

/**
 * Every claim a relying party can receive about the account, keyed by claim name. Absent values are left out.
 * Level 1 releases only what was confirmed (Decision 34 Art 5.1.a): the identity fields are those the registry matched
 * (the name as the registry spells it), the contacts only those a one-time code proved.
 */
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
  // Decision 34 Art 7: a contact is released only once a one-time code sent to it was entered (activation, or a later
  // change of contact), and then it is verified. The other contact typed at registration was never proven: releasing
  // it, even marked unverified, would hand relying parties data nobody confirmed.
  if (account.phone && account.phoneVerifiedAt !== undefined) {
    claims.phone_number = account.phone;
    claims.phone_number_verified = true;
  }
  if (account.email && account.emailVerifiedAt !== undefined) {
    claims.email = account.email;
    claims.email_verified = true;
  }
  const documents = visibleDocuments(account.documents);
  if (documents.length > 0) {
    claims.documents = documents.map((document) => ({
      type: document.type,
      ...(document.number ? { number: document.number } : {}),
      expires_on: document.expiresOn,
    }));
  }
  return claims;
}
