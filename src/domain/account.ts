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

export interface Account {
  /** Opaque, stable subject identifier; never derived from the ID number. */
  id: string;
  identity: Identity;
  level: AssuranceLevel;
  phone?: string;
  email?: string;
  /** argon2id PHC string. */
  passwordHash: string;
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
