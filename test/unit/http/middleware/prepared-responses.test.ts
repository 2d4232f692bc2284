import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import Koa from 'koa';
import mount from 'koa-mount';
import Provider from 'oidc-provider';
import { preparedResponses } from '../../../../src/http/middleware/prepared-responses.js';
import { listen, type Listening } from '../listen.js';

const ISSUER = 'https://id.example.vn';
const DISCOVERY = '/.well-known/openid-configuration';
/** What the TLS-terminating proxy adds in front of a production instance (config trustProxy). */
const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'id.example.vn' };

let app: Listening;
/** Requests that reached the provider. */
let providerHits = 0;
/** The provider answers 503 while this is set, as it would on an outage. */
let failing = false;

beforeAll(async () => {
  const provider = new Provider(ISSUER, { features: { devInteractions: { enabled: false } } });
  const koa = new Koa();
  koa.proxy = true;
  koa.use(preparedResponses({ paths: [DISCOVERY, provider.pathFor('jwks')], origin: new URL(ISSUER).origin, maxAgeSeconds: 300 }));
  koa.use(async (ctx, next) => {
    providerHits += 1;
    if (failing) {
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable' };
      return;
    }
    await next();
  });
  koa.use(mount(provider));
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${app.url}${path}`, { headers: { ...viaProxy, ...headers } });

/**
 * A conditional GET as a cache sends it. Not fetch: the Fetch standard adds `Cache-Control: no-cache` to any request
 * carrying If-None-Match, which asks for the full document.
 */
const revalidate = (path: string, etag: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const outgoing = request(`${app.url}${path}`, { headers: { ...viaProxy, 'if-none-match': etag } }, (incoming) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });

describe('prepared discovery and JWKS documents', () => {
  it('asks the provider once, then serves the same bytes from memory with an ETag and Cache-Control', async () => {
    const before = providerHits;
    const first = await get(DISCOVERY);
    const firstBody = await first.text();
    const second = await get(DISCOVERY, { origin: 'https://rp.example.vn' });
    const secondBody = await second.text();

    expect(providerHits - before).toBe(1);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(secondBody).toBe(firstBody);
    expect(JSON.parse(secondBody)).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` });
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('cache-control')).toBe('public, max-age=300');
    // The provider's open CORS for public metadata, kept.
    expect(second.headers.get('access-control-allow-origin')).toBe('https://rp.example.vn');
  });

  it('answers 304 Not Modified to a client that already has the document', async () => {
    const etag = (await get('/jwks')).headers.get('etag') ?? '';
    const revalidated = await revalidate('/jwks', etag);
    expect(revalidated).toEqual({ status: 304, body: '' });
    expect((await revalidate('/jwks', '"something-else"')).status).toBe(200);
    const jwks = await get('/jwks');
    expect(jwks.headers.get('content-type')).toContain('application/jwk-set+json');
    expect(JSON.parse(await jwks.text())).toHaveProperty('keys');
  });

  it('leaves requests for another host to the provider and keeps nothing of them', async () => {
    const before = providerHits;
    const forged = await get(DISCOVERY, { 'x-forwarded-host': 'evil.example' });
    const forgedAgain = await get(DISCOVERY, { 'x-forwarded-host': 'evil.example' });
    expect(providerHits - before).toBe(2);
    expect(forged.headers.get('etag')).toBeNull();
    expect(forgedAgain.headers.get('etag')).toBeNull();
    // What the provider built for that host never reaches the real one.
    expect(JSON.parse(await (await get(DISCOVERY)).text()).token_endpoint).toBe(`${ISSUER}/token`);
  });

  it('does not keep a failed answer and does not touch other paths or methods', async () => {
    const provider = new Provider(ISSUER, {});
    const koa = new Koa();
    koa.proxy = true;
    koa.use(preparedResponses({ paths: [DISCOVERY], origin: ISSUER, maxAgeSeconds: 60 }));
    let hits = 0;
    koa.use(async (ctx, next) => {
      hits += 1;
      if (failing) {
        ctx.status = 503;
        ctx.body = { error: 'temporarily_unavailable' };
        return;
      }
      await next();
    });
    koa.use(mount(provider));
    const fresh = await listen(koa);
    try {
      const fetchFresh = (path: string, init: RequestInit = {}): Promise<Response> =>
        fetch(`${fresh.url}${path}`, { ...init, headers: viaProxy });
      failing = true;
      expect((await fetchFresh(DISCOVERY)).status).toBe(503);
      failing = false;
      expect((await fetchFresh(DISCOVERY)).status).toBe(200);
      expect((await fetchFresh(DISCOVERY)).status).toBe(200);
      expect(hits).toBe(2);
      await fetchFresh('/jwks');
      await fetchFresh(DISCOVERY, { method: 'POST' });
      expect(hits).toBe(4);
    } finally {
      failing = false;
      await fresh.close();
    }
  });
});
