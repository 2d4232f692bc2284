import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Koa from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { LOCALES, negotiateLocale, type Locale } from '../../../src/http/i18n.js';
import { NATIONALITY_CODES } from '../../../src/http/nationalities.js';
import type {
  ConsentViewModel,
  ErrorViewModel,
  LoggedOutViewModel,
  LoginViewModel,
  LogoutViewModel,
} from '../../../src/http/view-models.js';
import { LANG_COOKIE, render, renderLogoutSource, renderPostLogoutSuccess, Views } from '../../../src/http/views.js';
import { cookiesOf, listen, type Listening } from './listen.js';

const VIEWS_DIR = join(process.cwd(), 'views');
const HOSTILE = '<script>alert("x")</script>';

const views = new Views({ dir: VIEWS_DIR, defaultLocale: 'vi', cache: true });
const text = (locale: Locale, key: string, vars?: Record<string, string>): string => views.translator.t(locale, key, vars);
/** What eta's escaping turns a value into, for asserting that hostile input shows as text. */
const escaped = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const login: LoginViewModel = {
  uid: 'uid-123',
  csrfToken: 'csrf-token-value',
  clientName: 'Cổng Dịch vụ công',
  form: { kind: 'citizen' },
};
const consent: ConsentViewModel = {
  uid: 'uid-123',
  csrfToken: 'csrf-token-value',
  clientName: 'Cổng Dịch vụ công',
  scopes: [
    { name: 'profile', claims: ['name', 'birthdate', 'gender'] },
    { name: 'custom_scope', claims: ['custom_claim'] },
  ],
};
const unavailable: ErrorViewModel = {
  status: 503,
  titleKey: 'errors.service_unavailable.title',
  messageKey: 'errors.service_unavailable.message',
  retry: true,
  requestId: 'req-0001',
};
const providerForm = '<form id="op.logoutForm" method="post" action="/session/end/confirm"><input type="hidden" name="xsrf" value="abc"/></form>';

let app: Listening;
let pageModel: { template: string; model: object; status?: number };

beforeAll(async () => {
  const koa = new Koa();
  koa.use(views.middleware());
  koa.use(async (ctx, next) => {
    if (ctx.path === '/logout') {
      const oidcCtx = Object.assign(ctx, { oidc: { client: { clientId: 'portal', clientName: ctx.query.client } } });
      await renderLogoutSource(oidcCtx as unknown as KoaContextWithOIDC, providerForm);
      return;
    }
    if (ctx.path === '/logged-out') {
      await renderPostLogoutSuccess(Object.assign(ctx, { oidc: {} }) as unknown as KoaContextWithOIDC);
      return;
    }
    if (ctx.path === '/hello') {
      ctx.body = ctx.state.t('login.title');
      return;
    }
    await next();
  });
  koa.use((ctx) => render(ctx, pageModel.template, pageModel.model, pageModel.status));
  app = await listen(koa);
});

afterAll(async () => {
  await app.close();
});

async function page(template: string, model: object, init: { path?: string; headers?: Record<string, string>; method?: string } = {}): Promise<{ html: string; response: Response }> {
  pageModel = { template, model };
  const response = await fetch(`${app.url}${init.path ?? '/interaction/uid-123'}`, { method: init.method ?? 'GET', headers: init.headers });
  return { html: await response.text(), response };
}

