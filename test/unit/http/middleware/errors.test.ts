import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Koa from 'koa';
import { AppError, DependencyUnavailableError, type ErrorCode } from '../../../../src/domain/errors.js';
import { Metrics } from '../../../../src/http/metrics.js';
import { classifyError, errorHandler, scrubPersonalData } from '../../../../src/http/middleware/errors.js';
import { requestId } from '../../../../src/http/middleware/request-id.js';
import { requestLogger } from '../../../../src/http/middleware/request-logger.js';
import { Views } from '../../../../src/http/views.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { createRedisClient, type Redis } from '../../../../src/storage/redis-client.js';
import { freePort } from '../../../../src/shared/free-port.js';
import { listen, type Listening } from '../listen.js';

const PERSONAL = '012345678901';
const EMAIL = 'nguyen.van.a@example.vn';

/** Logs written by the app, parsed. */
const logLines: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
const metrics = new Metrics({ defaultMetrics: false });

class MaxRetriesPerRequestError extends Error {
  override get name(): string {
    return 'MaxRetriesPerRequestError';
  }
}

let offlineRedis: Redis;
let app: Listening;
let bare: Listening;

/** Each path throws what a handler, an adapter or ioredis would. */
function thrower(): Koa.Middleware {
  return async (ctx, next) => {
    const [, kind, arg] = ctx.path.split('/');
    switch (kind) {
      case 'app':
        throw new AppError(arg as ErrorCode, 'the form was incomplete');
      case 'dependency':
        throw new DependencyUnavailableError('population-registry');
      case 'redis-offline':
        await offlineRedis.get(`vneid:account:login:{citizen:${PERSONAL}}`);
        return;
      case 'redis-closed':
        throw new Error('Connection is closed.');
      case 'redis-timeout':
        throw new Error('Command timed out');
      case 'redis-retries':
        throw new MaxRetriesPerRequestError('Reached the max retries per request limit (which is 1).');
      case 'redis-oom':
        throw new Error("OOM command not allowed when used memory > 'maxmemory'.");
      case 'wrapped':
        throw new Error('registry call failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      case 'http':
        ctx.throw(Number(arg));
        return;
      case 'bug':
        throw Object.assign(new Error(`cannot read account of ${PERSONAL} <${EMAIL}> born 2001-02-03`), {
          command: { name: 'get', args: [`account:login:{citizen:${PERSONAL}}`] },
        });
      case 'ok':
        ctx.body = 'fine';
        return;
      default:
        await next();
    }
  };
}

beforeAll(async () => {
  // A fail-closed client pointed at a port where nothing listens: commands reject at once, as while Redis is down.
  offlineRedis = createRedisClient(
    { url: `redis://127.0.0.1:${await freePort()}`, commandTimeoutMs: 200, connectTimeoutMs: 200 },
    { retryStrategy: () => null },
  );
  offlineRedis.on('error', () => undefined);

  const koa = new Koa();
  koa.use(requestId());
  koa.use(requestLogger(logger));
  koa.use(new Views({ dir: join(process.cwd(), 'views'), defaultLocale: 'vi', cache: true }).middleware());
  koa.use(errorHandler({ logger, metrics }));
  koa.use(thrower());
  app = await listen(koa);

  // Without the views middleware (mounted wrongly, or broken), people still get a plain page.
  const plain = new Koa();
  plain.use(errorHandler({ logger }));
  plain.use(thrower());
  bare = await listen(plain);
});

afterAll(async () => {
  offlineRedis.disconnect();
  await app.close();
  await bare.close();
});

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const json = { accept: 'application/json' };

describe('error mapping', () => {
  it.each([
    ['bad_request', 400],
    ['csrf_failed', 403],
    ['forbidden', 403],
    ['not_found', 404],
    ['payload_too_large', 413],
    ['rate_limited', 429],
  ] as const)('AppError(%s) -> %i', async (code, status) => {
    const response = await fetch(`${app.url}/app/${code}`, { headers: json });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: `urn:vn-eid:error:${code}`, status, code, detail: 'the form was incomplete' });
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
  });

  it.each(['dependency', 'redis-offline', 'redis-closed', 'redis-timeout', 'redis-retries', 'redis-oom', 'wrapped'])(
    '%s -> 503 with Retry-After',
    async (kind) => {
      const response = await fetch(`${app.url}/${kind}`, { headers: json });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.code).toBe('service_unavailable');
      expect(body).not.toHaveProperty('detail');
    },
  );

  it('anything else -> 500 without the message or a stack', async () => {
    const response = await fetch(`${app.url}/bug`, { headers: json });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'internal_error', status: 500 });
    expect(text).not.toContain('cannot read');
    expect(text).not.toContain(PERSONAL);
    expect(text).not.toMatch(/\.ts:\d+/);
  });

  it('client errors thrown with ctx.throw keep their status; unknown paths get the 404 page', async () => {
    expect((await fetch(`${app.url}/http/404`, { headers: json })).status).toBe(404);
    expect((await fetch(`${app.url}/http/405`, { headers: json })).status).toBe(405);
    const missing = await fetch(`${app.url}/no/such/page`, { headers: html });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<h1>Không tìm thấy trang</h1>');
  });

  it('counts requests that failed because Redis could not answer', async () => {
    const before = (await metrics.registry.getSingleMetric('vneid_redis_errors_total')?.get())?.values[0]?.value ?? 0;
    await fetch(`${app.url}/redis-closed`);
    await fetch(`${app.url}/dependency`);
    const after = (await metrics.registry.getSingleMetric('vneid_redis_errors_total')?.get())?.values[0]?.value ?? 0;
    expect(after - before).toBe(1);
  });
});

