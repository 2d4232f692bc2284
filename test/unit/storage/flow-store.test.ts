import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisFlowStore } from '../../../src/storage/flow-store.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

interface Flow {
  id: string;
  state: string;
  count: number;
}

let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

function setUp(client: Redis = redis) {
  const keys = new RedisKeys(`flows${(prefixes += 1)}:`);
  return { keys, store: new RedisFlowStore<Flow>(client, keys, 'registration') };
}

const flow = (overrides: Partial<Flow> = {}): Flow => ({ id: randomId(), state: 'awaiting_code', count: 0, ...overrides });

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('RedisFlowStore', () => {
  it('stores a flow with its expiry and reads it back at revision 1', async () => {
    const { store, keys } = setUp();
    const created = flow();
    await store.create(created, 7 * 86_400_000);
    await expect(store.load(created.id)).resolves.toEqual({ flow: created, revision: 1 });
    const ttl = await redis.pttl(keys.flow('registration', created.id));
    expect(ttl).toBeGreaterThan(7 * 86_400_000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it('answers undefined for an unknown or deleted flow', async () => {
    const { store } = setUp();
    await expect(store.load('no-such-flow')).resolves.toBeUndefined();
    const created = flow();
    await store.create(created, 60_000);
    await store.delete(created.id);
    await expect(store.load(created.id)).resolves.toBeUndefined();
  });

  it('replaces a flow only at the revision it was read at (compare-and-set)', async () => {
    const { store } = setUp();
    const created = flow();
    await store.create(created, 60_000);
    await expect(store.replace({ ...created, count: 1 }, 1, 60_000)).resolves.toBe(true);
    // A writer that read revision 1 too is refused, and its change is not stored.
    await expect(store.replace({ ...created, count: 99 }, 1, 60_000)).resolves.toBe(false);
    await expect(store.load(created.id)).resolves.toEqual({ flow: { ...created, count: 1 }, revision: 2 });
  });

  it('counts every one of many simultaneous increments when writers retry on conflict', async () => {
    const { store } = setUp();
    const created = flow();
    await store.create(created, 60_000);
    const increment = async (): Promise<void> => {
      for (;;) {
        const stored = await store.load(created.id);
        if (!stored) throw new Error('flow vanished');
        if (await store.replace({ ...stored.flow, count: stored.flow.count + 1 }, stored.revision, 60_000)) return;
      }
    };
    await Promise.all(Array.from({ length: 25 }, increment));
    expect((await store.load(created.id))?.flow.count).toBe(25);
  });

  it('never resurrects a flow that expired or was deleted', async () => {
    const { store } = setUp();
    const created = flow();
    await store.create(created, 60_000);
    await store.delete(created.id);
    await expect(store.replace(created, 1, 60_000)).resolves.toBe(false);
    await expect(store.load(created.id)).resolves.toBeUndefined();
  });

  it('sets the new lifetime on every write (a completed flow is kept briefly)', async () => {
    const { store, keys } = setUp();
    const created = flow();
    await store.create(created, 7 * 86_400_000);
    await store.replace({ ...created, state: 'completed' }, 1, 15 * 60_000);
    expect(await redis.pttl(keys.flow('registration', created.id))).toBeLessThanOrEqual(15 * 60_000);
  });

  it('refuses a reused id and a lifetime that is already over', async () => {
    const { store } = setUp();
    const created = flow();
    await store.create(created, 60_000);
    await expect(store.create(created, 60_000)).rejects.toThrow('already in use');
    await expect(store.create(flow(), 0)).rejects.toThrow('positive lifetime');
  });

  it('fails with DependencyUnavailableError, never "no such flow", while Redis is unreachable', async () => {
    const closed = new Redis(server.url, { lazyConnect: true, enableOfflineQueue: false });
    const { store } = setUp(closed);
    await expect(store.load('x'.repeat(22))).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.create(flow(), 60_000)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.replace(flow(), 1, 60_000)).rejects.toBeInstanceOf(DependencyUnavailableError);
    closed.disconnect();
  });
});
