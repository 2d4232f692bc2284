import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import { RedisFailureThrottle, type FailureThrottleRule } from '../../../src/storage/failure-throttle.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { waitUntilConnected } from '../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let other: Redis;
let prefixes = 0;
const freshKeys = (): RedisKeys => new RedisKeys(`throttle${(prefixes += 1)}:`);

const rule: FailureThrottleRule = { freeFailures: 3, baseDelaySeconds: 30, maxDelaySeconds: 100, disableAfterFailures: 6, windowSeconds: 3_600 };

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  other = server.client();
  await Promise.all([waitUntilConnected(redis, 5000), waitUntilConnected(other, 5000)]);
});
afterAll(async () => {
  redis.disconnect();
  other.disconnect();
  await server.destroy();
});

describe('RedisFailureThrottle', () => {
  it('lets the free failures through, then makes each attempt wait longer, then disables until recovered', async () => {
    const throttle = new RedisFailureThrottle(redis, freshKeys(), 'test', rule);
    const verdicts = [];
    for (let failure = 1; failure <= 6; failure += 1) verdicts.push(await throttle.recordFailure('name'));
    expect(verdicts).toEqual([
      { kind: 'allowed' },
      { kind: 'allowed' },
      { kind: 'wait', retryAfterSeconds: 30 },
      { kind: 'wait', retryAfterSeconds: 60 },
      { kind: 'wait', retryAfterSeconds: 100 },
      { kind: 'disabled' },
    ]);
    await expect(throttle.check('name')).resolves.toEqual({ kind: 'disabled' });
    // A success cannot happen while disabled; clearing the count does not lift it, only the owner's recovery does.
    await throttle.clear('name');
    await expect(throttle.check('name')).resolves.toEqual({ kind: 'disabled' });
    await throttle.recover('name');
    await expect(throttle.check('name')).resolves.toEqual({ kind: 'allowed' });
    await expect(throttle.failureCount('name')).resolves.toBe(0);
  });

  it('says how long is left to wait, and keys are independent', async () => {
    const throttle = new RedisFailureThrottle(redis, freshKeys(), 'test', rule);
    for (let failure = 1; failure <= 3; failure += 1) await throttle.recordFailure('a');
    const waiting = await throttle.check('a');
    expect(waiting.kind).toBe('wait');
    expect(waiting.kind === 'wait' && waiting.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    await expect(throttle.check('b')).resolves.toEqual({ kind: 'allowed' });
  });

  it('clears the count after a success and says how many failures it ended', async () => {
    const throttle = new RedisFailureThrottle(redis, freshKeys(), 'test', rule);
    await throttle.recordFailure('k');
    await throttle.recordFailure('k');
    await expect(throttle.clear('k')).resolves.toBe(2);
    await expect(throttle.failureCount('k')).resolves.toBe(0);
    await expect(throttle.clear('k')).resolves.toBe(0);
  });

  it('is shared by every instance: failures counted by two clients add up', async () => {
    const keys = freshKeys();
    const first = new RedisFailureThrottle(redis, keys, 'shared', rule);
    const second = new RedisFailureThrottle(other, keys, 'shared', rule);
    await Promise.all([first.recordFailure('k'), second.recordFailure('k'), first.recordFailure('k'), second.recordFailure('k')]);
    await expect(first.failureCount('k')).resolves.toBe(4);
    expect((await second.check('k')).kind).toBe('wait');
  });

  it('fails closed when Redis cannot answer', async () => {
    const lost = server.client();
    await waitUntilConnected(lost, 5000);
    const throttle = new RedisFailureThrottle(lost, freshKeys(), 'test', rule);
    lost.disconnect();
    await expect(throttle.check('k')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(throttle.recordFailure('k')).rejects.toBeInstanceOf(DependencyUnavailableError);
    // A success's clean-up cannot read "no failures" from a Redis that did not answer.
    await expect(throttle.clear('k')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
