import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { waitUntilConnected } from '../../../src/storage/redis-client.js';
import { createRegistrationLimiters, RedisRateLimiter, type RateLimitRule } from '../../../src/storage/rate-limiter.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let other: Redis;
let prefixes = 0;

const freshKeys = (): RedisKeys => new RedisKeys(`limits${(prefixes += 1)}:`);

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  other = server.client();
  // The limiter refuses at once while its client is not connected (fail closed), so wait as start-up does.
  await Promise.all([waitUntilConnected(redis, 5000), waitUntilConnected(other, 5000)]);
});

afterAll(async () => {
  redis.disconnect();
  other.disconnect();
  await server.destroy();
});

describe('RedisRateLimiter', () => {
  it('lets `points` attempts through per key and refuses the next ones', async () => {
    const limiter = new RedisRateLimiter(redis, freshKeys(), 'test', { points: 3, windowSeconds: 60 });
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await limiter.consume('key-a'));
    expect(results).toEqual([true, true, true, false, false]);
    // Another key has its own count.
    await expect(limiter.consume('key-b')).resolves.toBe(true);
  });

  it('is shared by every instance: two processes on the same Redis count together', async () => {
    const keys = freshKeys();
    const rule: RateLimitRule = { points: 4, windowSeconds: 60 };
    const first = new RedisRateLimiter(redis, keys, 'shared', rule);
    const second = new RedisRateLimiter(other, keys, 'shared', rule);
    const results = await Promise.all([
      first.consume('k'),
      second.consume('k'),
      first.consume('k'),
      second.consume('k'),
      first.consume('k'),
      second.consume('k'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(4);
  });

  it('tells whether a key has attempts left without counting one', async () => {
    const limiter = new RedisRateLimiter(redis, freshKeys(), 'peek', { points: 2, windowSeconds: 60 });
    await expect(limiter.allows('k')).resolves.toBe(true);
    await limiter.consume('k');
    await expect(limiter.allows('k')).resolves.toBe(true);
    await limiter.consume('k');
    await expect(limiter.allows('k')).resolves.toBe(false);
  });

  it('gives an attempt back when what it counted did not happen', async () => {
    const limiter = new RedisRateLimiter(redis, freshKeys(), 'refund', { points: 1, windowSeconds: 60 });
    await expect(limiter.consume('k')).resolves.toBe(true);
    await limiter.refund('k');
    await expect(limiter.consume('k')).resolves.toBe(true);
    await expect(limiter.consume('k')).resolves.toBe(false);
  });

  it('keeps its counters under the configured prefix, expiring with the window or the block', async () => {
    const keys = freshKeys();
    const limiter = new RedisRateLimiter(redis, keys, 'ttl', { points: 1, windowSeconds: 60, blockSeconds: 3600 });
    await limiter.consume('pseudonym');
    const counter = `${keys.rateLimit('ttl')}:pseudonym`;
    const windowTtl = await redis.pttl(counter);
    expect(windowTtl).toBeGreaterThan(0);
    expect(windowTtl).toBeLessThanOrEqual(60_000);
    await limiter.consume('pseudonym');
    const blockTtl = await redis.pttl(counter);
    expect(blockTtl).toBeGreaterThan(60_000);
    expect(blockTtl).toBeLessThanOrEqual(3_600_000);
    await expect(limiter.allows('pseudonym')).resolves.toBe(false);
  });

  it('builds the four registration limits with their own counters', async () => {
    const keys = freshKeys();
    const rule = { points: 1, windowSeconds: 60 };
    const limiters = createRegistrationLimiters(redis, keys, {
      registryMatchesPerIdentity: rule,
      registryMatchesPerIp: rule,
      codeSendsPerContact: rule,
      wrongCodesPerAccount: rule,
    });
    for (const limiter of Object.values(limiters)) await expect(limiter.consume('same-key')).resolves.toBe(true);
    expect(new Set(Object.values(limiters).map((limiter) => limiter.name)).size).toBe(4);
  });

  it('refuses nonsense rules at start-up', () => {
    expect(() => new RedisRateLimiter(redis, freshKeys(), 'bad', { points: 0, windowSeconds: 60 })).toThrow('points');
    expect(() => new RedisRateLimiter(redis, freshKeys(), 'bad', { points: 1, windowSeconds: 0 })).toThrow('windowSeconds');
  });

  it('fails closed: DependencyUnavailableError, never an attempt let through, while Redis is unreachable', async () => {
    const closed = new Redis(server.url, { lazyConnect: true, enableOfflineQueue: false });
    const limiter = new RedisRateLimiter(closed, freshKeys(), 'down', { points: 100, windowSeconds: 60 });
    await expect(limiter.consume('k')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(limiter.allows('k')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(limiter.refund('k')).rejects.toBeInstanceOf(DependencyUnavailableError);
    closed.disconnect();
  });
});
