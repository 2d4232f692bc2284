import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Notification, NotificationChannel, NotificationSender } from '../../src/domain/ports.js';
import { DevOutbox } from '../../src/notifications/dev-outbox.js';
import { HttpSmsSender, type HttpSmsSenderOptions } from '../../src/notifications/http-sms-sender.js';
import { RoutingNotificationSender } from '../../src/notifications/routing-notification-sender.js';
import { SmtpEmailSender, type SmtpEmailSenderOptions } from '../../src/notifications/smtp-email-sender.js';
import { NotificationTemplateError } from '../../src/notifications/templates/template-definition.js';
import { ManualClock } from '../../src/shared/clock.js';
import { freePort } from '../../src/shared/free-port.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import { RedisKeys } from '../../src/storage/keys.js';
import { createRedisClient, waitUntilConnected } from '../../src/storage/redis-client.js';
import { FakeSmsGateway } from '../support/fake-sms-gateway.js';
import { LoopbackSmtpServer } from '../support/loopback-smtp-server.js';
import { TestRedisServer } from '../support/redis-server.js';
import { createTestCertificates, type TestCertificates } from '../support/test-certificates.js';

/**
 * One suite, every implementation of the NotificationSender port: the SMTP relay sender, the HTTP SMS gateway sender
 * and the development outbox. Each delivers the activation code in the person's language to the right recipient;
 * each answers `sender_unavailable` — and nothing arrives — whatever way its dependency fails, a dependency that
 * does not answer included (the sender gives up after its configured timeout; the test only bounds the wait).
 */

const CODE = '482913';
const PHONE = '+84912345678';
const EMAIL = 'nguyen.van.an@example.vn';
const FROM = '"Định danh điện tử" <no-reply@eid.example.vn>';
const UNAVAILABLE = { ok: false, error: 'sender_unavailable' };
/** Far above every configured timeout below (300–1000 ms): a sender that hung would fail the test, a slow machine not. */
const HANG_BOUND_MS = 15_000;

const activation = (channel: NotificationChannel, to: string, locale: 'vi' | 'en' = 'vi'): Notification => ({
  channel,
  to,
  template: 'activation_code',
  locale,
  params: { code: CODE, expiresInMinutes: '10' },
});

/** What reached the other side: the relay, the gateway, the outbox. */
interface Arrival {
  to: string;
  subject?: string;
  text: string;
  html?: string;
}

interface Fault {
  /** The sender to use while the fault lasts (a sender pointed at a closed port, with a wrong password, ...). */
  sender?: NotificationSender;
  /** How operators see it in the log (delivery-log.ts). */
  logged: 'unavailable' | 'misconfigured' | 'rejected';
  /** Checked after the failed send: e.g. that a slow dependency really held the message when the sender gave up. */
  confirm?: () => void | Promise<void>;
}

interface Harness {
  channel: NotificationChannel;
  recipient: string;
  sender: NotificationSender;
  arrivals(): Promise<Arrival[]>;
  /** Healthy again, nothing received. */
  reset(): Promise<void>;
  fault(name: string): Promise<Fault>;
  close(): Promise<void>;
}

interface Implementation {
  name: string;
  faults: string[];
  start(logger: Logger): Promise<Harness>;
}

/** Senders a fault built, closed with the harness. */
type Closable = { close(): Promise<void> };

