import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import type { ClientSuspension } from '../../../src/domain/ports.js';
import { RedisClientSuspensions, SUSPENSIONS_MAX_AGE_MS } from '../../../src/storage/client-suspension-store.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { createRedisClient } from '../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../support/redis-server.js';

/**
 * Decision 34 Art 13.5: a suspension stops the relying party in every instance within one second. Each instance reads
 * the suspended set at most once per SUSPENSIONS_MAX_AGE_MS (storage/client-suspension-store.ts); these tests move that
 * instance's elapsed time by hand instead of waiting.
 */
let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

/** A hand-moved monotonic counter, as each instance has its own. */
class Elapsed {
  ms = 0;
  readonly read = (): number => this.ms;
}

const suspensionOf = (clientId: string): ClientSuspension => ({ clientId, reason: 'TLS fails the requirements', suspendedBy: 'operator', at: 1 });

/** Two provider instances sharing one Redis, each with its own store and clock. */
function twoInstances() {
  const keys = new RedisKeys(`suspensions${(prefixes += 1)}:`);
  const clocks = { a: new Elapsed(), b: new Elapsed() };
  return {
    keys,
    clocks,
    a: new RedisClientSuspensions(redis, keys, { elapsedMs: clocks.a.read }),
    b: new RedisClientSuspensions(redis, keys, { elapsedMs: clocks.b.read }),
  };
}

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('suspended relying parties across instances', () => {
  it('is well inside the one second the operator is promised', () => {
    expect(SUSPENSIONS_MAX_AGE_MS).toBeLessThanOrEqual(500);
  });

  it('holds at once in the instance that suspends, and in every other within the read interval', async () => {
    const { a, b, clocks } = twoInstances();
    await expect(a.isSuspended('rp-1')).resolves.toBe(false);
    await expect(b.isSuspended('rp-1')).resolves.toBe(false);

    await expect(a.suspend(suspensionOf('rp-1'))).resolves.toBe(true);
    await expect(a.isSuspended('rp-1')).resolves.toBe(true);

    clocks.b.ms += SUSPENSIONS_MAX_AGE_MS;
    await expect(b.isSuspended('rp-1')).resolves.toBe(true);
    await expect(b.isSuspended('rp-2')).resolves.toBe(false);
  });

  it('lifts at once in the instance that reinstates, and in every other within the read interval', async () => {
    const { a, b, clocks } = twoInstances();
    await a.suspend(suspensionOf('rp-1'));
    await expect(b.isSuspended('rp-1')).resolves.toBe(true);

    await expect(a.reinstate('rp-1')).resolves.toBe(true);
    await expect(a.isSuspended('rp-1')).resolves.toBe(false);

    clocks.b.ms += SUSPENSIONS_MAX_AGE_MS;
    await expect(b.isSuspended('rp-1')).resolves.toBe(false);
  });

  it('sees a suspension written straight into Redis (another version, an operator tool) within the interval', async () => {
    const { a, keys, clocks } = twoInstances();
    await expect(a.isSuspended('rp-1')).resolves.toBe(false);
    await redis.hset(keys.clientSuspensions(), 'rp-1', JSON.stringify(suspensionOf('rp-1')));
    clocks.a.ms += SUSPENSIONS_MAX_AGE_MS;
    await expect(a.isSuspended('rp-1')).resolves.toBe(true);
  });

  it('asks Redis on every call when the interval is 0', async () => {
    const keys = new RedisKeys(`suspensions${(prefixes += 1)}:`);
    const store = new RedisClientSuspensions(redis, keys, { maxAgeMs: 0, elapsedMs: () => 0 });
    await expect(store.isSuspended('rp-1')).resolves.toBe(false);
    await redis.hset(keys.clientSuspensions(), 'rp-1', JSON.stringify(suspensionOf('rp-1')));
    await expect(store.isSuspended('rp-1')).resolves.toBe(true);
  });

  it('lists suspensions oldest first, and says whether a suspension or reinstatement changed anything', async () => {
    const { a } = twoInstances();
    await a.suspend({ ...suspensionOf('rp-2'), at: 20 });
    await expect(a.suspend({ ...suspensionOf('rp-1'), at: 10 })).resolves.toBe(true);
    await expect(a.suspend({ ...suspensionOf('rp-1'), at: 30 })).resolves.toBe(false);
    await expect(a.list()).resolves.toMatchObject([{ clientId: 'rp-1', at: 10 }, { clientId: 'rp-2', at: 20 }]);
    await expect(a.reinstate('rp-3')).resolves.toBe(false);
  });
});

describe('suspended relying parties while Redis is down', () => {
  it('refuses (fail closed) once the last read is older than the interval, and answers again when Redis is back', async () => {
    const outage = await TestRedisServer.start();
    const client = createRedisClient({ url: outage.url, commandTimeoutMs: 300, connectTimeoutMs: 300 });
    client.on('error', () => undefined);
    const elapsed = new Elapsed();
    const store = new RedisClientSuspensions(client, new RedisKeys('outage:'), { elapsedMs: elapsed.read });
    try {
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      await expect(store.isSuspended('rp-1')).resolves.toBe(false);

      await outage.stop();
      elapsed.ms += SUSPENSIONS_MAX_AGE_MS;
      await expect(store.isSuspended('rp-1')).rejects.toBeInstanceOf(DependencyUnavailableError);
      // A suspension that cannot be recorded is reported, and the next question still goes to Redis.
      await expect(store.suspend(suspensionOf('rp-1'))).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(store.isSuspended('rp-1')).rejects.toBeInstanceOf(DependencyUnavailableError);

      await outage.start();
      await new Promise<void>((resolve) => (client.status === 'ready' ? resolve() : client.once('ready', () => resolve())));
      await expect(store.isSuspended('rp-1')).resolves.toBe(false);
    } finally {
      client.disconnect();
      await outage.destroy();
    }
  });
});
