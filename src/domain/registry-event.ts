import type { Account, Gender, Identity } from './account.js';
import { HELD_DOCUMENT_TYPES, isExpired, type HeldDocument, type HeldDocumentType } from './held-document.js';
import type { AccountLock, LockReason } from './lock.js';
import type { RegistryLiftCause } from './lock-rules.js';
import type { PersonRef, RegistryRecord } from './registry.js';

/**
 * Changes in the national databases that reach the accounts (Decision 34 Art 9.1), pushed by the registries to the API
 * or found by the reconciliation pass, and what each does to an account. Pure: the flow in flows/registry-sync applies
 * the actions.
 */

export const REGISTRY_EVENT_TYPES = [
  'identity.changed',
  'person.died',
  'death.corrected',
  'id_number.invalidated',
  'id_number.re_established',
  'id_number.corrected',
  'document.expired',
  'document.renewed',
  'residence.expired',
  'residence.renewed',
] as const;

export type RegistryEventType = (typeof REGISTRY_EVENT_TYPES)[number];

export const REGISTRY_SOURCES = ['population', 'immigration'] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];

/**
 * Identity fields the national databases may change (Decision 34 Art 4, 9.1). Not the identifiers (ID number, passport
 * and nationality): they name the account, and their changes are number locks (Art 10.4) or a new passport.
 */
