export type {
  AuditActor,
  AuditActorKind,
  AuditDetailValue,
  AuditEvent,
  AuditEventInput,
  AuditEventType,
  AuditPage,
  AuditTrail,
} from '../../domain/audit.js';

/**
 * The audit trail as the owner's pages (`/account`), the sign-in flow and the API use it. `container.audit` implements
 * `AuditTrail`:
 *   record(event)                      append one event (sign-in succeeded/failed, level changed, consent, ...)
 *   listForAccount(accountId, page)    newest first, `page.limit` at most, `page.before` = the previous nextCursor
 *   exportForAccount(accountId)        every kept event, oldest first (NDJSON export)
 * Sign-in events: type `sign_in.succeeded` with actor {kind:'owner', id: accountId}, clientId, location (coarse) and
 * details {level}; `sign_in.failed` with actor {kind:'anonymous'}, accountId when known, details {reason}.
 */
export const AUDIT_PAGE_MAX = 100;
