import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { parseBody } from '../../../../src/http/middleware/body.js';
import { CSRF_COOKIE_PLAIN, CSRF_COOKIE_SECURE, csrfToken, requireCsrf } from '../../../../src/http/middleware/csrf.js';
import { errorHandler } from '../../../../src/http/middleware/errors.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { cookiesOf, listen, type Listening } from '../listen.js';

const OLD_KEY = 'old-cookie-key-0123456789abcdef0123456789';
const NEW_KEY = 'new-cookie-key-0123456789abcdef0123456789';
const silent = createLogger({ level: 'silent' });

/** GET /form shows a token (as a page would put it in a form); POST /submit is a protected handler. */
function buildApp(keys: string[], proxy = false): Koa {
  const app = new Koa();
  app.proxy = proxy;
  app.use(errorHandler({ logger: silent }));
  app.use(csrfToken({ keys }));
  app.use(async (ctx, next) => {
    if (ctx.path === '/form') ctx.body = { token: ctx.state.csrfToken };
    else if (ctx.path === '/no-form') ctx.body = 'nothing to protect here';
    else await next();
  });
  app.use(parseBody());
  app.use(requireCsrf({ keys }));
  app.use((ctx) => {
    ctx.body = { accepted: true, body: ctx.request.body };
  });
  return app;
}

interface Browser {
  cookie: string;
  token: string;
}

async function openForm(url: string): Promise<Browser> {
  const response = await fetch(`${url}/form`);
  const { token } = (await response.json()) as { token: string };
  return { cookie: cookiesOf(response), token };
}

const postForm = (url: string, cookie: string, fields: Record<string, string>): Promise<Response> =>
  fetch(`${url}/submit`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });

let app: Listening;
let rotated: Listening;
let oldKeyOnly: Listening;

beforeAll(async () => {
  app = await listen(buildApp([NEW_KEY]));
  rotated = await listen(buildApp([NEW_KEY, OLD_KEY]));
  oldKeyOnly = await listen(buildApp([OLD_KEY]));
});

afterAll(async () => {
  await Promise.all([app.close(), rotated.close(), oldKeyOnly.close()]);
});

describe('csrf', () => {
  it('gives the browser an HttpOnly SameSite=Lax cookie and a token when a form is shown', async () => {
    const response = await fetch(`${app.url}/form`);
    const [setCookie = ''] = response.headers.getSetCookie();
    expect(setCookie).toMatch(new RegExp(`^${CSRF_COOKIE_PLAIN.replace('.', '\\.')}=[A-Za-z0-9_-]{43};`));
    expect(setCookie).toMatch(/path=\//);
    expect(setCookie).toMatch(/samesite=lax/);
    expect(setCookie).toMatch(/httponly/);
  });

  it('sets no cookie on requests that never render a form', async () => {
    const response = await fetch(`${app.url}/no-form`);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('keeps one cookie per browser: a second form reuses it and gets the same token', async () => {
    const first = await openForm(app.url);
    const again = await fetch(`${app.url}/form`, { headers: { cookie: first.cookie } });
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(((await again.json()) as { token: string }).token).toBe(first.token);
  });

  it('accepts a post carrying the token in _csrf, leaving the field for the form DTO', async () => {
    const browser = await openForm(app.url);
    const response = await postForm(app.url, browser.cookie, { _csrf: browser.token, password: 'x' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: true, body: { _csrf: browser.token, password: 'x' } });
  });

  it('accepts the token in the X-CSRF-Token header', async () => {
    const browser = await openForm(app.url);
    const response = await fetch(`${app.url}/submit`, {
      method: 'POST',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.token, 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no token', (b: Browser) => ({ cookie: b.cookie, fields: {} })],
    ['a wrong token', (b: Browser) => ({ cookie: b.cookie, fields: { _csrf: `${b.token.slice(0, -2)}xx` } })],
    ['a token of another length', (b: Browser) => ({ cookie: b.cookie, fields: { _csrf: 'short' } })],
    ['no cookie (a cross-site post)', (b: Browser) => ({ cookie: '', fields: { _csrf: b.token } })],
    ['another browser’s cookie', (b: Browser) => ({ cookie: `${CSRF_COOKIE_PLAIN}=${'A'.repeat(43)}`, fields: { _csrf: b.token } })],
  ])('refuses a post with %s: 403 csrf_failed', async (_label, attack) => {
    const browser = await openForm(app.url);
    const { cookie, fields } = attack(browser);
    const response = await postForm(app.url, cookie, fields);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'csrf_failed' });
  });

  it('lets GET through without a token', async () => {
    expect((await fetch(`${app.url}/submit`)).status).toBe(200);
  });

  it('keeps accepting tokens made with the previous key after rotation, and issues new ones with the new key', async () => {
    const before = await openForm(oldKeyOnly.url);
    expect((await postForm(rotated.url, before.cookie, { _csrf: before.token })).status).toBe(200);
    const after = await openForm(rotated.url);
    expect((await postForm(app.url, after.cookie, { _csrf: after.token })).status).toBe(200);
    // Once the old key is dropped, its tokens stop working.
    expect((await postForm(app.url, before.cookie, { _csrf: before.token })).status).toBe(403);
  });

  it('uses a __Host- cookie, marked Secure, behind TLS', async () => {
    const secure = await listen(buildApp([NEW_KEY], true));
    try {
      const response = await fetch(`${secure.url}/form`, { headers: { 'x-forwarded-proto': 'https' } });
      const [setCookie = ''] = response.headers.getSetCookie();
      expect(setCookie.startsWith(`${CSRF_COOKIE_SECURE}=`)).toBe(true);
      expect(setCookie).toMatch(/secure/);
    } finally {
      await secure.close();
    }
  });

  it('refuses to start without a key', () => {
    expect(() => csrfToken({ keys: [] })).toThrow(/key/);
    expect(() => requireCsrf({ keys: [''] })).toThrow(/key/);
  });
});
