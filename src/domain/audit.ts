/**
 * The audit trail of security-relevant events (sign-in, failures, level changes, locks and restorations with the actor
 * and legal basis, consent, registry events, API calls). Append-only; kept for the usage-history period (later rules:
 * 5 years). Never carries secrets (passwords, codes, tokens, keys) nor biometric data (images, descriptors, scores).
 */

/** Event types, named `noun.past_tense` (ARCHITECTURE convention 9). */
export const AUDIT_EVENT_TYPES = [
  'sign_in.succeeded',
  'sign_in.failed',
  'level.changed',
  'account.locked',
  'account.restored',
  'lock.lift_refused',
  'lock.open_refused',
  'lock.remediation_recorded',
  'consent.granted',
  'consent.revoked',
  'registry_event.received',
  'registry_event.rejected',
  'identity.updated',
  'document.hidden',
  'document.shown',
  'reconciliation.completed',
  'client.suspended',
  'client.reinstated',
  'api.called',
  'level2.recorded',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * Who caused the event. `owner`: the account's holder (id = account id); `agency`, `service_user`, `operator`: an API
 * client (id = client id); `registry`: `population` or `immigration`; `relying_party`: a client the owner signed in to;
 * `system`: this provider itself (reconciliation, expiry); `anonymous`: someone not identified (a failed sign-in).
 */
export type AuditActorKind = 'owner' | 'agency' | 'service_user' | 'operator' | 'registry' | 'relying_party' | 'system' | 'anonymous';

export interface AuditActor {
  kind: AuditActorKind;
  id?: string;
}

/** Values of `details`: short, non-secret facts (a reason code, a level, a field name), never a credential. */
export type AuditDetailValue = string | number | boolean;

/** What a caller records. */
export interface AuditEventInput {
  type: AuditEventType;
  /** The account concerned; absent when none is known (a failed sign-in with an unknown login name). */
  accountId?: string;
  actor: AuditActor;
  /** The relying party or API client involved. */
  clientId?: string;
  /** The article the action rests on (locks, restorations, registry changes). */
  legalBasis?: string;
  /**
   * Coarse location of the person (e.g. an IP prefix `203.0.113.0/24` or a city), never a full address: kept for the
   * owner's "where it was used" (Decision 34 Art 12.1.dd).
   */
  location?: string;
  /** Further facts; keys and values are short, never secrets or biometric data. */
  details?: Record<string, AuditDetailValue>;
  /** Epoch ms; the trail's clock when absent. */
  at?: number;
}

/** An event as stored: with its id (position in the trail) and time. */
export interface AuditEvent extends AuditEventInput {
  /** Opaque, ordered by time; usable as a cursor. */
  id: string;
  at: number;
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  /** Pass as `before` to read the next (older) page; absent on the last page. */
  nextCursor?: string;
}

/** The audit trail (port); the Redis Streams implementation lives in storage/audit-trail.ts. */
export interface AuditTrail {
  /** Appends one event. Throws DependencyUnavailableError when the trail cannot be written (callers fail closed). */
  record(event: AuditEventInput): Promise<void>;
  /** The account's events, newest first, `limit` at most, older than the cursor `before` when given. */
  listForAccount(accountId: string, page: { limit: number; before?: string }): Promise<AuditPage>;
  /** Every kept event of the account, oldest first, for an NDJSON export. */
  exportForAccount(accountId: string): AsyncIterable<AuditEvent>;
}
