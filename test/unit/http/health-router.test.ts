import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import Koa from 'koa';
import { healthRouter } from '../../../src/http/health-router.js';
import { createRedisClient, type Redis } from '../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../support/redis-server.js';
import { listen, type Listening } from './listen.js';

let server: TestRedisServer;
let redis: Redis;
let app: Listening;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = createRedisClient({ url: server.url, commandTimeoutMs: 1000, connectTimeoutMs: 1000 });
  redis.on('error', () => undefined);
  await once(redis, 'ready');
  const koa = new Koa();
  koa.use(healthRouter(redis, { pingTimeoutMs: 500 }).routes());
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
  redis.disconnect();
  await server.destroy();
});

const probe = async (path: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${app.url}${path}`);
  return { status: response.status, body: await response.json() };
};

describe('health', () => {
  it('/healthz and /readyz answer 200 while Redis is up', async () => {
    expect(await probe('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await probe('/readyz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz answers 503 while Redis is down, /healthz stays 200, and both recover when it is back', async () => {
    const closed = once(redis, 'close');
    await server.stop();
    await closed;
    expect(await probe('/readyz')).toEqual({ status: 503, body: { status: 'unavailable', redis: 'unavailable' } });
    expect((await probe('/healthz')).status).toBe(200);

    // Not events.once: it rejects on the 'error' of a reconnect attempt made before the server is back.
    const ready = new Promise((resolve) => redis.once('ready', resolve));
    await server.start();
    await ready;
    expect((await probe('/readyz')).status).toBe(200);
  });

  it('/readyz answers 503 when Redis is connected but does not answer PING in time', async () => {
    const info = await redis.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    expect(pid).toBeGreaterThan(0);
    // Freeze the redis-server this test started: the socket stays open, nothing answers.
    process.kill(pid, 'SIGSTOP');
    try {
      expect(redis.status).toBe('ready');
      expect((await probe('/readyz')).status).toBe(503);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await probe('/readyz')).status).toBe(200);
  });
});
