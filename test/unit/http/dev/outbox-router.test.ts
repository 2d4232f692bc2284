import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Koa from 'koa';
import { createOutboxRouter } from '../../../../src/http/dev/outbox-router.js';
import { errorHandler } from '../../../../src/http/middleware/errors.js';
import { requestId } from '../../../../src/http/middleware/request-id.js';
import { render, Views } from '../../../../src/http/views.js';
import type { OutboxMessage, OutboxQuery, OutboxReader } from '../../../../src/notifications/dev-outbox.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { listen, type Listening } from '../listen.js';

/** /dev/outbox as a developer and a test read it: a page, or JSON, newest first, for everyone or one recipient. */

const HOSTILE = '<script>alert("x")</script>';

const sms: OutboxMessage = {
  id: 'm2',
  channel: 'sms',
  to: '+84912345678',
  template: 'activation_code',
  locale: 'vi',
  params: { code: '482913', expiresInMinutes: '10' },
  sentAt: '2026-03-01T00:05:00.000Z',
  text: 'Mã kích hoạt tài khoản: 482913, hiệu lực 10 phút. Không đưa mã cho ai.',
};
const email: OutboxMessage = {
  id: 'm1',
  channel: 'email',
  to: 'an@example.vn',
  template: 'activation_code',
  locale: 'en',
  params: { code: '135790', expiresInMinutes: '10', fullName: HOSTILE },
  sentAt: '2026-03-01T00:01:00.000Z',
  subject: 'Your electronic identification account activation code',
  text: `Hello ${HOSTILE},\n\nYour activation code:\n\n    135790`,
  html: '<p>escaped elsewhere</p>',
};

/** A reader over a fixed list, newest first, recording what it was asked. */
class ListReader implements OutboxReader {
  queries: OutboxQuery[] = [];
  failing = false;
  constructor(private readonly list: OutboxMessage[]) {}
  async messages(query: OutboxQuery = {}): Promise<OutboxMessage[]> {
    this.queries.push(query);
    if (this.failing) throw new Error('Connection is closed.');
    return this.list.filter((message) => query.to === undefined || message.to === query.to).slice(0, query.limit);
  }
}

const reader = new ListReader([sms, email]);
let app: Listening;

beforeAll(async () => {
  const koa = new Koa();
  koa.use(requestId());
  koa.use(new Views({ dir: join(process.cwd(), 'views'), defaultLocale: 'vi', cache: true }).middleware());
  koa.use(errorHandler({ logger: createLogger({ level: 'silent' }) }));
  const router = createOutboxRouter(reader, render);
  koa.use(router.routes()).use(router.allowedMethods());
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  reader.queries = [];
  reader.failing = false;
});

describe('GET /dev/outbox', () => {
  it('lists the messages newest first with channel, recipient, time, subject and text', async () => {
    const response = await fetch(`${app.url}/dev/outbox`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    const html = await response.text();
    expect(html).toContain('<h1>Hộp thư đi (phát triển)</h1>');
    expect(html).toContain('2 tin nhắn');
    const smsAt = html.indexOf('SMS · +84912345678');
    const emailAt = html.indexOf('Email · an@example.vn');
    expect(smsAt).toBeGreaterThan(0);
    expect(emailAt).toBeGreaterThan(smsAt);
    expect(html).toContain('<time datetime="2026-03-01T00:05:00.000Z">2026-03-01 00:05:00 UTC</time>');
    expect(html).toContain('Mã kích hoạt tài khoản: 482913, hiệu lực 10 phút. Không đưa mã cho ai.');
    expect(html).toContain('Your electronic identification account activation code');
  });

  it('shows message text as text, never as markup', async () => {
    const html = await (await fetch(`${app.url}/dev/outbox`)).text();
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(html).not.toContain('escaped elsewhere');
  });

  it('keeps one recipient’s messages with ?to= and offers the same list as JSON', async () => {
    const html = await (await fetch(`${app.url}/dev/outbox?to=${encodeURIComponent('+84912345678')}`)).text();
    expect(reader.queries).toEqual([{ to: '+84912345678', limit: 50 }]);
    expect(html).toContain('1 tin nhắn');
    expect(html).not.toContain('an@example.vn');
    expect(html).toContain('value="+84912345678"');
    expect(html).toContain('href="/dev/outbox.json?to=%2B84912345678"');
  });

  it('answers in English with ?lang=en and says when there is nothing yet', async () => {
    const html = await (await fetch(`${app.url}/dev/outbox?lang=en&to=nobody@example.vn`)).text();
    expect(html).toContain('<h1>Outbox (development)</h1>');
    expect(html).toContain('No messages yet.');
  });

  it.each([
    ['/dev/outbox.json', {}],
    ['/dev/outbox', { accept: 'application/json' }],
  ])('answers JSON at %s %j, for a test to read the latest code', async (path, headers) => {
    const response = await fetch(`${app.url}${path}?to=${encodeURIComponent('+84912345678')}&limit=1`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { messages: OutboxMessage[] };
    expect(body.messages).toEqual([sms]);
    expect(body.messages[0]?.params.code).toBe('482913');
    expect(reader.queries).toEqual([{ to: '+84912345678', limit: 1 }]);
  });

  it('answers 503 "try again later" while Redis is down', async () => {
    reader.failing = true;
    const response = await fetch(`${app.url}/dev/outbox.json`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(503);
  });
});

describe('in production', () => {
  it('is refused: the page cannot even be built', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => createOutboxRouter(reader, render)).toThrow(/refused in production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
