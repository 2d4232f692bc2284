import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Notification } from '../../../src/domain/ports.js';
import { DevOutbox } from '../../../src/notifications/dev-outbox.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

/** The development outbox: what it keeps, how it is read, what it prints, and that production never gets one. */

class SmallOutboxKeys extends RedisKeys {
  override readonly devOutboxMaxMessages = 3;
}

const keys = new SmallOutboxKeys('outbox-test:');
const clock = new ManualClock(Date.UTC(2026, 2, 1, 0, 0, 0));
const logLines: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
let server: TestRedisServer;
let redis: Redis;
let outbox: DevOutbox;

const code = (to: string, value: string, channel: 'sms' | 'email' = 'sms'): Notification => ({
  channel,
  to,
  template: 'activation_code',
  locale: 'vi',
  params: { code: value, expiresInMinutes: '10' },
});

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  outbox = new DevOutbox({ environment: 'development', redis, keys, logger, clock });
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

beforeEach(async () => {
  await outbox.clear();
  logLines.length = 0;
});

describe('the development outbox', () => {
  it('is refused in production, whatever the caller passes', () => {
    expect(() => new DevOutbox({ environment: 'production', redis, keys, logger, clock })).toThrow(/refused in production/);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => new DevOutbox({ environment: 'development', redis, keys, logger, clock })).toThrow(/refused in production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('keeps each message rendered, newest first, stamped by the clock, only the latest few, expiring', async () => {
    for (const [index, value] of ['111111', '222222', '333333', '444444'].entries()) {
      clock.set(Date.UTC(2026, 2, 1, 0, index, 0));
      expect((await outbox.send(code('+84912345678', value))).ok).toBe(true);
    }
    const messages = await outbox.messages();
    expect(messages.map((message) => message.params.code)).toEqual(['444444', '333333', '222222']);
    expect(messages[0]).toEqual(
      expect.objectContaining({
        channel: 'sms',
        to: '+84912345678',
        template: 'activation_code',
        locale: 'vi',
        sentAt: '2026-03-01T00:03:00.000Z',
        text: 'Mã kích hoạt tài khoản: 444444, hiệu lực 10 phút. Không đưa mã cho ai.',
      }),
    );
    const ttl = await redis.pttl(keys.devOutbox());
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(keys.devOutboxTtlMs);
  });

  it('keeps the subject and both bodies of an email', async () => {
    await outbox.send(code('An@Example.vn', '555555', 'email'));
    const [message] = await outbox.messages();
    expect(message?.subject).toBe('Mã kích hoạt tài khoản định danh điện tử');
    expect(message?.text).toContain('555555');
    expect(message?.html).toContain('555555');
  });

  it('finds one recipient’s messages, however the number is spaced or the address is cased', async () => {
    await outbox.send(code('+84912345678', '111111'));
    await outbox.send(code('an@example.vn', '222222', 'email'));
    await outbox.send(code('+84987654321', '333333'));
    await outbox.send(code('+84912345678', '444444'));
    expect((await outbox.messages({ to: '+84 912 345 678' })).map((m) => m.params.code)).toEqual(['444444']);
    expect((await outbox.messages({ to: 'AN@example.VN' })).map((m) => m.params.code)).toEqual(['222222']);
    expect((await outbox.messages({ to: '+84900000000' }))).toEqual([]);
    expect((await outbox.messages({ limit: 1 })).map((m) => m.params.code)).toEqual(['444444']);
  });

  it('prints one line with the recipient and the text, code included (development only)', async () => {
    await outbox.send(code('+84912345678', '777777'));
    const notice = logLines.find((line) => line.event === 'notification.outboxed');
    expect(notice).toEqual(expect.objectContaining({ level: 'info', channel: 'sms', template: 'activation_code' }));
    expect(String(notice?.msg)).toBe(
      'dev outbox: sms to +84912345678 (activation_code, vi): Mã kích hoạt tài khoản: 777777, hiệu lực 10 phút. Không đưa mã cho ai.',
    );
    expect(String(notice?.msg)).not.toContain('\n');
  });
});
