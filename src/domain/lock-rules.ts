import { fail, ok, type Result } from '../shared/result.js';
import type { AccountLock, LockActor, LockActorKind, LockReason } from './lock.js';

/**
 * How a lock of each reason is lifted (Decision 34 Art 11), as shown to the owner (Art 12.1.dd):
 *   owner                    the owner asks (Art 11.1)
 *   requesting_party         the agency or service user that asked for the lock asks (Art 11.2)
 *   owner_after_remediation  the operator records the remediation, then the owner asks (Art 11.3)
 *   registry_correction      only a correction in the national database (Art 9.1 with 10.4, 10.5)
 *   document_renewal         the foreigner's passport or residence permit is renewed in the registry (later rules)
 */
export type LiftPath = 'owner' | 'requesting_party' | 'owner_after_remediation' | 'registry_correction' | 'document_renewal';

export interface LockRule {
  /** The article a lock of this reason rests on. */
  article: string;
  /** Who may open such a lock. */
  openedBy: readonly LockActorKind[];
  liftPath: LiftPath;
  /** The article a restoration rests on. */
  liftArticle: string;
}

/** One row per reason: the table of DECREE.md "Locking (Art 10) and restoration (Art 11)". */
export const LOCK_RULES: Readonly<Record<LockReason, LockRule>> = {
  // Decision 34 Art 10.1 / 11.1
  owner_request: { article: 'Decision 34 Art 10.1', openedBy: ['owner'], liftPath: 'owner', liftArticle: 'Decision 34 Art 11.1' },
  // Decision 34 Art 10.2 / 11.2: proceeding-conducting and competent agencies
  agency_request: {
    article: 'Decision 34 Art 10.2',
    openedBy: ['agency'],
    liftPath: 'requesting_party',
    liftArticle: 'Decision 34 Art 11.2',
  },
  // Decision 34 Art 10.2 / 11.2: service users (relying parties)
  service_user_request: {
    article: 'Decision 34 Art 10.2',
    openedBy: ['service_user'],
    liftPath: 'requesting_party',
    liftArticle: 'Decision 34 Art 11.2',
  },
  // Decision 34 Art 10.3 / 11.3: the operator (the account-granting agency) decides there was a violation.
  terms_violation: {
    article: 'Decision 34 Art 10.3',
    openedBy: ['operator'],
    liftPath: 'owner_after_remediation',
    liftArticle: 'Decision 34 Art 11.3',
  },
  // Decision 34 Art 10.4: only the population registry knows; Art 11 gives no one else a way to lift it.
  id_number_invalidated: {
    article: 'Decision 34 Art 10.4',
    openedBy: ['registry'],
    liftPath: 'registry_correction',
    liftArticle: 'Decision 34 Art 9.1',
  },
  id_number_re_established: {
    article: 'Decision 34 Art 10.4',
    openedBy: ['registry'],
    liftPath: 'registry_correction',
    liftArticle: 'Decision 34 Art 9.1',
  },
  // Decision 34 Art 10.5
  death: { article: 'Decision 34 Art 10.5', openedBy: ['registry'], liftPath: 'registry_correction', liftArticle: 'Decision 34 Art 9.1' },
  // Later rules (Decree 69/2024): a foreigner's passport or residence permit expired; lifted when renewed.
  foreign_document_expired: {
    article: 'Decree 69/2024 (foreigner document expired)',
    openedBy: ['registry'],
    liftPath: 'document_renewal',
    liftArticle: 'Decree 69/2024 (foreigner document renewed)',
  },
};

/** What a registry event may lift: a correction lifts number and death locks, a renewal lifts a document lock. */
export type RegistryLiftCause = 'correction' | 'renewal';

export type OpenRefusal = 'not_allowed_to_open';

/**
 * Why a lift was refused; each has a stable string the API and the pages show:
 *   lock_not_found             no such open lock on this account
 *   not_requesting_party       an agency or service user other than the one that asked (Art 11.2)
 *   owner_only                 only the owner lifts an owner's lock (Art 11.1)
 *   remediation_required       a terms lock before the operator recorded the remediation (Art 11.3)
 *   registry_correction_only   number and death locks (Art 10.4, 10.5)
 *   document_renewal_only      a foreigner's expired-document lock
 */
export type LiftRefusal =
  | 'lock_not_found'
  | 'not_requesting_party'
  | 'owner_only'
  | 'remediation_required'
  | 'registry_correction_only'
  | 'document_renewal_only';

/** Whether `actor` may open a lock for `reason` on `accountId` (Decision 34 Art 10). */
export function decideOpen(reason: LockReason, actor: LockActor, accountId: string): Result<{ legalBasis: string }, OpenRefusal> {
  const rule = LOCK_RULES[reason];
  if (!rule.openedBy.includes(actor.kind)) return fail('not_allowed_to_open');
  // Decision 34 Art 10.1: the owner locks their own account, no one else's.
  if (actor.kind === 'owner' && actor.id !== accountId) return fail('not_allowed_to_open');
  return ok({ legalBasis: rule.article });
}

const sameParty = (a: LockActor, b: LockActor): boolean => a.kind === b.kind && a.id === b.id;

/**
 * Whether `actor` may lift `lock` (Decision 34 Art 11). `registryCause` says what a registry actor's event was (a
 * correction or a renewal); it is ignored for other actors.
 */
export function decideLift(
  lock: AccountLock,
  actor: LockActor,
  registryCause?: RegistryLiftCause,
): Result<{ liftBasis: string }, LiftRefusal> {
  const rule = LOCK_RULES[lock.reason];
  const allowed = { liftBasis: rule.liftArticle };
  switch (rule.liftPath) {
    case 'owner':
      // Decision 34 Art 11.1
      return actor.kind === 'owner' && actor.id === lock.accountId ? ok(allowed) : fail('owner_only');
    case 'requesting_party':
      // Decision 34 Art 11.2: only the agency or service user "that it has previously requested".
      return sameParty(actor, lock.requestedBy) ? ok(allowed) : fail('not_requesting_party');
    case 'owner_after_remediation':
      // Decision 34 Art 11.3: the owner asks, once the violation was remediated.
      if (actor.kind !== 'owner' || actor.id !== lock.accountId) return fail('owner_only');
      return lock.remediation ? ok(allowed) : fail('remediation_required');
    case 'registry_correction':
      // Decision 34 Art 10.4, 10.5 with 9.1: only the registry's correction of its own data.
      return actor.kind === 'registry' && registryCause === 'correction' ? ok(allowed) : fail('registry_correction_only');
    case 'document_renewal':
      return actor.kind === 'registry' && registryCause === 'renewal' ? ok(allowed) : fail('document_renewal_only');
  }
}

/** Whether the operator may record a remediation on this lock (Decision 34 Art 11.3: terms locks only). */
export function mayRecordRemediation(lock: AccountLock, actor: LockActor): boolean {
  return lock.reason === 'terms_violation' && actor.kind === 'operator';
}

/** What the owner can do about a lock right now, for the account pages (Decision 34 Art 12.1.dd). */
export function ownerMayLiftNow(lock: AccountLock): boolean {
  return decideLift(lock, { kind: 'owner', id: lock.accountId }).ok;
}