describe('content negotiation', () => {
  it('gives browsers a page in their language, with the reference and a retry link', async () => {
    const response = await fetch(`${app.url}/redis-closed?x=1`, { headers: { ...html, 'accept-language': 'en' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('retry-after')).toBe('60');
    const page = await response.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Service temporarily unavailable</h1>');
    expect(page).toContain('Please try again in a minute.');
    expect(page).toContain('href="/redis-closed?x=1"');
    expect(page).toContain(`<code>${response.headers.get('x-request-id')}</code>`);
  });

  it('treats */* (curl, plain fetch) as a browser and JSON bodies or /api/ as an API client', async () => {
    expect((await fetch(`${app.url}/bug`)).headers.get('content-type')).toMatch(/^text\/html/);
    const jsonBody = await fetch(`${app.url}/bug`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', accept: 'application/problem+json' } });
    expect(jsonBody.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${app.url}/api/anything`)).headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('shows the page in Vietnamese by default, without a stack', async () => {
    const response = await fetch(`${app.url}/bug`, { headers: html });
    const page = await response.text();
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('<h1>Đã xảy ra lỗi</h1>');
    expect(page).not.toContain('cannot read');
    expect(page).not.toContain(PERSONAL);
  });

  it('falls back to a plain bilingual page when the views are not mounted', async () => {
    const response = await fetch(`${bare.url}/redis-closed`, { headers: html });
    expect(response.status).toBe(503);
    const page = await response.text();
    expect(page).toContain('Dịch vụ tạm thời gián đoạn');
    expect(page).toContain('The service is temporarily unavailable');
  });
});

describe('logging', () => {
  it('logs the failure with the request id, and no personal data from messages or error fields', async () => {
    logLines.length = 0;
    const response = await fetch(`${app.url}/bug`, { headers: html });
    const id = response.headers.get('x-request-id');
    const failure = logLines.find((line) => line.msg === 'unhandled error');
    expect(failure).toMatchObject({ level: 'error', requestId: id, errorCode: 'internal_error' });
    expect((failure?.error as Record<string, string>).stack).toContain('errors.test.ts');
    const everything = JSON.stringify(logLines);
    expect(everything).not.toContain(PERSONAL);
    expect(everything).not.toContain(EMAIL);
    expect(everything).not.toContain('2001-02-03');
  });

  it('logs Redis outages as warnings without a stack, and refusals as info', async () => {
    logLines.length = 0;
    await fetch(`${app.url}/redis-offline`);
    await fetch(`${app.url}/app/forbidden`);
    const outage = logLines.find((line) => line.msg === 'dependency unavailable');
    expect(outage).toMatchObject({ level: 'warn', dependency: 'redis' });
    expect(outage?.error).not.toHaveProperty('stack');
    expect(JSON.stringify(logLines)).not.toContain(PERSONAL);
    expect(logLines.find((line) => line.msg === 'request refused')).toMatchObject({ level: 'info', errorCode: 'forbidden' });
  });
});

describe('classifyError and scrubPersonalData', () => {
  it('classifies without a request', () => {
    expect(classifyError(new AppError('rate_limited'))).toEqual({ kind: 'refused', status: 429, code: 'rate_limited' });
    expect(classifyError(new AppError('internal_error'))).toEqual({ kind: 'bug', status: 500, code: 'internal_error' });
    expect(classifyError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toMatchObject({ status: 503 });
    expect(classifyError('a string')).toEqual({ kind: 'bug', status: 500, code: 'internal_error' });
    expect(classifyError(Object.assign(new Error('x'), { status: 500, expose: false }))).toMatchObject({ status: 500 });
  });

  it('scrubs numbers, dates and addresses', () => {
    expect(scrubPersonalData(`id ${PERSONAL}, phone +84 912 345 678, mail ${EMAIL}, born 2001-02-03 at file.ts:12:7`)).toBe(
      'id [number], phone [number], mail [email], born [number] at file.ts:12:7',
    );
  });
});
