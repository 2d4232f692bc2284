import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { RedisKeys } from '../../../src/storage/keys.js';
import { waitUntilConnected } from '../../../src/storage/redis-client.js';
import { RedisTotpStore } from '../../../src/storage/totp-store.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let store: RedisTotpStore;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  await waitUntilConnected(redis, 5000);
  store = new RedisTotpStore(redis, new RedisKeys('totp-test:'));
});
afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('RedisTotpStore', () => {
  it('enrols only the pending secret the owner confirmed', async () => {
    await store.savePending('a1', 'sealed-1', 60_000);
    await store.savePending('a1', 'sealed-2', 60_000);
    // The page was reloaded with a new key meanwhile: the first one is no longer the one waiting.
    await expect(store.confirm('a1', 'sealed-1', 100, 1)).resolves.toBe(false);
    await expect(store.confirm('a1', 'sealed-2', 100, 1)).resolves.toBe(true);
    await expect(store.find('a1')).resolves.toEqual({ sealedSecret: 'sealed-2', lastUsedStep: 100, enrolledAt: 1 });
    await expect(store.pending('a1')).resolves.toBeUndefined();
  });

  it('accepts each time step once, in order, even when two requests race with the same code', async () => {
    await store.savePending('a2', 'sealed', 60_000);
    await store.confirm('a2', 'sealed', 100, 1);
    await expect(store.useStep('a2', 'sealed', 100)).resolves.toBe(false);
    const race = await Promise.all([store.useStep('a2', 'sealed', 101), store.useStep('a2', 'sealed', 101)]);
    expect(race.filter(Boolean)).toHaveLength(1);
    await expect(store.useStep('a2', 'sealed', 100)).resolves.toBe(false);
    await expect(store.useStep('a2', 'sealed', 102)).resolves.toBe(true);
    // A code checked against a secret that was replaced meanwhile does not count.
    await expect(store.useStep('a2', 'other-sealed', 103)).resolves.toBe(false);
  });

  it('forgets the enrolment and any pending secret on removal', async () => {
    await store.savePending('a3', 'sealed', 60_000);
    await store.confirm('a3', 'sealed', 5, 1);
    await store.savePending('a3', 'next', 60_000);
    await expect(store.remove('a3')).resolves.toBe(true);
    await expect(store.find('a3')).resolves.toBeUndefined();
    await expect(store.pending('a3')).resolves.toBeUndefined();
    await expect(store.remove('a3')).resolves.toBe(false);
  });
});
