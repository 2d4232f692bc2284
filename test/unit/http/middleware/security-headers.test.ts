import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { errorHandler } from '../../../../src/http/middleware/errors.js';
import { securityHeaders } from '../../../../src/http/middleware/security-headers.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { listen, type Listening } from '../listen.js';

let app: Listening;

const directivesOf = (csp: string): Map<string, string[]> =>
  new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...values]) => [name, values]),
  );

beforeAll(async () => {
  const koa = new Koa();
  // Behind the TLS-terminating proxy (config trustProxy): X-Forwarded-Proto decides ctx.secure.
  koa.proxy = true;
  koa.use(securityHeaders());
  koa.use(errorHandler({ logger: createLogger({ level: 'silent' }) }));
  koa.use((ctx) => {
    if (ctx.path === '/boom') throw new Error('boom');
    // What oidc-provider's form_post page does: read the CSP set upstream and add its inline script's hash.
    const csp = ctx.response.get('content-security-policy');
    ctx.body = { providerCanAddScriptHash: directivesOf(csp).has('script-src') };
  });
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

describe('security headers', () => {
  it('sends a strict CSP: own origin only, no inline script, never framed, no form-action', async () => {
    const response = await fetch(`${app.url}/`);
    const csp = directivesOf(response.headers.get('content-security-policy') ?? '');
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    // form-action 'self' would block the 303 chain to the relying party's redirect_uri after the login POST.
    expect(csp.has('form-action')).toBe(false);
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await response.json()).toEqual({ providerCanAddScriptHash: true });
  });

  it('forbids framing, sniffing and referrers', async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('sends HSTS and upgrade-insecure-requests only over TLS', async () => {
    const plain = await fetch(`${app.url}/`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');

    const tls = await fetch(`${app.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(tls.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('keeps the headers on error pages', async () => {
    const response = await fetch(`${app.url}/boom`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
