/**
 * Locks on an electronic identification account (Decision 34 Art 10) and who asked for them. An account may carry
 * several open locks at once and is usable only while none is open (Art 10, 11). The rules deciding who may open and
 * lift which lock are in lock-rules.ts.
 */

/** Why an account is locked; each reason maps to one article (lock-rules.ts `LOCK_RULES`). */
export const LOCK_REASONS = [
  'owner_request',
  'agency_request',
  'service_user_request',
  'terms_violation',
  'id_number_invalidated',
  'id_number_re_established',
  'death',
  'foreign_document_expired',
] as const;

export type LockReason = (typeof LOCK_REASONS)[number];

/** The kinds of party that open and lift locks. */
export const LOCK_ACTOR_KINDS = ['owner', 'agency', 'service_user', 'operator', 'registry'] as const;

export type LockActorKind = (typeof LOCK_ACTOR_KINDS)[number];

/**
 * Who asked: the owner (id = the account id), an agency or service user (id = its API client id), the operator (id =
 * the operator's API client id) or a national registry (id = `population` or `immigration`).
 */
export interface LockActor {
  kind: LockActorKind;
  id: string;
}

/** Remediation of a terms-of-service violation, recorded by the operator before the owner may ask to lift (Art 11.3). */
export interface LockRemediation {
  recordedBy: LockActor;
  /** Epoch ms. */
  at: number;
  note?: string;
}

export interface AccountLock {
  /** Opaque, unique. */
  id: string;
  accountId: string;
  reason: LockReason;
  requestedBy: LockActor;
  /** The article the lock rests on, e.g. `Decision 34 Art 10.2`. */
  legalBasis: string;
  /** Epoch ms when the lock was recorded; from then on the account is unusable. */
  at: number;
  /** Free text from the requester (no personal data beyond what the requester already holds). */
  note?: string;
  remediation?: LockRemediation;
}

/** A lock as kept in the history once lifted. */
export interface LiftedLock extends AccountLock {
  liftedBy: LockActor;
  /** Epoch ms. */
  liftedAt: number;
  /** The article the restoration rests on, e.g. `Decision 34 Art 11.2`. */
  liftBasis: string;
  liftNote?: string;
}
