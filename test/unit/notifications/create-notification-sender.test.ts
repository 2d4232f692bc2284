import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { NotificationsConfig } from '../../../src/config/notifications-config.js';
import type { Notification } from '../../../src/domain/ports.js';
import { createNotificationSender, type NotificationDependencies } from '../../../src/notifications/create-notification-sender.js';
import { DevOutbox } from '../../../src/notifications/dev-outbox.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { FakeSmsGateway } from '../../support/fake-sms-gateway.js';
import { LoopbackSmtpServer } from '../../support/loopback-smtp-server.js';
import { TestRedisServer } from '../../support/redis-server.js';

/** The factory container.ts calls: the configured mode decides where messages go. */

let server: TestRedisServer;
let redis: Redis;
let relay: LoopbackSmtpServer;
let gateway: FakeSmsGateway;
let dependencies: NotificationDependencies;

const notification = (channel: 'sms' | 'email', to: string): Notification => ({
  channel,
  to,
  template: 'activation_code',
  locale: 'vi',
  params: { code: '246810', expiresInMinutes: '5' },
});

function settings(overrides: (config: NotificationsConfig) => void = () => undefined): NotificationsConfig {
  const config = new NotificationsConfig();
  overrides(config);
  return config;
}

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  relay = await LoopbackSmtpServer.start();
  gateway = await FakeSmsGateway.start();
  dependencies = { redis, keys: new RedisKeys('factory-test:'), logger: createLogger({ level: 'silent' }), clock: new ManualClock() };
});

afterAll(async () => {
  await gateway.close();
  await relay.close();
  redis.disconnect();
  await server.destroy();
});

describe('createNotificationSender', () => {
  it('keeps every message in the development outbox by default, and hands the outbox out for /dev/outbox', async () => {
    const senders = createNotificationSender({ env: 'development', notifications: settings() }, dependencies);
    expect(senders.outbox).toBeInstanceOf(DevOutbox);
    expect(senders.sender).toBe(senders.outbox);
    expect((await senders.sender.send(notification('sms', '+84912345678'))).ok).toBe(true);
    expect((await senders.outbox?.messages({ to: '+84912345678' }))?.[0]?.params.code).toBe('246810');
    await senders.close();
  });

  it('refuses the outbox in production', () => {
    expect(() => createNotificationSender({ env: 'production', notifications: settings() }, dependencies)).toThrow(/refused in production/);
  });

  it('in deliver mode sends email to the relay and SMS to the gateway as configured, with no outbox', async () => {
    const config = settings((c) => {
      c.mode = 'deliver';
      Object.assign(c.smtp, { host: '127.0.0.1', port: relay.port, requireTls: false, from: 'no-reply@eid.example.vn', timeoutMs: 2000 });
      Object.assign(c.sms, { url: gateway.url, apiKey: 'gateway-key-0123', senderId: 'VNEID', timeoutMs: 1000 });
    });
    const senders = createNotificationSender({ env: 'development', notifications: config }, dependencies);
    try {
      expect(senders.outbox).toBeUndefined();
      expect((await senders.sender.send(notification('email', 'an@example.vn'))).ok).toBe(true);
      expect((await senders.sender.send(notification('sms', '+84912345678'))).ok).toBe(true);
      expect(relay.received.map((mail) => [mail.envelopeTo, mail.subject])).toEqual([
        [['an@example.vn'], 'Mã kích hoạt tài khoản định danh điện tử'],
      ]);
      expect(gateway.accepted.map((request) => request.body)).toEqual([
        { to: '+84912345678', text: expect.stringContaining('246810'), sender_id: 'VNEID' },
      ]);
      expect(gateway.accepted[0]?.headers.authorization).toBe('Bearer gateway-key-0123');
    } finally {
      await senders.close();
    }
  });

  it('stops start-up on a deliver configuration it cannot use', () => {
    const deliver = (change: (c: NotificationsConfig) => void): NotificationsConfig =>
      settings((c) => {
        c.mode = 'deliver';
        Object.assign(c.smtp, { host: 'smtp.example.vn', from: 'no-reply@eid.example.vn' });
        Object.assign(c.sms, { url: 'https://sms.example.vn/send', senderId: 'VNEID' });
        change(c);
      });
    const build = (config: NotificationsConfig) => () => createNotificationSender({ env: 'development', notifications: config }, dependencies);
    expect(build(deliver((c) => (c.smtp.host = undefined)))).toThrow(/smtp.host/);
    expect(build(deliver((c) => (c.sms.url = undefined)))).toThrow(/sms.url/);
    expect(build(deliver((c) => (c.smtp.caFile = '/nonexistent/ca.pem')))).toThrow('notifications.smtp.caFile: cannot read /nonexistent/ca.pem');
    expect(build(deliver((c) => (c.sms.senderId = undefined)))).toThrow(/senderId/);
  });
});
