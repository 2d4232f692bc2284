/**
 * Capabilities of the agency and service-user API (docs/api.md), one OAuth scope each. A client gets them through the
 * client-credentials grant, only those its registration lists; every API route names the one it needs.
 */
export const API_SCOPES = {
  /** Account status (active, locked and why, level) by personal ID number or passport; the account's locks. */
  statusRead: 'vneid:status:read',
  /** Open a lock: an agency or service user for itself (Decision 34 Art 10.2), the operator for terms (Art 10.3). */
  lockRequest: 'vneid:lock:request',
  /** Lift a lock one asked for (Decision 34 Art 11.2). */
  lockRestore: 'vneid:lock:restore',
  /** Record an in-person level-2 verification done by an officer (Decision 34 Art 5.1.b, later rules). */
  level2Record: 'vneid:level2:record',
  /** Push identity changes from the national databases (Decision 34 Art 9). */
  registryEvents: 'vneid:registry:events',
  /** Read and export an account's audit trail. */
  auditRead: 'vneid:audit:read',
  /** The operator: suspend and reinstate relying parties (Art 13.5), terms locks and remediation (Art 10.3, 11.3). */
  operator: 'vneid:operator',
} as const;

export type ApiScope = (typeof API_SCOPES)[keyof typeof API_SCOPES];

export const API_SCOPE_VALUES: readonly ApiScope[] = Object.values(API_SCOPES);
