import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { AccountLock } from '../../../src/domain/lock.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { RedisLockLedger } from '../../../src/storage/lock-ledger.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

const ledger = (): RedisLockLedger => new RedisLockLedger(redis, new RedisKeys(`ledger${(prefixes += 1)}:`));

const lock = (id: string, at: number): AccountLock => ({
  id,
  accountId: 'acc-1',
  reason: 'agency_request',
  requestedBy: { kind: 'agency', id: 'agency-a' },
  legalBasis: 'Decision 34 Art 10.2',
  at,
});

describe('the lock ledger in Redis (Decision 34 Art 10, 11)', () => {
  it('is locked while any lock is open, and unlocked once the last is lifted', async () => {
    const subject = ledger();
    expect(await subject.isLocked('acc-1')).toBe(false);
    await subject.open(lock('a', 2));
    await subject.open(lock('b', 1));
    expect(await subject.isLocked('acc-1')).toBe(true);
    expect((await subject.openLocks('acc-1')).map((open) => open.id)).toEqual(['b', 'a']);

    expect(await subject.lift({ ...lock('a', 2), liftedBy: { kind: 'agency', id: 'agency-a' }, liftedAt: 3, liftBasis: 'Decision 34 Art 11.2' })).toBe(true);
    expect(await subject.isLocked('acc-1')).toBe(true);
    expect(await subject.lift({ ...lock('b', 1), liftedBy: { kind: 'agency', id: 'agency-a' }, liftedAt: 4, liftBasis: 'Decision 34 Art 11.2' })).toBe(true);
    expect(await subject.isLocked('acc-1')).toBe(false);
    expect((await subject.history('acc-1', 10)).map((lifted) => [lifted.id, lifted.liftedAt])).toEqual([['b', 4], ['a', 3]]);
  });

  it('records one restoration when two lifts of the same lock race', async () => {
    const subject = ledger();
    await subject.open(lock('a', 1));
    const lifted = { ...lock('a', 1), liftedBy: { kind: 'agency' as const, id: 'agency-a' }, liftedAt: 2, liftBasis: 'x' };
    const outcomes = await Promise.all([subject.lift(lifted), subject.lift(lifted), subject.lift(lifted)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await subject.history('acc-1', 10)).toHaveLength(1);
  });

  it('updates an open lock only while it is open', async () => {
    const subject = ledger();
    await subject.open(lock('a', 1));
    expect(await subject.update({ ...lock('a', 1), note: 'remedied' })).toBe(true);
    expect((await subject.openLocks('acc-1'))[0]?.note).toBe('remedied');
    expect(await subject.update({ ...lock('zz', 1) })).toBe(false);
    expect(await subject.isLocked('acc-2')).toBe(false);
  });

  it('keeps locks without expiry (durable until lifted)', async () => {
    const keys = new RedisKeys(`ledger${(prefixes += 1)}:`);
    const subject = new RedisLockLedger(redis, keys);
    await subject.open(lock('a', 1));
    expect(await redis.pttl(keys.lockOpen('acc-1'))).toBe(-1);
  });
});
