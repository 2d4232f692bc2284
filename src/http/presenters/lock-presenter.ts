import type { AccountLock, LiftedLock } from '../../domain/lock.js';
import { LOCK_RULES } from '../../domain/lock-rules.js';

/**
 * A lock as the API shows it. The requester's identity (client id) is shown only to that requester and to the
 * operator: another agency learns that an agency asked, not which one (proceedings may be confidential).
 */
export function presentLock(lock: AccountLock, viewer: { clientId: string; operator: boolean }): Record<string, unknown> {
  const own = lock.requestedBy.id === viewer.clientId && (lock.requestedBy.kind === 'agency' || lock.requestedBy.kind === 'service_user' || lock.requestedBy.kind === 'operator');
  const showRequester = own || viewer.operator || lock.requestedBy.kind === 'registry';
  return {
    id: lock.id,
    reason: lock.reason,
    legalBasis: lock.legalBasis,
    requestedBy: showRequester ? { kind: lock.requestedBy.kind, id: lock.requestedBy.kind === 'owner' ? 'owner' : lock.requestedBy.id } : { kind: lock.requestedBy.kind },
    at: new Date(lock.at).toISOString(),
    ...(lock.note && (own || viewer.operator) ? { note: lock.note } : {}),
    liftPath: LOCK_RULES[lock.reason].liftPath,
    ...(lock.remediation ? { remediationRecordedAt: new Date(lock.remediation.at).toISOString() } : {}),
  };
}

export function presentLiftedLock(lock: LiftedLock, viewer: { clientId: string; operator: boolean }): Record<string, unknown> {
  return {
    ...presentLock(lock, viewer),
    liftedAt: new Date(lock.liftedAt).toISOString(),
    liftedBy: { kind: lock.liftedBy.kind },
    liftBasis: lock.liftBasis,
  };
}
