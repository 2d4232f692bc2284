import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { join } from 'node:path';
import Koa from 'koa';
import { failClosedWhileRedisDown } from '../../../../src/http/middleware/dependency-guard.js';
import { Views } from '../../../../src/http/views.js';
import { createRedisClient, type Redis } from '../../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../../support/redis-server.js';
import { listen, type Listening } from '../listen.js';

/** The "~1.5 s" a person may wait for an answer while Redis is down. */
const DEADLINE_MS = 1500;

let server: TestRedisServer;
let redis: Redis;
let app: Listening;
let reachedHandler = 0;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = createRedisClient({ url: server.url, commandTimeoutMs: 1000, connectTimeoutMs: 1000 });
  redis.on('error', () => undefined);
  await once(redis, 'ready');
  const koa = new Koa();
  koa.use(new Views({ dir: join(process.cwd(), 'views'), defaultLocale: 'vi', cache: true }).middleware());
  koa.use(failClosedWhileRedisDown(redis));
  koa.use(async (ctx) => {
    reachedHandler += 1;
    ctx.body = { value: await redis.incr('guard-test') };
  });
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
  redis.disconnect();
  await server.destroy();
});

const get = (accept: string): Promise<Response> =>
  fetch(`${app.url}/interaction/abc`, { headers: { accept }, signal: AbortSignal.timeout(DEADLINE_MS) });

describe('failClosedWhileRedisDown', () => {
  it('passes requests on while Redis is ready', async () => {
    const response = await get('application/json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ value: 1 });
  });

  it('answers 503 at once while Redis is down, without running the handler, then serves again when it is back', async () => {
    const closed = once(redis, 'close');
    await server.stop();
    await closed;
    const handled = reachedHandler;

    const page = await get('text/html');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('60');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<h1>Dịch vụ tạm thời gián đoạn</h1>');

    const problem = await get('application/json');
    expect(problem.status).toBe(503);
    expect(problem.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await problem.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(reachedHandler).toBe(handled);

    // Not events.once: it rejects on the 'error' of a reconnect attempt made before the server is back.
    const ready = new Promise((resolve) => redis.once('ready', resolve));
    await server.start();
    await ready;
    const healthy = await get('application/json');
    expect(healthy.status).toBe(200);
    expect(reachedHandler).toBe(handled + 1);
  });
});
