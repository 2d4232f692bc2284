import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Router } from '@koa/router';
import Koa from 'koa';
import { Metrics } from '../../../src/http/metrics.js';
import { metricsRouter } from '../../../src/http/metrics-router.js';
import { httpMetrics } from '../../../src/http/middleware/metrics.js';
import { listen, type Listening } from './listen.js';

const metrics = new Metrics();
const other = new Metrics({ defaultMetrics: false });
let app: Listening;
let protectedApp: Listening;

/** Each request "takes" 40 ms on the injected clock. */
let clock = 0;
const now = (): number => (clock += 40);

beforeAll(async () => {
  const koa = new Koa();
  koa.use(httpMetrics(metrics, { now }));
  const router = new Router();
  router.get('/interaction/:uid', (ctx) => {
    ctx.body = 'ok';
  });
  router.post('/interaction/:uid/login', (ctx) => {
    ctx.status = 303;
    ctx.redirect('/somewhere');
  });
  koa.use(router.routes());
  koa.use(metricsRouter(metrics).routes());
  app = await listen(koa);

  const guarded = new Koa();
  guarded.use(metricsRouter(other, { bearerToken: 'scrape-token-0123456789' }).routes());
  protectedApp = await listen(guarded);
});

afterAll(async () => {
  await app.close();
  await protectedApp.close();
});

const scrape = async (): Promise<string> => (await fetch(`${app.url}/metrics`)).text();

describe('metrics', () => {
  it('counts requests by method, route pattern (not raw path) and status, with their latency', async () => {
    await fetch(`${app.url}/interaction/uid-a`);
    await fetch(`${app.url}/interaction/uid-b`);
    await fetch(`${app.url}/interaction/uid-c/login`, { method: 'POST', redirect: 'manual' });
    await fetch(`${app.url}/nothing/here/42`);
    const text = await scrape();
    expect(text).toContain('vneid_http_requests_total{method="GET",route="/interaction/:uid",status="200"} 2');
    expect(text).toContain('vneid_http_requests_total{method="POST",route="/interaction/:uid/login",status="303"} 1');
    expect(text).toContain('vneid_http_requests_total{method="GET",route="(unmatched)",status="404"} 1');
    expect(text).toContain('vneid_http_request_duration_seconds_bucket{le="0.05",method="GET",route="/interaction/:uid",status="200"} 2');
    expect(text).not.toContain('uid-a');
  });

  it('counts logins, issued tokens and Redis errors through typed methods', async () => {
    metrics.loginSucceeded();
    metrics.loginSucceeded();
    metrics.loginFailed('invalid_credentials');
    metrics.tokenIssued('access_token');
    metrics.tokenIssued('id_token');
    metrics.redisError();
    const text = await scrape();
    expect(text).toContain('vneid_logins_total{result="success"} 2');
    expect(text).toContain('vneid_logins_total{result="invalid_credentials"} 1');
    expect(text).toContain('vneid_tokens_issued_total{type="access_token"} 1');
    expect(text).toContain('vneid_tokens_issued_total{type="id_token"} 1');
    expect(text).toContain('vneid_redis_errors_total 1');
  });

  it('includes process metrics, in the Prometheus text format', async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('vneid_process_cpu_user_seconds_total');
  });

  it('keeps each instance separate, so several apps can live in one process', async () => {
    const text = await other.render();
    expect(text).not.toContain('vneid_logins_total{result="success"}');
    expect(text).not.toContain('vneid_process_cpu');
  });

  it('requires the bearer token when one is configured', async () => {
    expect((await fetch(`${protectedApp.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${protectedApp.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${protectedApp.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('vneid_http_requests_total');
  });
});