describe('language', () => {
  it('is Vietnamese by default, with a link to switch to English', async () => {
    const { html, response } = await page('interaction/login', login);
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('<h1>Đăng nhập</h1>');
    expect(html).toContain('href="/interaction/uid-123?lang=en"');
    expect(response.headers.get('content-language')).toBe('vi');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('switches to English with ?lang=en and remembers the choice in the lang cookie', async () => {
    const switched = await page('interaction/login', login, { path: '/interaction/uid-123?lang=en' });
    expect(switched.html).toContain('<html lang="en">');
    expect(switched.html).toContain('<h1>Sign in</h1>');
    expect(switched.html).toContain('href="/interaction/uid-123?lang=vi"');
    const cookie = cookiesOf(switched.response);
    expect(cookie).toBe(`${LANG_COOKIE}=en`);
    expect(switched.response.headers.getSetCookie()[0]).toMatch(/httponly/i);

    const later = await page('interaction/login', login, { headers: { cookie } });
    expect(later.html).toContain('<h1>Sign in</h1>');
  });

  it('follows Accept-Language when nothing was chosen, and falls back to the default', async () => {
    const english = await fetch(`${app.url}/hello`, { headers: { 'accept-language': 'en-GB,en;q=0.9,vi;q=0.5' } });
    expect(await english.text()).toBe('Sign in');
    const french = await fetch(`${app.url}/hello`, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    expect(await french.text()).toBe('Đăng nhập');
    const unknownSwitch = await fetch(`${app.url}/hello?lang=xx`, { headers: { 'accept-language': 'en' } });
    expect(await unknownSwitch.text()).toBe('Sign in');
    expect(unknownSwitch.headers.getSetCookie()).toEqual([]);
  });

  it('ranks the sources: switch, then cookie, then Accept-Language (by q), then the default', () => {
    expect(negotiateLocale({ query: 'en', cookie: 'vi', acceptLanguage: 'vi', defaultLocale: 'vi' })).toBe('en');
    expect(negotiateLocale({ cookie: 'en', acceptLanguage: 'vi', defaultLocale: 'vi' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'fr;q=1, vi;q=0.2, en;q=0.8', defaultLocale: 'vi' })).toBe('en');
    expect(negotiateLocale({ acceptLanguage: 'en;q=0', defaultLocale: 'vi' })).toBe('vi');
    expect(negotiateLocale({ defaultLocale: 'en' })).toBe('en');
  });

  it('offers no switch link on a page answering a POST unless the page names its GET address', async () => {
    const error = await page('errors/error', unavailable, { path: '/somewhere', method: 'POST' });
    expect(error.html).not.toContain('?lang=');
    const loginAgain = await page('interaction/login', login, { path: '/interaction/uid-123/login', method: 'POST' });
    expect(loginAgain.html).toContain('href="/interaction/uid-123?lang=en"');
  });
});

describe.each(LOCALES)('pages in %s', (locale) => {
  const headers = { cookie: `${LANG_COOKIE}=${locale}` };

  it('sign-in: both ways to identify, password, hidden _csrf, posting to /interaction/<uid>/login', async () => {
    const { html } = await page('interaction/login', { ...login, requestedLevel: 2 }, { headers });
    expect(html).toContain(`<html lang="${locale}">`);
    expect(html).toContain(escaped(text(locale, 'login.intro', { clientName: login.clientName })));
    expect(html).toContain(text(locale, 'login.level2Notice'));
    expect(html).toContain('action="/interaction/uid-123/login"');
    expect(html).toContain('<input type="hidden" name="_csrf" value="csrf-token-value">');
    for (const field of ['idNumber', 'passportNumber', 'nationality', 'password']) {
      expect(html).toContain(`<label for="${field}">`);
      expect(html).toMatch(new RegExp(`id="${field}" name="${field}"`));
    }
    expect(html).toContain(escaped(text(locale, 'login.idNumber.label')));
    expect(html).toContain(escaped(text(locale, 'login.nationality.label')));
    expect(html).toMatch(/id="kind-citizen" name="kind" value="citizen" checked/);
    expect(html).toContain('type="password" autocomplete="current-password"');
    // The nationality select offers ISO alpha-3 codes, named in the page language.
    expect(html).toContain('<option value="FRA">' + (locale === 'vi' ? 'Pháp' : 'France') + '</option>');
    expect(html).not.toContain('<option value="VNM"');
    expect(html).toContain('action="/interaction/uid-123/abort"');
    expect(html).not.toContain('error-summary');
  });

  it('sign-in with an error: summary linked to the field, field marked invalid and described by the message', async () => {
    const model: LoginViewModel = {
      ...login,
      error: 'login.invalid_credentials',
      form: { kind: 'foreigner', passportNumber: 'B1234567', nationality: 'KOR' },
    };
    const { html } = await page('interaction/login', model, { headers });
    const message = escaped(text(locale, 'login.invalid_credentials'));
    expect(html).toContain(`<title>${escaped(text(locale, 'app.errorPrefix'))} ${escaped(text(locale, 'login.title'))}`);
    expect(html).toContain(`<a href="#passportNumber">${message}</a>`);
    expect(html).toContain('id="passportNumber-error"');
    expect(html).toMatch(/id="passportNumber"[^>]*aria-describedby="passportNumber-hint passportNumber-error" aria-invalid="true"/);
    expect(html).toMatch(/id="kind-foreigner" name="kind" value="foreigner" checked/);
    expect(html).toContain('value="B1234567"');
    expect(html).toContain('<option value="KOR" selected>');
  });

  it('consent: scopes and claims in words, approve to /confirm and deny to /abort, each with _csrf', async () => {
    const { html } = await page('interaction/consent', consent, { headers });
    expect(html).toContain(escaped(text(locale, 'consent.intro', { clientName: consent.clientName })));
    expect(html).toContain(escaped(text(locale, 'scopes.profile')));
    expect(html).toContain(`<li>${escaped(text(locale, 'claims.birthdate'))}</li>`);
    // Names the catalogue does not know are shown as they are.
    expect(html).toContain('custom_scope');
    expect(html).toContain('<li>custom_claim</li>');
    expect(html).toContain('action="/interaction/uid-123/confirm"');
    expect(html).toContain('action="/interaction/uid-123/abort"');
    expect(html.match(/name="_csrf" value="csrf-token-value"/g)).toHaveLength(2);
    expect(html).toContain(`>${escaped(text(locale, 'consent.approve'))}</button>`);
    expect(html).toContain(`>${escaped(text(locale, 'consent.deny'))}</button>`);
  });

  it('error page: a clear message, a retry link for GET, the reference, never a stack', async () => {
    const { html, response } = await page('errors/error', { ...unavailable, retryUrl: '/interaction/uid-123' }, { headers });
    expect(response.status).toBe(200); // the status is the caller's choice, see the errors middleware tests
    expect(html).toContain(`<h1>${escaped(text(locale, 'errors.service_unavailable.title'))}</h1>`);
    expect(html).toContain(escaped(text(locale, 'errors.service_unavailable.message')));
    expect(html).toContain(`href="/interaction/uid-123">${escaped(text(locale, 'errors.retry'))}</a>`);
    expect(html).toContain('<code>req-0001</code>');
    expect(html).not.toMatch(/at .*\.ts:\d+/);
  });

  it('logout confirmation: the provider form and two buttons submitting it', async () => {
    const { html, response } = await page('unused', {}, { path: '/logout?client=Portal', headers });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain(providerForm);
    expect(html).toContain(escaped(text(locale, 'logout.introWithClient', { clientName: 'Portal' })));
    expect(html).toMatch(/<button type="submit" class="button" form="op.logoutForm" name="logout" value="yes"/);
    expect(html).toContain(`form="op.logoutForm">${escaped(text(locale, 'logout.stay'))}</button>`);
  });

  it('logged out: a confirmation', async () => {
    const { html } = await page('unused', {}, { path: '/logged-out', headers });
    expect(html).toContain(`<h1>${escaped(text(locale, 'loggedOut.title'))}</h1>`);
    expect(html).toContain(escaped(text(locale, 'loggedOut.message')));
  });
});

describe('escaping', () => {
  it('shows hostile values from clients and users as text on every page', async () => {
    const hostileLogin: LoginViewModel = {
      uid: '"><img src=x onerror=alert(1)>',
      csrfToken: '"><script>1</script>',
      clientName: HOSTILE,
      error: 'login.invalid_input',
      form: { kind: 'citizen', idNumber: '"><script>2</script>', nationality: '"><b>' },
    };
    const hostileConsent: ConsentViewModel = {
      ...consent,
      clientName: HOSTILE,
      scopes: [{ name: '<b>scope</b>', claims: ['<i>claim</i>'] }],
    };
    const hostileError: ErrorViewModel = {
      ...unavailable,
      requestId: HOSTILE,
      retryUrl: 'javascript:"><script>',
      protocolError: { error: 'invalid_request', description: HOSTILE },
    };
    const pages = [
      (await page('interaction/login', hostileLogin)).html,
      (await page('interaction/consent', hostileConsent)).html,
      (await page('errors/error', hostileError)).html,
      (await page('unused', {}, { path: `/logout?client=${encodeURIComponent(HOSTILE)}` })).html,
    ];
    for (const html of pages) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>');
      expect(html).not.toContain('<i>');
    }
    expect(pages[0]).toContain(escaped(HOSTILE));
    expect(pages[0]).toContain('action="/interaction/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/login"');
    expect(pages[0]).toContain(`value="${escaped('"><script>2</script>')}"`);
    expect(pages[1]).toContain('&lt;b&gt;scope&lt;/b&gt;');
    expect(pages[2]).toContain(`<code>${escaped(HOSTILE)}</code>`);
    expect(pages[2]).toContain(`<code>invalid_request</code> — ${escaped(HOSTILE)}`);
  });
});

describe('templates and catalogue', () => {
  const flatten = (node: unknown, prefix = ''): string[] =>
    typeof node === 'object' && node !== null
      ? Object.entries(node).flatMap(([key, value]) => flatten(value, prefix ? `${prefix}.${key}` : key))
      : [prefix];
  const catalogue = (locale: Locale): string[] =>
    flatten(JSON.parse(readFileSync(join(VIEWS_DIR, 'locales', `${locale}.json`), 'utf8'))).sort();

  it('has the same keys in Vietnamese and English', () => {
    expect(catalogue('en')).toEqual(catalogue('vi'));
  });

  it('has every key the templates use literally, and a title and message for every error code', async () => {
    const { ERROR_CODES } = await import('../../../src/domain/errors.js');
    const templates = ['layouts', 'partials', 'interaction', 'errors'].flatMap((dir) =>
      readdirSync(join(VIEWS_DIR, dir)).map((file) => readFileSync(join(VIEWS_DIR, dir, file), 'utf8')),
    );
    const used = templates.flatMap((source) => [...source.matchAll(/it\.t\('([a-zA-Z0-9_.]+)'\s*[,)]/g)].map((m) => m[1] ?? ''));
    const required = [
      ...used,
      ...Object.keys(ERROR_CODES).flatMap((code) => [`errors.${code}.title`, `errors.${code}.message`]),
      ...LOCALES.map((code) => `lang.${code}`),
    ];
    expect(used.length).toBeGreaterThan(20);
    for (const locale of LOCALES) {
      const missing = required.filter((key) => !views.translator.has(locale, key));
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });

  it('offers stateless persons and no territory without people among the nationalities', () => {
    expect(NATIONALITY_CODES).toContain('XXA');
    expect(NATIONALITY_CODES).toContain('USA');
    expect(NATIONALITY_CODES).not.toContain('ATA');
    expect(new Set(NATIONALITY_CODES).size).toBe(NATIONALITY_CODES.length);
    expect(NATIONALITY_CODES.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
  });

  it('renders the logout and logged-out models as documented', () => {
    const logout: LogoutViewModel = { form: providerForm };
    const loggedOut: LoggedOutViewModel = { clientName: 'Portal' };
    expect(views.render('interaction/logout', logout, 'en')).toContain(text('en', 'logout.intro'));
    expect(views.render('interaction/logged-out', loggedOut, 'en')).toContain('You have signed out of Portal.');
  });
});
