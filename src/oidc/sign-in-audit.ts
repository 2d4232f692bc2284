import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AuditTrail } from '../domain/audit.js';
import { levelForAcr, type AcrNames } from '../domain/levels.js';
import { addressPrefix } from '../domain/network-location.js';
import type { Logger } from '../shared/logger.js';

/**
 * Records each use of an account at a relying party (every authorization answered with a code, with or without a new
 * password entry) in the audit trail: the owner's "where it was used" (Decision 34 Art 12.1.dd) and the usage history
 * kept 5 years (later rules). The response has already been decided, so a trail that cannot be written is logged, not
 * turned into a failed sign-in.
 */
export function auditSignIns(provider: Provider, audit: AuditTrail, acrNames: AcrNames, logger: Logger): void {
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return;
    const level = ctx.oidc.session?.acr ? levelForAcr(ctx.oidc.session.acr, acrNames) : undefined;
    const location = addressPrefix(ctx.ip);
    audit
      .record({
        type: 'sign_in.succeeded',
        accountId,
        actor: { kind: 'owner', id: accountId },
        ...(ctx.oidc.client ? { clientId: ctx.oidc.client.clientId } : {}),
        ...(location ? { location } : {}),
        details: { level: level ?? 1 },
      })
      .catch((error: unknown) => logger.warn({ error: { message: (error as Error).message } }, 'audit.write_failed'));
  });
}
