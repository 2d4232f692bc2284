import type { AuditTrail } from '../../domain/audit.js';
import type { ConsentGrants } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';

export interface ConsentDependencies {
  grants: ConsentGrants;
  clock: Clock;
  logger?: Logger;
  audit?: AuditTrail;
}

/**
 * What a person agreed to share with relying parties (the consent page, remembered per grant), and its withdrawal from
 * the account pages. Revoking a consent destroys the grant(s) of that relying party for the account and every token
 * issued under them (access and refresh tokens stop working at once); the next sign-in to that relying party asks for
 * consent again.
 */
export class ConsentService {
  constructor(private readonly deps: ConsentDependencies) {}

  /** The relying parties (client ids) the account has a current consent for, sorted by client id. */
  async connectedServices(accountId: string): Promise<string[]> {
    const grants = await this.deps.grants.grantsOf(accountId);
    return [...grants.keys()].sort();
  }

  /**
   * Withdraws every consent the account gave `clientId`; answers how many grants were revoked (0 when there was none,
   * which is not an error: the outcome the person wants holds either way).
   */
  async revokeConsent(accountId: string, clientId: string): Promise<{ revoked: number }> {
    const grantIds = (await this.deps.grants.grantsOf(accountId)).get(clientId) ?? [];
    for (const grantId of grantIds) await this.deps.grants.revoke(accountId, clientId, grantId);
    if (grantIds.length > 0) {
      this.deps.logger?.info({ event: 'consent.revoked', accountId, clientId, grants: grantIds.length }, 'consent.revoked');
      await this.deps.audit?.record({
        type: 'consent.revoked',
        accountId,
        actor: { kind: 'owner', id: accountId },
        clientId,
        details: { grants: grantIds.length },
        at: this.deps.clock.now(),
      });
    }
    return { revoked: grantIds.length };
  }
}
