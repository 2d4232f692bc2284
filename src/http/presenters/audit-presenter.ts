import type { AuditEvent } from '../../domain/audit.js';

/** One audit event as the API and the NDJSON export give it: every stored field (the trail holds no secrets), ISO time. */
export function presentAuditEvent(event: AuditEvent): Record<string, unknown> {
  return {
    id: event.id,
    at: new Date(event.at).toISOString(),
    type: event.type,
    ...(event.accountId ? { accountId: event.accountId } : {}),
    actor: event.actor,
    ...(event.clientId ? { clientId: event.clientId } : {}),
    ...(event.legalBasis ? { legalBasis: event.legalBasis } : {}),
    ...(event.location ? { location: event.location } : {}),
    ...(event.details ? { details: event.details } : {}),
  };
}
