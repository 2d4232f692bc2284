import type { RedisConnection } from './redis-client.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

export interface IndexedModel {
  model: 'Session' | 'Grant';
  id: string;
}

/**
 * Reads the per-account index of Sessions and Grants that the oidc adapter keeps (storage/oidc-adapter.ts), so that a
 * lock can end them all. Members are removed only once handled: a failure half-way leaves the rest for a retry.
 */
export class RedisAccountOidcIndex {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async members(accountId: string): Promise<IndexedModel[]> {
    const members = await failClosed(this.redis.zrange(this.keys.oidcAccountIndex(accountId), '0', '-1'));
    return members.flatMap((member): IndexedModel[] => {
      const separator = member.indexOf(':');
      const model = member.slice(0, separator);
      const id = member.slice(separator + 1);
      return (model === 'Session' || model === 'Grant') && id ? [{ model, id }] : [];
    });
  }

  async remove(accountId: string, handled: IndexedModel[]): Promise<void> {
    if (handled.length === 0) return;
    await failClosed(this.redis.zrem(this.keys.oidcAccountIndex(accountId), ...handled.map(({ model, id }) => `${model}:${id}`)));
  }
}
