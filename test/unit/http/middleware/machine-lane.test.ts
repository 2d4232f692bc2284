import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Router } from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { machineLane } from '../../../../src/http/middleware/machine-lane.js';
import { addToRequestLine } from '../../../../src/http/middleware/request-logger.js';
import { recordProviderFailure } from '../../../../src/http/middleware/provider-outage.js';
import { Metrics } from '../../../../src/http/metrics.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { listen, type Listening } from '../listen.js';

const lines: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
const metrics = new Metrics({ defaultMetrics: false });
const redis = { status: 'ready' };
let viewRuns = 0;
const views: Middleware = async (ctx, next) => {
  viewRuns += 1;
  ctx.state.t = (key: string) => key;
  await next();
};

/** A monotonic clock the test moves: each request "takes" 7.5 ms. */
let clock = 0;
const now = (): number => (clock += 7.5);

/** Stands in for the mounted provider: a router, so the route pattern is on the context as the provider leaves it. */
function fakeProvider(): Middleware {
  const router = new Router();
  router.post('/token', (ctx) => {
    addToRequestLine(ctx, { event: 'token.granted' });
    ctx.body = { access_token: 'secret-value', token_type: 'Bearer' };
  });
  router.post('/token/introspection', (ctx) => {
    // What the provider does when Redis fails mid-request: it answers 500 server_error and emits server_error.
    recordProviderFailure(ctx, new Error('Connection is closed.'));
    ctx.status = 500;
    ctx.body = { error: 'server_error' };
  });
  router.post('/token/revocation', () => {
    throw new Error('a bug');
  });
  return router.routes() as unknown as Middleware;
}

let app: Listening;

beforeAll(async () => {
  const koa = new Koa();
  koa.use(
    machineLane({
      routes: ['POST /token', 'POST /token/introspection', 'POST /token/revocation'],
      provider: fakeProvider(),
      redis,
      logger,
      metrics,
      views,
      now,
    }),
  );
  // The full stack behind the lane: anything the lane does not take must arrive here untouched.
  koa.use((ctx) => {
    ctx.body = { reached: 'full stack', requestId: ctx.state.requestId ?? null };
  });
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  lines.length = 0;
  viewRuns = 0;
  redis.status = 'ready';
});

const post = (path: string, query = ''): Promise<Response> =>
  fetch(`${app.url}${path}${query}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });

describe('the machine lane', () => {
  it('answers with a request id and the security headers, and writes one redacted line with that id', async () => {
    const response = await post('/token', '?grant_type=client_credentials&client_secret=hunter2');
    expect(response.status).toBe(200);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // A JSON answer to a server: nothing in it may load or be framed, and the page-only headers are not sent.
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-dns-prefetch-control')).toBeNull();

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: id,
      method: 'POST',
      route: '/token',
      url: '/token?grant_type=client_credentials&client_secret=[redacted]',
      status: 200,
      durationMs: 7.5,
      event: 'token.granted',
    });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(JSON.stringify(lines)).not.toContain('secret-value');
    expect(viewRuns).toBe(0);
  });

  it('counts each request in the metrics by route pattern and status', async () => {
    const countOf = async (series: string): Promise<number> =>
      Number(new RegExp(`${series}\\{method="POST",route="/token",status="200"\\} (\\d+)`).exec(await metrics.render())?.[1] ?? 0);
    const before = [await countOf('vneid_http_requests_total'), await countOf('vneid_http_request_duration_seconds_count')];
    await post('/token');
    await post('/token');
    expect([await countOf('vneid_http_requests_total'), await countOf('vneid_http_request_duration_seconds_count')]).toEqual(before.map((count) => count + 2));
  });

  it('fails closed with 503 and Retry-After while Redis is down, before the provider runs', async () => {
    redis.status = 'reconnecting';
    const response = await post('/token');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ code: 'service_unavailable', requestId: response.headers.get('x-request-id') });
    // The error may be rendered as a page for a browser: it carries the page headers.
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', route: '(unmatched)', status: 503 })]);
  });

  it('turns an outage the provider caught itself into 503', async () => {
    const response = await post('/token/introspection');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' });
    expect(lines.at(-1)).toMatchObject({ route: '/token/introspection', status: 503 });
  });

  it('answers a thrown error as 500 without its message, logged under the request id', async () => {
    const response = await post('/token/revocation');
    expect(response.status).toBe(500);
    const id = response.headers.get('x-request-id');
    const body = await response.text();
    expect(body).not.toContain('a bug');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', requestId: id, errorCode: 'internal_error' }),
      expect.objectContaining({ msg: 'request failed', requestId: id, status: 500 }),
    ]);
  });

  it('leaves every other method and path to the full stack', async () => {
    const other = await fetch(`${app.url}/token`, { method: 'GET' });
    expect(await other.json()).toEqual({ reached: 'full stack', requestId: null });
    const page = await post('/interaction/abc');
    expect(await page.json()).toEqual({ reached: 'full stack', requestId: null });
    expect(lines).toHaveLength(0);
  });
});