const smtp: Implementation = {
  name: 'SmtpEmailSender (loopback relay, STARTTLS, AUTH)',
  faults: [
    'the relay is down',
    'the relay does not answer in time',
    'the relay says try again later (4xx)',
    'the relay refuses the recipient',
    'the relay offers no STARTTLS',
    'the relay refuses the password',
    'the relay certificate is not trusted',
  ],
  async start(logger) {
    const certificates: TestCertificates = createTestCertificates();
    const credentials = { user: 'vneid', password: 'relay-password-0123' };
    const relay = await LoopbackSmtpServer.start({ tls: { key: certificates.serverKey, cert: certificates.serverCert }, auth: credentials });
    const plainRelay = await LoopbackSmtpServer.start({ auth: credentials });
    const extra: Closable[] = [];
    const build = (overrides: Partial<SmtpEmailSenderOptions> = {}): SmtpEmailSender => {
      const sender = new SmtpEmailSender(
        {
          host: '127.0.0.1',
          port: relay.port,
          secure: false,
          requireTls: true,
          ca: certificates.ca,
          ...credentials,
          from: FROM,
          timeoutMs: 1000,
          maxConnections: 2,
          ...overrides,
        },
        { logger },
      );
      extra.push(sender);
      return sender;
    };
    const sender = build();
    return {
      channel: 'email',
      recipient: EMAIL,
      sender,
      arrivals: async () =>
        [...relay.received, ...plainRelay.received].map((mail) => ({
          to: mail.envelopeTo.join(','),
          subject: mail.subject,
          text: mail.text ?? '',
          ...(mail.html !== undefined ? { html: mail.html } : {}),
        })),
      reset: async () => {
        relay.behaviour = 'accept';
        relay.received.length = 0;
        plainRelay.received.length = 0;
      },
      fault: async (name) => {
        switch (name) {
          case 'the relay is down':
            return { sender: build({ port: await freePort() }), logged: 'unavailable' };
          case 'the relay does not answer in time':
            relay.behaviour = 'hang';
            return { logged: 'unavailable', confirm: () => expect(relay.hungMessages).toBeGreaterThan(0) };
          case 'the relay says try again later (4xx)':
            relay.behaviour = 'temporary_failure';
            return { logged: 'unavailable' };
          case 'the relay refuses the recipient':
            relay.behaviour = 'reject_recipient';
            return { logged: 'rejected' };
          case 'the relay offers no STARTTLS':
            return { sender: build({ port: plainRelay.port }), logged: 'misconfigured' };
          case 'the relay refuses the password':
            return { sender: build({ password: 'not-the-password' }), logged: 'misconfigured' };
          case 'the relay certificate is not trusted':
            return { sender: build({ ca: certificates.strangerCert }), logged: 'misconfigured' };
          default:
            throw new Error(`unknown fault ${name}`);
        }
      },
      close: async () => {
        await Promise.all(extra.map((closable) => closable.close()));
        await relay.close();
        await plainRelay.close();
      },
    };
  },
};

const API_KEY = 'gateway-key-0123456789';

const sms: Implementation = {
  name: 'HttpSmsSender (loopback gateway)',
  faults: [
    'the gateway is down',
    'the gateway drops the connection',
    'the gateway answers 5xx',
    'the gateway refuses our key (4xx)',
    'the gateway does not answer in time',
    'the gateway refuses the message in its reply',
  ],
  async start(logger) {
    const gateway = await FakeSmsGateway.start();
    const build = (overrides: Partial<HttpSmsSenderOptions> = {}): HttpSmsSender =>
      new HttpSmsSender({ url: gateway.url, apiKey: API_KEY, senderId: 'VNEID', timeoutMs: 300, ...overrides }, { logger });
    return {
      channel: 'sms',
      recipient: PHONE,
      sender: build(),
      arrivals: async () =>
        gateway.accepted.map((request) => {
          const body = request.body as { to: string; text: string };
          return { to: body.to, text: body.text };
        }),
      reset: async () => gateway.reset(),
      fault: async (name) => {
        switch (name) {
          case 'the gateway is down':
            return { sender: build({ url: `http://127.0.0.1:${await freePort()}/v1/sms` }), logged: 'unavailable' };
          case 'the gateway drops the connection':
            gateway.behaviour = 'refuse';
            return { logged: 'unavailable' };
          case 'the gateway answers 5xx':
            gateway.behaviour = 'server_error';
            return { logged: 'unavailable' };
          case 'the gateway refuses our key (4xx)':
            gateway.behaviour = 'client_error';
            return { logged: 'misconfigured' };
          case 'the gateway does not answer in time':
            gateway.behaviour = 'slow';
            return { logged: 'unavailable', confirm: () => expect(gateway.pending).toBe(1) };
          case 'the gateway refuses the message in its reply':
            gateway.behaviour = 'refused_in_body';
            return { sender: build({ acceptedField: 'code', acceptedValues: ['accepted'] }), logged: 'rejected' };
          default:
            throw new Error(`unknown fault ${name}`);
        }
      },
      close: () => gateway.close(),
    };
  },
};

const outbox: Implementation = {
  name: 'DevOutbox (Redis)',
  faults: ['Redis is down', 'Redis does not answer in time', 'Redis refuses writes (out of memory)'],
  async start(logger) {
    const server = await TestRedisServer.start();
    const admin = server.client();
    const keys = new RedisKeys('contract:');
    const clients: Redis[] = [];
    const client = (port = server.port): Redis => {
      // A client pointed at a closed port neither reconnects nor waits 2 s on disconnect, or it would outlive the test.
      const overrides = port === server.port ? {} : { retryStrategy: () => null, disconnectTimeout: 10 };
      const redis = createRedisClient({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 300, connectTimeoutMs: 300 }, overrides);
      redis.on('error', () => undefined);
      clients.push(redis);
      return redis;
    };
    const redis = client();
    await waitUntilConnected(redis, 5000);
    const build = (connection: Redis): DevOutbox =>
      new DevOutbox({ environment: 'test', redis: connection, keys, logger, clock: new ManualClock() });
    const sender = build(redis);
    return {
      channel: 'sms',
      recipient: PHONE,
      sender,
      arrivals: async () => (await sender.messages()).map((message) => ({ ...message })),
      reset: async () => {
        await admin.call('CLIENT', 'UNPAUSE');
        await admin.config('SET', 'maxmemory', '0');
        await admin.del(keys.devOutbox());
      },
      fault: async (name) => {
        switch (name) {
          case 'Redis is down':
            return { sender: build(client(await freePort())), logged: 'unavailable' };
          case 'Redis does not answer in time':
            // Writes wait until the pause ends; the fail-closed client gives up after its command timeout.
            await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE');
            return { logged: 'unavailable' };
          case 'Redis refuses writes (out of memory)':
            await admin.config('SET', 'maxmemory', '1');
            return { logged: 'unavailable' };
          default:
            throw new Error(`unknown fault ${name}`);
        }
      },
      close: async () => {
        await admin.call('CLIENT', 'UNPAUSE');
        for (const connection of clients) connection.disconnect();
        admin.disconnect();
        await server.destroy();
      },
    };
  },
};

