import type { Redis } from 'ioredis';
import type { AccountEnumeration } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

/**
 * Walks the account records with SCAN (never KEYS: it would block Redis), keeping the cursor in Redis so that each
 * reconciliation pass continues where the previous one stopped, whichever instance runs it. SCAN may return a key
 * twice across a walk; reconciling an account twice is harmless. On Redis Cluster this walks the node the client is
 * connected to; a cluster deployment runs one walk per master.
 */
export class RedisAccountScan implements AccountEnumeration {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async next(count: number): Promise<{ accountIds: string[]; wrapped: boolean }> {
    const cursorKey = this.keys.registryReconcileCursor();
    let cursor = (await failClosed(this.redis.get(cursorKey))) ?? '0';
    const pattern = this.keys.accountRecordPattern();
    const prefix = pattern.slice(0, pattern.indexOf('{') + 1);
    const accountIds: string[] = [];
    let wrapped = false;
    // A bounded number of SCAN calls: sparse keyspaces return few matches per call.
    for (let call = 0; call < 100 && accountIds.length < count; call += 1) {
      const [nextCursor, found] = await failClosed(this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', Math.max(count, 100)));
      for (const key of found) {
        if (key.startsWith(prefix) && key.endsWith('}')) accountIds.push(key.slice(prefix.length, -1));
      }
      cursor = nextCursor;
      if (cursor === '0') {
        wrapped = true;
        break;
      }
    }
    await failClosed(this.redis.set(cursorKey, cursor));
    return { accountIds, wrapped };
  }
}
