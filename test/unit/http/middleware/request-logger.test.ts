import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Router } from '@koa/router';
import Koa from 'koa';
import { requestId } from '../../../../src/http/middleware/request-id.js';
import { addToRequestLine, redactUrl, requestLogger } from '../../../../src/http/middleware/request-logger.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { listen, type Listening } from '../listen.js';

const lines: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });

/** A monotonic clock the test moves: each request "takes" 12.5 ms. */
let clock = 0;
const now = (): number => (clock += 12.5);

let app: Listening;
let trusting: Listening;

function buildApp(trustIncoming: boolean): Koa {
  const koa = new Koa();
  koa.use(requestId({ trustIncoming }));
  koa.use(requestLogger(logger, { now }));
  const router = new Router();
  router.get('/interaction/:uid', (ctx) => {
    ctx.state.logger.info({ step: 'handler' }, 'handler ran');
    ctx.body = { requestId: ctx.state.requestId };
  });
  // What the provider's token events do (oidc/provider-events.ts): their fields ride on the request's own line.
  router.post('/token', (ctx) => {
    addToRequestLine(ctx, { event: 'token.granted', client: 'rp-1' });
    addToRequestLine(ctx, { grantType: 'client_credentials' });
    ctx.body = {};
  });
  koa.use(router.routes());
  return koa;
}

beforeAll(async () => {
  app = await listen(buildApp(false));
  trusting = await listen(buildApp(true));
});

afterAll(async () => {
  await app.close();
  await trusting.close();
});

describe('request id', () => {
  it('gives each request a fresh id, in the response header and ctx.state', async () => {
    const first = await fetch(`${app.url}/interaction/a`);
    const second = await fetch(`${app.url}/interaction/a`);
    const id = first.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await first.json()).toEqual({ requestId: id });
    expect(second.headers.get('x-request-id')).not.toBe(id);
  });

  it('ignores an incoming id unless the proxy is trusted, and then only a plain one', async () => {
    const forged = await fetch(`${app.url}/interaction/a`, { headers: { 'x-request-id': 'from-the-internet-123' } });
    expect(forged.headers.get('x-request-id')).not.toBe('from-the-internet-123');
    const proxied = await fetch(`${trusting.url}/interaction/a`, { headers: { 'x-request-id': 'proxy-id-1234' } });
    expect(proxied.headers.get('x-request-id')).toBe('proxy-id-1234');
    const injected = await fetch(`${trusting.url}/interaction/a`, { headers: { 'x-request-id': 'x" level=fatal msg=oops' } });
    expect(injected.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('request logger', () => {
  it('logs one line per request: method, route pattern, redacted URL, status, duration, request id', async () => {
    lines.length = 0;
    const response = await fetch(`${app.url}/interaction/uid-1?code=SECRETCODE&state=s3cr3t&client_id=portal&login_hint=012345678901`);
    const id = response.headers.get('x-request-id');
    const handlerLine = lines.find((line) => line.msg === 'handler ran');
    const requestLine = lines.find((line) => line.msg === 'request');
    expect(handlerLine).toMatchObject({ requestId: id, step: 'handler' });
    expect(requestLine).toMatchObject({
      requestId: id,
      method: 'GET',
      route: '/interaction/:uid',
      status: 200,
      durationMs: 12.5,
      url: '/interaction/uid-1?code=[redacted]&state=[redacted]&client_id=portal&login_hint=[redacted]',
    });
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain('SECRETCODE');
    expect(everything).not.toContain('s3cr3t');
    expect(everything).not.toContain('012345678901');
  });

  it('carries the fields added during the request on the same line, and writes no other', async () => {
    lines.length = 0;
    const response = await fetch(`${app.url}/token`, { method: 'POST' });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request',
        requestId: response.headers.get('x-request-id'),
        route: '/token',
        status: 200,
        event: 'token.granted',
        client: 'rp-1',
        grantType: 'client_credentials',
      }),
    ]);
  });

  it('labels requests no route claimed as unmatched', async () => {
    lines.length = 0;
    await fetch(`${app.url}/random/path/123`);
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ route: '(unmatched)', status: 404 });
  });

  it('redacts every parameter outside the allowlist', () => {
    expect(redactUrl('/auth?client_id=a&id_token_hint=eyJ&nonce=n&request=jwt&scope=openid%20profile&prompt=login')).toBe(
      '/auth?client_id=a&id_token_hint=[redacted]&nonce=[redacted]&request=[redacted]&scope=openid%20profile&prompt=login',
    );
    expect(redactUrl('/plain/path')).toBe('/plain/path');
  });
});