describe.each([smtp, sms, outbox])('$name', (implementation) => {
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  let harness: Harness;

  beforeAll(async () => {
    harness = await implementation.start(logger);
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    await harness.reset();
    logLines.length = 0;
  });

  it('delivers the activation code in Vietnamese to the recipient', async () => {
    await expect(harness.sender.send(activation(harness.channel, harness.recipient))).resolves.toEqual({ ok: true, value: undefined });
    const arrivals = await harness.arrivals();
    expect(arrivals).toHaveLength(1);
    const [arrival] = arrivals;
    expect(arrival?.to).toBe(harness.recipient);
    expect(arrival?.text).toContain('Mã kích hoạt');
    expect(arrival?.text).toContain(CODE);
    if (harness.channel === 'email') {
      expect(arrival?.subject).toBe('Mã kích hoạt tài khoản định danh điện tử');
      expect(arrival?.html).toContain(CODE);
    }
  });

  it('delivers it in English when that is the person’s language', async () => {
    await expect(harness.sender.send(activation(harness.channel, harness.recipient, 'en'))).resolves.toEqual({ ok: true, value: undefined });
    const [arrival] = await harness.arrivals();
    expect(arrival?.text).toMatch(/activation code/i);
    expect(arrival?.text).toContain(CODE);
    expect(arrival?.text).not.toContain('Mã kích hoạt');
  });

  it('refuses a notification the program should never build, before contacting anything', async () => {
    const unknown = { ...activation(harness.channel, harness.recipient), template: 'no_such_template' };
    await expect(harness.sender.send(unknown)).rejects.toThrow(NotificationTemplateError);
    const noCode = { ...activation(harness.channel, harness.recipient), params: { expiresInMinutes: '10' } };
    await expect(harness.sender.send(noCode)).rejects.toThrow(NotificationTemplateError);
    expect(await harness.arrivals()).toEqual([]);
  });

  it.each(implementation.faults)(
    'answers sender_unavailable when %s: nothing arrives, nothing personal is logged, the next message goes through',
    async (name) => {
      const fault = await harness.fault(name);
      const sender = fault.sender ?? harness.sender;
      await expect(sender.send(activation(harness.channel, harness.recipient))).resolves.toEqual(UNAVAILABLE);
      await fault.confirm?.();
      await harness.reset();
      expect(await harness.arrivals()).toEqual([]);

      const failure = logLines.find((line) => line.event === 'notification.failed');
      expect(failure).toEqual(expect.objectContaining({ channel: harness.channel, template: 'activation_code', kind: fault.logged }));
      const logged = JSON.stringify(logLines);
      expect(logged).not.toContain(CODE);
      expect(logged).not.toContain(harness.recipient);

      await expect(harness.sender.send(activation(harness.channel, harness.recipient))).resolves.toEqual({ ok: true, value: undefined });
      expect(await harness.arrivals()).toHaveLength(1);
    },
    HANG_BOUND_MS,
  );
});

describe('SmtpEmailSender, what the relay sees', () => {
  let relay: LoopbackSmtpServer;
  let sender: SmtpEmailSender;

  beforeAll(async () => {
    const certificates = createTestCertificates();
    relay = await LoopbackSmtpServer.start({ tls: { key: certificates.serverKey, cert: certificates.serverCert } });
    sender = new SmtpEmailSender(
      { host: '127.0.0.1', port: relay.port, secure: false, requireTls: true, ca: certificates.ca, from: FROM, timeoutMs: 1000, maxConnections: 1 },
      { logger: createLogger({ level: 'silent' }) },
    );
  });

  afterAll(async () => {
    await sender.close();
    await relay.close();
  });

  it('sends over TLS, from the configured address, in the person’s language, with the name escaped in the HTML', async () => {
    const hostile = 'An <img src=x onerror=alert(1)> & "Bình"';
    const result = await sender.send({ ...activation('email', EMAIL), params: { code: CODE, expiresInMinutes: '15', fullName: hostile } });
    expect(result.ok).toBe(true);
    const [mail] = relay.received;
    expect(mail?.secure).toBe(true);
    expect(mail?.envelopeFrom).toBe('no-reply@eid.example.vn');
    expect(mail?.headers.get('from')).toContain('Định danh điện tử');
    expect(mail?.headers.get('content-language')).toBe('vi');
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail?.text).toContain(`Xin chào ${hostile},`);
    expect(mail?.text).toContain('15 phút');
    expect(mail?.html).not.toContain('<img');
    expect(mail?.html).toContain('An &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bình&quot;');
  });
});

