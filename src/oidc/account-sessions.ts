import type Provider from 'oidc-provider';
import type { Adapter, AdapterPayload, Client } from 'oidc-provider';
import type { AccountSessions, SessionTermination } from '../domain/ports.js';
import type { OtherSessionsTerminator } from '../flows/account/account-context.js';
import type { Logger } from '../shared/logger.js';
import type { RedisAccountOidcIndex } from '../storage/account-oidc-index.js';

/** oidc-provider's Client sends back-channel logout (OpenID Connect Back-Channel Logout 1.0); its typings omit it. */
type LogoutCapableClient = Client & { backchannelLogout(sub: string, sid: string | undefined): Promise<void> };

interface SessionAuthorization {
  sid?: string;
  grantId?: string;
}

export interface ProviderAccountSessionsDeps {
  adapter: (model: string) => Adapter;
  index: RedisAccountOidcIndex;
  logger: Logger;
}

/**
 * Ends an account's presence everywhere (Decision 34 Art 10: a locked account is unusable at once): every Session
 * destroyed, every Grant revoked with its codes and tokens, and a logout token POSTed to each relying party of those
 * sessions that registered a `backchannel_logout_uri` (with `sid` when it asked for it). Grants that outlived their
 * session (refresh tokens) are revoked too; no logout token is sent for them, as there is no session to end.
 */
export class ProviderAccountSessions implements AccountSessions, OtherSessionsTerminator {
  private provider: Provider | undefined;

  constructor(private readonly deps: ProviderAccountSessionsDeps) {}

  /**
   * The provider signs the logout tokens with its keys. It is built after the container (server.ts), hence attached
   * then; without one (a script using the container alone) sessions and grants still end, no logout token is sent.
   */
  attachProvider(provider: Provider): void {
    this.provider = provider;
  }

  async terminateAll(accountId: string): Promise<SessionTermination> {
    const { adapter, index } = this.deps;
    const members = await index.members(accountId);
    const grantIds = new Set(members.filter((member) => member.model === 'Grant').map((member) => member.id));
    const logouts: { clientId: string; sid: string | undefined }[] = [];
    const sessions = adapter('Session');
    let sessionCount = 0;

    for (const member of members.filter((entry) => entry.model === 'Session')) {
      const session = await sessions.find(member.id);
      if (!session || session.accountId !== accountId) continue;
      sessionCount += 1;
      for (const [clientId, authorization] of Object.entries(authorizationsOf(session))) {
        if (authorization.grantId) grantIds.add(authorization.grantId);
        logouts.push({ clientId, sid: authorization.sid });
      }
      await sessions.destroy(member.id);
    }

    const grants = adapter('Grant');
    for (const grantId of grantIds) {
      // revokeByGrantId removes every code and token of the grant, whatever the model instance it is called on.
      await grants.revokeByGrantId?.(grantId);
      await grants.destroy(grantId);
    }
    await index.remove(accountId, members);
    const backchannelLogouts = await Promise.all(logouts.map((logout) => this.logOut(accountId, logout.clientId, logout.sid)));
    return {
      sessions: sessionCount,
      grants: grantIds.size,
      backchannelLogouts: backchannelLogouts.filter((outcome): outcome is { clientId: string; delivered: boolean } => outcome !== undefined),
    };
  }

  /**
   * After a password change (Decision 34 Art 12.1: the owner secures their credentials), whoever held the old password
   * is signed out everywhere but in the browser that changed it: every other Session ends, the grants made in those
   * sessions are revoked with their codes and tokens, and their relying parties get a back-channel logout. Grants held
   * outside any session (offline refresh tokens) stay: they are the owner's standing consents, withdrawn on the
   * services page.
   */
  async terminateOthers(accountId: string, keepSessionId: string | undefined): Promise<number> {
    const { adapter, index } = this.deps;
    const sessions = adapter('Session');
    const grants = adapter('Grant');
    const kept = keepSessionId === undefined ? undefined : await sessions.find(keepSessionId);
    const keptGrants = new Set(
      Object.values(kept ? authorizationsOf(kept) : {}).flatMap((authorization) => (authorization.grantId ? [authorization.grantId] : [])),
    );
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

  private async logOut(accountId: string, clientId: string, sid: string | undefined): Promise<{ clientId: string; delivered: boolean } | undefined> {
    if (!this.provider) {
      this.deps.logger.warn({ event: 'backchannel_logout.skipped', client: clientId }, 'backchannel_logout.skipped');
      return undefined;
    }
    // A suspended or removed client is not found, and is not told anything.
    const client = (await this.provider.Client.find(clientId)) as LogoutCapableClient | undefined;
    if (!client?.backchannelLogoutUri) return undefined;
    try {
      await client.backchannelLogout(accountId, sid);
      return { clientId, delivered: true };
    } catch (error) {
      this.deps.logger.warn(
        { event: 'backchannel_logout.failed', client: clientId, error: error instanceof Error ? error.message : 'unknown' },
        'backchannel_logout.failed',
      );
      return { clientId, delivered: false };
    }
  }
}

function authorizationsOf(session: AdapterPayload): Record<string, SessionAuthorization> {
  const value: unknown = (session as Record<string, unknown>).authorizations;
  return typeof value === 'object' && value !== null ? (value as Record<string, SessionAuthorization>) : {};
}

