import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { randomId } from '../../../src/shared/ids.js';
import { RedisAccountScan } from '../../../src/storage/account-scan.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

/**
 * The reconciliation's walk over account records on one Redis node (the cluster's walk over every master is in
 * redis-cluster.test.ts): it continues where the previous pass stopped, whichever instance runs it, and says when it
 * has been round once.
 */
let server: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});
afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe('RedisAccountScan on one node', () => {
  it('reports every account record once per round, across passes and instances, and no login claim', async () => {
    const keys = new RedisKeys('scan1:');
    const accountIds = Array.from({ length: 300 }, () => randomId());
    await Promise.all(accountIds.map((id) => redis.set(keys.account(id), '{}')));
    await redis.set(keys.accountLogin('citizen:001190000001'), accountIds[0] ?? '');

    // Two instances share the cursor in Redis: passes alternate between them.
    const instances = [new RedisAccountScan(redis, keys), new RedisAccountScan(redis, keys)];
    const seen: string[] = [];
    let passes = 0;
    for (;;) {
      const { accountIds: batch, wrapped } = await (instances[passes % 2] as RedisAccountScan).next(40);
      passes += 1;
      seen.push(...batch);
      if (wrapped || passes > 100) break;
    }
    expect(new Set(seen)).toEqual(new Set(accountIds));
    expect(passes).toBeGreaterThan(1);
    await expect(redis.get(keys.registryReconcileCursor())).resolves.toBe('0');
  });
});
