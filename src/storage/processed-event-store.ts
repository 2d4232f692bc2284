import type { RedisConnection } from './redis-client.js';
import type { ProcessedEvents } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

/**
 * Ids of registry events already applied (Decision 34 Art 9), kept `retentionMs` so a redelivery within that time is
 * recognised. SET NX makes the claim atomic across instances.
 */
export class RedisProcessedEvents implements ProcessedEvents {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  async claim(eventId: string): Promise<'new' | 'duplicate'> {
    const reply = await failClosed(this.redis.set(this.keys.registryEventProcessed(eventId), '1', 'PX', this.retentionMs, 'NX'));
    return reply === 'OK' ? 'new' : 'duplicate';
  }

  async release(eventId: string): Promise<void> {
    await failClosed(this.redis.del(this.keys.registryEventProcessed(eventId)));
  }
}