describe('HttpSmsSender, what the gateway sees', () => {
  let gateway: FakeSmsGateway;

  beforeAll(async () => {
    gateway = await FakeSmsGateway.start();
  });

  afterAll(async () => {
    await gateway.close();
  });

  beforeEach(() => gateway.reset());

  const silent = { logger: createLogger({ level: 'silent' }) };

  it('posts JSON with the key in the Authorization header and the default field names', async () => {
    const sender = new HttpSmsSender({ url: gateway.url, apiKey: API_KEY, senderId: 'VNEID', timeoutMs: 300 }, silent);
    expect((await sender.send(activation('sms', PHONE))).ok).toBe(true);
    const [request] = gateway.accepted;
    expect(request?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.body).toEqual({ to: PHONE, text: expect.stringContaining(CODE), sender_id: 'VNEID' });
  });

  it('maps the message onto the gateway’s own fields, key in the body, text kept intact', async () => {
    const sender = new HttpSmsSender(
      {
        url: gateway.url,
        apiKey: API_KEY,
        senderId: 'VNEID',
        timeoutMs: 300,
        bodyTemplate: { Phone: '{{to_digits}}', Content: '{{text}}', Brandname: '{{sender_id}}', SmsType: 2, Auth: { ApiKey: '{{api_key}}' } },
        acceptedField: 'code',
        acceptedValues: ['accepted'],
      },
      silent,
    );
    expect((await sender.send(activation('sms', PHONE, 'en'))).ok).toBe(true);
    const [request] = gateway.accepted;
    expect(request?.headers['authorization']).toBeUndefined();
    expect(request?.body).toEqual({
      Phone: '84912345678',
      Content: `Your e-ID activation code: ${CODE}, valid 10 minutes. Never share it.`,
      Brandname: 'VNEID',
      SmsType: 2,
      Auth: { ApiKey: API_KEY },
    });
  });

  it('sends the key alone in a header of the operator’s choice', async () => {
    const sender = new HttpSmsSender(
      { url: gateway.url, apiKey: API_KEY, apiKeyHeader: 'X-Api-Key', apiKeyScheme: '', senderId: 'VNEID', timeoutMs: 300 },
      silent,
    );
    expect((await sender.send(activation('sms', PHONE))).ok).toBe(true);
    expect(gateway.accepted[0]?.headers['x-api-key']).toBe(API_KEY);
  });

  it.each([
    [{ bodyTemplate: { to: '{{to}}' } }, /\{\{text\}\}/],
    [{ bodyTemplate: { text: '{{text}}' } }, /recipient/],
    [{ bodyTemplate: { to: '{{to}}', text: '{{text}}', x: '{{password}}' } }, /unknown placeholder \{\{password\}\}/],
    [{ senderId: undefined }, /senderId/],
    [{ acceptedField: 'code' }, /acceptedValues/],
  ] as const)('refuses, at start-up, a configuration that cannot work: %j', (overrides, message) => {
    expect(() => new HttpSmsSender({ url: gateway.url, senderId: 'VNEID', timeoutMs: 300, ...overrides }, silent)).toThrow(message);
  });
});

describe('RoutingNotificationSender', () => {
  it('hands email to the email sender and SMS to the SMS sender, and passes their answers on', async () => {
    const seen: string[] = [];
    const recording = (name: string, answer: 'ok' | 'down'): NotificationSender => ({
      send: async (notification) => {
        seen.push(`${name}:${notification.to}`);
        return answer === 'ok' ? { ok: true, value: undefined } : { ok: false, error: 'sender_unavailable' };
      },
    });
    const router = new RoutingNotificationSender({ email: recording('email', 'ok'), sms: recording('sms', 'down') });
    await expect(router.send(activation('email', EMAIL))).resolves.toEqual({ ok: true, value: undefined });
    await expect(router.send(activation('sms', PHONE))).resolves.toEqual(UNAVAILABLE);
    expect(seen).toEqual([`email:${EMAIL}`, `sms:${PHONE}`]);
  });
});
