import type Provider from 'oidc-provider';
import type { Adapter, AdapterPayload, Client } from 'oidc-provider';
import type { OtherSessionsTerminator } from '../flows/account/account-context.js';
import type { Logger } from '../shared/logger.js';
import type { RedisAccountOidcIndex } from '../storage/account-oidc-index.js';

/** oidc-provider's Client sends back-channel logout (OpenID Connect Back-Channel Logout 1.0); its typings omit it. */
type LogoutCapableClient = Client & { backchannelLogout(sub: string, sid: string | undefined): Promise<void> };

interface SessionAuthorization {
  sid?: string;
  grantId?: string;
}

export interface ProviderOtherSessionsDeps {
  adapter: (model: string) => Adapter;
  index: RedisAccountOidcIndex;
  logger: Logger;
}

/**
 * After a password change (Decision 34 Art 12.1: the owner secures their credentials), whoever held the old password
 * must be signed out everywhere but in the browser that changed it: every other Session of the account is destroyed,
 * the grants made in those sessions are revoked with their codes and tokens, and their relying parties are told by
 * back-channel logout when they registered for it. Grants a relying party holds outside any session (offline refresh
 * tokens) are left alone: they are the owner's standing consents, withdrawn on the services page.
 *
 * Sessions are found through the per-account index the oidc adapter keeps (storage/account-oidc-index.ts).
 */
export class ProviderOtherSessions implements OtherSessionsTerminator {
  private provider: Provider | undefined;

  constructor(private readonly deps: ProviderOtherSessionsDeps) {}

  /**
   * The provider signs the logout tokens with its keys; it is built after the container (server.ts), hence attached
   * then. Without one, sessions and grants still end and no logout token is sent.
   */
  attachProvider(provider: Provider): void {
    this.provider = provider;
  }

  async terminateOthers(accountId: string, keepSessionId: string | undefined): Promise<number> {
    const { adapter, index } = this.deps;
    const sessions = adapter('Session');
    const grants = adapter('Grant');
    const kept = keepSessionId === undefined ? undefined : ((await sessions.find(keepSessionId)) ?? undefined);
    const keptGrants = new Set(Object.values(authorizationsOf(kept)).flatMap((authorization) => (authorization.grantId ? [authorization.grantId] : [])));
    const handled = [];
    let ended = 0;
    const logouts: { clientId: string; sid: string | undefined }[] = [];
    for (const member of await index.members(accountId)) {
      if (member.model !== 'Session' || member.id === keepSessionId) continue;
      const session = await sessions.find(member.id);
      handled.push(member);
      if (!session || session.accountId !== accountId) continue;
      ended += 1;
      for (const [clientId, authorization] of Object.entries(authorizationsOf(session))) {
        if (authorization.grantId && !keptGrants.has(authorization.grantId)) {
          // revokeByGrantId removes every code and token of the grant, whatever the model instance it is called on.
          await grants.revokeByGrantId?.(authorization.grantId);
          await grants.destroy(authorization.grantId);
        }
        logouts.push({ clientId, sid: authorization.sid });
      }
      await sessions.destroy(member.id);
    }
    await index.remove(accountId, handled);
    await Promise.all(logouts.map((logout) => this.logOut(accountId, logout.clientId, logout.sid)));
    return ended;
  }

  private async logOut(accountId: string, clientId: string, sid: string | undefined): Promise<void> {
    // A suspended or removed client is not found, and is not told anything.
    if (!this.provider) return;
    const client = (await this.provider.Client.find(clientId)) as LogoutCapableClient | undefined;
    if (!client?.backchannelLogoutUri) return;
    try {
      await client.backchannelLogout(accountId, sid);
    } catch (error) {
      this.deps.logger.warn(
        { event: 'backchannel_logout.failed', client: clientId, error: error instanceof Error ? error.message : 'unknown' },
        'backchannel_logout.failed',
      );
    }
  }
}

function authorizationsOf(session: AdapterPayload | undefined): Record<string, SessionAuthorization> {
  const value: unknown = session === undefined ? undefined : (session as Record<string, unknown>).authorizations;
  return typeof value === 'object' && value !== null ? (value as Record<string, SessionAuthorization>) : {};
}