export const IDENTITY_FIELDS = ['full_name', 'birth_date', 'gender'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export interface IdentityChanges {
  fullName?: string;
  birthDate?: string;
  gender?: Gender;
}

export interface RegistryEvent {
  /** Unique per event at its source; the same id delivered twice is applied once. */
  id: string;
  type: RegistryEventType;
  source: RegistrySource;
  /** ISO date-time at the registry. */
  occurredAt: string;
  subject: PersonRef;
  /** identity.changed */
  changes?: IdentityChanges;
  /** document.expired, document.renewed */
  document?: { type: HeldDocumentType; number?: string; expiresOn?: string | null };
}

export type RegistryAction =
  | { kind: 'update_identity'; changes: IdentityChanges; fields: IdentityField[] }
  | { kind: 'open_lock'; reason: LockReason }
  | { kind: 'lift_locks'; reasons: LockReason[]; cause: RegistryLiftCause }
  /** `expiresOn`: the expiry to record when the account did not hold the document yet. */
  | { kind: 'hide_document'; documentType: HeldDocumentType; expiresOn?: string | null }
  | { kind: 'show_document'; document: HeldDocument };

/** Why an event changes nothing: the subject is of the other kind, or nothing differs. */
export type NotApplicable = 'wrong_subject_kind' | 'missing_data' | 'nothing_changed';

export type RegistryPlan = { ok: true; actions: RegistryAction[] } | { ok: false; error: NotApplicable };

const NUMBER_LOCKS: LockReason[] = ['id_number_invalidated', 'id_number_re_established'];

/** The identity fields whose value differs from the account's, with the new values. */
export function identityDiff(identity: Identity, changes: IdentityChanges): { changes: IdentityChanges; fields: IdentityField[] } {
  const diff: IdentityChanges = {};
  const fields: IdentityField[] = [];
  if (changes.fullName !== undefined && changes.fullName !== identity.fullName) {
    diff.fullName = changes.fullName;
    fields.push('full_name');
  }
  if (changes.birthDate !== undefined && changes.birthDate !== identity.birthDate) {
    diff.birthDate = changes.birthDate;
    fields.push('birth_date');
  }
  if (changes.gender !== undefined && changes.gender !== identity.gender) {
    diff.gender = changes.gender;
    fields.push('gender');
  }
  return { changes: diff, fields };
}

const plan = (...actions: RegistryAction[]): RegistryPlan =>
  actions.length > 0 ? { ok: true, actions } : { ok: false, error: 'nothing_changed' };

/** What one pushed event does to the account it names (Decision 34 Art 9.1, 10.4, 10.5; draft 2025; later rules). */
export function planRegistryEvent(event: RegistryEvent, account: Account): RegistryPlan {
  const citizen = account.identity.kind === 'citizen';
  switch (event.type) {
    case 'identity.changed': {
      // Decision 34 Art 9.1: the change is synchronised into the account and the owner told what changed.
      if (!event.changes) return { ok: false, error: 'missing_data' };
      const diff = identityDiff(account.identity, event.changes);
      return diff.fields.length > 0 ? plan({ kind: 'update_identity', ...diff }) : plan();
    }
    case 'person.died':
      // Decision 34 Art 10.5
      return plan({ kind: 'open_lock', reason: 'death' });
    case 'death.corrected':
      return plan({ kind: 'lift_locks', reasons: ['death'], cause: 'correction' });
    case 'id_number.invalidated':
      // Decision 34 Art 10.4: only citizens carry a personal identification number.
      return citizen ? plan({ kind: 'open_lock', reason: 'id_number_invalidated' }) : { ok: false, error: 'wrong_subject_kind' };
    case 'id_number.re_established':
      return citizen ? plan({ kind: 'open_lock', reason: 'id_number_re_established' }) : { ok: false, error: 'wrong_subject_kind' };
    case 'id_number.corrected':
      return citizen ? plan({ kind: 'lift_locks', reasons: NUMBER_LOCKS, cause: 'correction' }) : { ok: false, error: 'wrong_subject_kind' };
    case 'document.expired':
      // Draft 2025: only the document is hidden and the owner told to renew it; the account is NOT locked.
      if (!event.document) return { ok: false, error: 'missing_data' };
      return plan({
        kind: 'hide_document',
        documentType: event.document.type,
        ...(event.document.expiresOn !== undefined ? { expiresOn: event.document.expiresOn } : {}),
      });
    case 'document.renewed': {
      const renewed = event.document;
      if (!renewed || renewed.expiresOn === undefined) return { ok: false, error: 'missing_data' };
      return plan({
        kind: 'show_document',
        document: { type: renewed.type, ...(renewed.number ? { number: renewed.number } : {}), expiresOn: renewed.expiresOn, hidden: false },
      });
    }
    case 'residence.expired':
      // Later rules: a foreigner's passport or residence document expired locks the account until renewed.
      return citizen ? { ok: false, error: 'wrong_subject_kind' } : plan({ kind: 'open_lock', reason: 'foreign_document_expired' });
    case 'residence.renewed':
      return citizen ? { ok: false, error: 'wrong_subject_kind' } : plan({ kind: 'lift_locks', reasons: ['foreign_document_expired'], cause: 'renewal' });
  }
}

const hasOpen = (locks: readonly AccountLock[], reason: LockReason): boolean => locks.some((lock) => lock.reason === reason);

/**
 * What the registry's current record says should change on the account, for the reconciliation pass that catches
 * events that were never delivered (Decision 34 Art 9.1). `today` is the ISO date the expiries are judged on.
 */
export function reconcileWithRecord(account: Account, record: RegistryRecord, openLocks: readonly AccountLock[], today: string): RegistryAction[] {
  const actions: RegistryAction[] = [];
  // Decision 34 Art 10.5
  if (record.lifeStatus === 'deceased' && !hasOpen(openLocks, 'death')) actions.push({ kind: 'open_lock', reason: 'death' });
  if (record.lifeStatus === 'alive' && hasOpen(openLocks, 'death')) actions.push({ kind: 'lift_locks', reasons: ['death'], cause: 'correction' });

  if (record.kind === 'citizen') {
    // Decision 34 Art 10.4
    if (record.idNumberStatus === 'invalidated' && !hasOpen(openLocks, 'id_number_invalidated')) {
      actions.push({ kind: 'open_lock', reason: 'id_number_invalidated' });
    }
    if (record.idNumberStatus === 're_established' && !hasOpen(openLocks, 'id_number_re_established')) {
      actions.push({ kind: 'open_lock', reason: 'id_number_re_established' });
    }
    const staleNumberLocks = NUMBER_LOCKS.filter(
      (reason) => hasOpen(openLocks, reason) && record.idNumberStatus !== (reason === 'id_number_invalidated' ? 'invalidated' : 're_established'),
    );
    if (staleNumberLocks.length > 0) actions.push({ kind: 'lift_locks', reasons: staleNumberLocks, cause: 'correction' });
    actions.push(...identityCardActions(account, record.idCard, today));
  } else {
    // Later rules: the passport or the residence document expired.
    const residenceValid =
      record.passportExpiresOn >= today && record.residenceDocument !== null && record.residenceDocument.validUntil >= today;
    if (!residenceValid && !hasOpen(openLocks, 'foreign_document_expired')) actions.push({ kind: 'open_lock', reason: 'foreign_document_expired' });
    if (residenceValid && hasOpen(openLocks, 'foreign_document_expired')) {
      actions.push({ kind: 'lift_locks', reasons: ['foreign_document_expired'], cause: 'renewal' });
    }
  }

  const diff = identityDiff(account.identity, { fullName: record.fullName, birthDate: record.birthDate, gender: record.gender });
  if (diff.fields.length > 0) actions.unshift({ kind: 'update_identity', ...diff });
  return actions;
}

/** Draft 2025: the identity card as the registry holds it, against the account's copy. */
function identityCardActions(account: Account, card: { expiresOn: string | null } | null, today: string): RegistryAction[] {
  if (card === null) return [];
  const held = (account.documents ?? []).find((document) => document.type === 'identity_card');
  const expired = isExpired(card, today);
  if (expired) return held?.hidden ? [] : [{ kind: 'hide_document', documentType: 'identity_card', expiresOn: card.expiresOn }];
  if (!held || held.hidden || held.expiresOn !== card.expiresOn) {
    return [{ kind: 'show_document', document: { type: 'identity_card', expiresOn: card.expiresOn, hidden: false } }];
  }
  return [];
}

export const isHeldDocumentType = (value: string): value is HeldDocumentType => (HELD_DOCUMENT_TYPES as readonly string[]).includes(value);
