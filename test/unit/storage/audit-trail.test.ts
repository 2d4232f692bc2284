import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { ManualClock } from '../../../src/shared/clock.js';
import { AuditRecordingError, RedisAuditTrail } from '../../../src/storage/audit-trail.js';
import { RedisKeys } from '../../../src/storage/keys.js';
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

const DAY = 86_400_000;

function trail(retentionDays = 1826, clock = new ManualClock(Date.now())): { trail: RedisAuditTrail; keys: RedisKeys; clock: ManualClock } {
  const keys = new RedisKeys(`audit${(prefixes += 1)}:`);
  return { trail: new RedisAuditTrail(redis, keys, { retentionDays, clock }), keys, clock };
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('the audit trail on Redis Streams', () => {
  it('lists an account\'s events newest first, a page at a time, and exports them all oldest first', async () => {
    const { trail: subject } = trail();
    for (let index = 0; index < 7; index += 1) {
      await subject.record({ type: 'sign_in.succeeded', accountId: 'acc-1', actor: { kind: 'owner', id: 'acc-1' }, clientId: 'rp', details: { level: 1, n: index } });
    }
    await subject.record({ type: 'sign_in.failed', actor: { kind: 'anonymous' }, details: { reason: 'invalid_credentials' } });
    await subject.record({ type: 'account.locked', accountId: 'acc-2', actor: { kind: 'agency', id: 'a' }, legalBasis: 'Decision 34 Art 10.2' });

    const first = await subject.listForAccount('acc-1', { limit: 3 });
    expect(first.events.map((event) => event.details?.n)).toEqual([6, 5, 4]);
    expect(first.nextCursor).toBeDefined();
    const second = await subject.listForAccount('acc-1', { limit: 3, before: first.nextCursor ?? '' });
    expect(second.events.map((event) => event.details?.n)).toEqual([3, 2, 1]);
    const last = await subject.listForAccount('acc-1', { limit: 3, before: second.nextCursor ?? '' });
    expect(last.events.map((event) => event.details?.n)).toEqual([0]);
    expect(last.nextCursor).toBeUndefined();

    const exported = await collect(subject.exportForAccount('acc-1'));
    expect(exported.map((event) => event.details?.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(exported.every((event) => event.accountId === 'acc-1' && typeof event.at === 'number' && /^\d+-\d+$/.test(event.id))).toBe(true);
  });

  it('keeps every event, in the order written, when one instance\'s clock lags behind another\'s', async () => {
    const keys = new RedisKeys(`audit${(prefixes += 1)}:`);
    const ahead = new RedisAuditTrail(redis, keys, { retentionDays: 30, clock: new ManualClock(Date.now() + 60_000) });
    const behind = new RedisAuditTrail(redis, keys, { retentionDays: 30, clock: new ManualClock(Date.now()) });
    const event = (n: number) => ({ type: 'sign_in.succeeded', accountId: 'acc-9', actor: { kind: 'owner', id: 'acc-9' }, details: { n } }) as const;
    await ahead.record(event(0));
    await behind.record(event(1));
    await behind.record(event(2));
    const exported = await collect(behind.exportForAccount('acc-9'));
    expect(exported.map((recorded) => recorded.details?.n)).toEqual([0, 1, 2]);
  });

  it('refuses detail keys that would hold a secret or biometric data, before writing anything', async () => {
    const { trail: subject, keys } = trail();
    for (const key of ['password', 'refresh_token', 'otp', 'portrait', 'client-secret', 'Code']) {
      await expect(subject.record({ type: 'sign_in.failed', accountId: 'acc-1', actor: { kind: 'anonymous' }, details: { [key]: 'x' } })).rejects.toBeInstanceOf(AuditRecordingError);
    }
    expect(await redis.exists(keys.auditAccount('acc-1'), keys.auditAll())).toBe(0);
  });

  it('trims events older than the retention as new ones are appended', async () => {
    const { trail: subject, keys, clock } = trail(30, new ManualClock(Date.now()));
    // Written "now" (stream ids are Redis time); the trail's clock then moves past the retention.
    for (let index = 0; index < 300; index += 1) await subject.record({ type: 'api.called', accountId: 'acc-1', actor: { kind: 'agency', id: 'a' } });
    clock.advance(31 * DAY);
    await subject.record({ type: 'api.called', accountId: 'acc-1', actor: { kind: 'agency', id: 'a' } });
    // MINID ~ trims whole macro nodes: most of the old entries go at once, never the new one.
    expect(await redis.xlen(keys.auditAccount('acc-1'))).toBeLessThan(301);
    const exported = await collect(subject.exportForAccount('acc-1'));
    expect(exported.length).toBeGreaterThanOrEqual(1);
  });
});
