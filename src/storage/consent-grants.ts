import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { ConsentGrants } from '../domain/ports.js';
import type { RedisAccountOidcIndex } from './account-oidc-index.js';

const stringField = (payload: AdapterPayload | undefined | void, name: string): string => {
  const value: unknown = payload ? (payload as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
};

/**
 * The consents (oidc-provider Grants) an account gave, found through the per-account index the oidc adapter keeps
 * (storage/account-oidc-index.ts; the adapter writes it in the same step as the Grant, so no consent exists that this
 * cannot find). Revoking destroys the Grant and every code and token issued under it, the clean-up oidc-provider does
 * when it revokes a grant itself; the session that remembered the grant then finds nothing, so the next sign-in to that
 * relying party asks for consent again.
 */
export class RedisConsentGrants implements ConsentGrants {
  private readonly grants: Adapter;

  constructor(
    private readonly index: RedisAccountOidcIndex,
    /** The provider's adapter factory (storage/oidc-adapter.ts). */
    adapters: AdapterFactory,
  ) {
    this.grants = adapters('Grant');
  }

  async grantsOf(accountId: string): Promise<Map<string, string[]>> {
    const members = (await this.index.members(accountId)).filter((member) => member.model === 'Grant');
    const found = await Promise.all(members.map(async ({ id }) => ({ id, payload: await this.grants.find(id) })));
    const byClient = new Map<string, string[]>();
    for (const { id, payload } of found) {
      // Expired or destroyed grants are simply not found; the index drops expired members by itself.
      if (stringField(payload, 'accountId') !== accountId) continue;
      const clientId = stringField(payload, 'clientId');
      if (clientId) byClient.set(clientId, [...(byClient.get(clientId) ?? []), id]);
    }
    return byClient;
  }

  async revoke(accountId: string, clientId: string, grantId: string): Promise<void> {
    const payload = await this.grants.find(grantId);
    // Only the account's own grant for that client: an index entry never lets one account revoke another's grant.
    if (payload && stringField(payload, 'accountId') === accountId && stringField(payload, 'clientId') === clientId) {
      // revokeByGrantId removes every code and token of the grant, whatever the model it is called on.
      await this.grants.revokeByGrantId(grantId);
      await this.grants.destroy(grantId);
    }
    await this.index.remove(accountId, [{ model: 'Grant', id: grantId }]);
  }
}
