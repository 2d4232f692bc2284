import type { Redis } from 'ioredis';
import type { ClientSuspension, ClientSuspensions } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

/**
 * Suspended clients (Decision 34 Art 13.5) in one Redis hash, read on every authorization, token and API request by
 * every instance: a suspension holds everywhere at the next request, and a Redis outage refuses (fail closed).
 */
export class RedisClientSuspensions implements ClientSuspensions {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async isSuspended(clientId: string): Promise<boolean> {
    return (await failClosed(this.redis.hexists(this.keys.clientSuspensions(), clientId))) === 1;
  }

  async suspend(suspension: ClientSuspension): Promise<boolean> {
    const added = await failClosed(this.redis.hsetnx(this.keys.clientSuspensions(), suspension.clientId, JSON.stringify(suspension)));
    return added === 1;
  }

  async reinstate(clientId: string): Promise<boolean> {
    return (await failClosed(this.redis.hdel(this.keys.clientSuspensions(), clientId))) === 1;
  }

  async list(): Promise<ClientSuspension[]> {
    const stored = await failClosed(this.redis.hvals(this.keys.clientSuspensions()));
    return stored.map((json) => JSON.parse(json) as ClientSuspension).sort((a, b) => a.at - b.at);
  }
}
