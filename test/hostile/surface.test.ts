import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { loginKeyOf } from '../../src/domain/account.js';
import type { CitizenRecord } from '../../src/domain/registry.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { accountSnapshot, csrfTokenOf, saysWhatWentWrong } from '../support/hostile-steps.js';
import { startProvider, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, discoverAsRelyingParty } from '../support/relying-party.js';
import { mountedRoutes, routeKeys } from '../support/route-inventory.js';
import { citizenFields, declare, freshContact, openRegistration, personas, shown } from '../support/registration-steps.js';
import { citizenAt, enterCode, enterPassword, readSignInCode, signInClock, startSignIn } from '../support/sign-in-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';
import { DEMO_ROUTE_INPUTS, parseRouteKey, ROUTE_INPUTS, routesOfKind } from './input-inventory.js';

/**
 * Issue 6, the surface every page shares: the inventory of routes matches the routers, every page carries the security
 * headers and a CSP with no inline script, every state-changing form refuses a missing or wrong CSRF token with 403
 * and changes nothing, and every cookie (ours and oidc-provider's) is HttpOnly, SameSite, and Secure behind TLS.
 * The provider trusts X-Forwarded-Proto as production does behind its TLS proxy (TRUST_PROXY=true).
 */
describe('the surface every page shares', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let clock: ManualClock;
  let owner: AccountFixture;
  /** The owner, signed in at level 2 (the authenticator page asks for it), with a sign-in to test-rp pending. */
  let ownerAgent: UserAgent;
  let uid: string;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    clock = signInClock();
    running = await startProvider(redis, { TRUST_PROXY: 'true' }, { clock });
    rp = await discoverAsRelyingParty(running.issuer);
    owner = await citizenAt(running.container, 2);
    ownerAgent = new UserAgent();
    const signIn = await ownerAgent.navigate(`${running.issuer}/account/authenticator?lang=en`);
    const codePage = await enterPassword(ownerAgent, signIn, owner);
    const enrolment = await enterCode(ownerAgent, codePage, await readSignInCode(running.issuer, owner.account.phone ?? ''));
    if (!enrolment.url.endsWith('/account/authenticator')) throw new Error(`owner not signed in: ${enrolment.status} ${enrolment.url}`);
    // prompt=login keeps the sign-in on its password page although the browser has a session.
    const pending = await startSignIn(rp, ownerAgent, { prompt: 'login' });
    uid = new URL(pending.page.url).pathname.split('/')[2] ?? '';
    if (!/^[\w-]{10,}$/.test(uid)) throw new Error(`no interaction: ${pending.page.url}`);
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  /** A route pattern with its parameters filled in for this suite's owner and pending sign-in. */
  const concrete = (path: string): string =>
    running.issuer +
    path
      .replace(':uid', uid)
      .replace(':file', 'app.css')
      .replace(':accountId', owner.account.id)
      .replace(':lockId', 'lock-1')
      .replace(':clientId', 'test-rp');

  it('lists every route of the routers in the input inventory, and nothing else', () => {
    const mounted = routeKeys(mountedRoutes(running.app)).sort();
    expect(mounted.filter((key) => !(key in ROUTE_INPUTS))).toEqual([]);
    expect(Object.keys(ROUTE_INPUTS).filter((key) => !mounted.includes(key))).toEqual([]);
  });

  it('lists the development demo\'s routes too, where development mounts it, and they carry the same headers', async () => {
    const development = await startProvider(redis, { CLIENTS_FILE: 'config/clients.development.json' });
    try {
      const mounted = routeKeys(mountedRoutes(development.app)).sort();
      expect(mounted).toEqual([...Object.keys(ROUTE_INPUTS), ...Object.keys(DEMO_ROUTE_INPUTS)].sort());
      const problems: string[] = [];
      const agent = new UserAgent();
      for (const key of Object.keys(DEMO_ROUTE_INPUTS)) {
        const page = await agent.request(`${development.issuer}${parseRouteKey(key).path}?level=%22%3E%3Cscript%3E&error=%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
        problems.push(...securityProblems(page).map((problem) => `${key} (${page.status}): ${problem}`));
        if (page.html.includes('<script>alert(1)')) problems.push(`${key}: query echoed unescaped`);
      }
      expect(problems).toEqual([]);
      // The demo's own sign-in cookie is set like ours.
      expect(agent.setCookieLines.length).toBeGreaterThan(0);
      expect(agent.setCookieLines.filter((line) => !/;\s*httponly/i.test(line) || !/;\s*samesite=(lax|strict)/i.test(line))).toEqual([]);
    } finally {
      await development.stop();
    }
  });

  it('sends the security headers and a strict CSP on every page, signed out and signed in, with no inline script', async () => {
    const gets = Object.keys(ROUTE_INPUTS)
      .map(parseRouteKey)
      .filter((route) => route.method === 'GET');
    const problems: string[] = [];
    for (const agent of [new UserAgent(), ownerAgent]) {
      for (const route of gets) {
        const page = await agent.request(concrete(route.path));
        problems.push(...securityProblems(page).map((problem) => `${route.path} (${page.status}): ${problem}`));
      }
    }
    // Pages no router of ours renders: the 404 page, an error page, and oidc-provider's own error and logout pages.
    const others = [
      await new UserAgent().request(`${running.issuer}/no-such-page`),
      await new UserAgent().request(`${running.issuer}/register/citizen`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      await new UserAgent().request(`${running.issuer}/auth?client_id=no-such-client&response_type=code&scope=openid`),
      await ownerAgent.request(`${running.issuer}/session/end`),
    ];
    expect(others.map((page) => page.status)).toEqual([404, 403, 400, 200]);
    for (const page of others) problems.push(...securityProblems(page).map((problem) => `${page.url} (${page.status}): ${problem}`));
    expect(problems).toEqual([]);
  });

  it('adds HSTS and upgrade-insecure-requests only to requests that came through TLS', async () => {
    const overTls = await new UserAgent({ 'x-forwarded-proto': 'https' }).request(`${running.issuer}/register`);
    expect(overTls.headers.get('strict-transport-security')).toMatch(/max-age=31536000; includeSubDomains/);
    expect(overTls.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    const plain = await new UserAgent().request(`${running.issuer}/register`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers an unknown method on a page with a 4xx, never a 5xx', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
      const page = await new UserAgent().request(`${running.issuer}/account/lock`, { method });
      expect({ method, status: page.status }).toEqual({ method, status: 405 });
    }
  });

  describe('CSRF', () => {
    const guarded = [...routesOfKind('form'), ...routesOfKind('upload')].map(parseRouteKey);

    /** What a person would plausibly post on the route: the owner's real password, a valid-looking code, ... */
    function plausibleBody(path: string, token?: string): { body: string | FormData; contentType?: string } {
      const fields: Record<string, string> = {
        ...owner.loginFields,
        currentPassword: owner.password,
        newPassword: 'một mật khẩu mới rất dài',
        newPasswordConfirm: 'một mật khẩu mới rất dài',
        code: '123456',
        kind: path.endsWith('/contact') ? 'email' : 'citizen',
        value: 'attacker@example.vn',
        clientId: 'test-rp',
        accept: 'yes',
        method: 'sms',
        channel: 'sms',
        ...(token !== undefined ? { _csrf: token } : {}),
      };
      if (path.endsWith('/photo')) {
        const form = new FormData();
        if (token !== undefined) form.set('_csrf', token);
        form.set('photo', new Blob([Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }), 'face.jpg');
        return { body: form };
      }
      return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
    }

    it('covers every state-changing route of our pages (POST outside the bearer API)', () => {
      const stateChanging = routeKeys(mountedRoutes(running.app)).filter((key) => !key.startsWith('GET ') && !key.includes(' /api/'));
      expect(stateChanging.sort()).toEqual(guarded.map((route) => `${route.method} ${route.path}`).sort());
    });

    it('refuses a missing, a forged and another browser\'s token with 403, and nothing changes', async () => {
      const otherBrowser = new UserAgent();
      const othersToken = csrfTokenOf(await otherBrowser.navigate(`${running.issuer}/register/citizen`));
      const ownToken = csrfTokenOf(await ownerAgent.navigate(`${running.issuer}/account/lock`));
      const before = await accountSnapshot(running, owner.account.id, loginKeyOf(owner.account.identity));
      const answers: string[] = [];
      for (const route of guarded) {
        for (const [label, token] of [
          ['missing', undefined],
          ['forged', randomBytes(32).toString('base64url')],
          ['another browser\'s', othersToken],
          ['own token with one character changed', `${ownToken.slice(0, -1)}${ownToken.endsWith('A') ? 'B' : 'A'}`],
        ] as const) {
          const { body, contentType } = plausibleBody(route.path, token);
          const page = await ownerAgent.request(concrete(route.path), { method: route.method, body, headers: contentType ? { 'content-type': contentType } : {} });
          const csrfPage = page.status === 403 && (page.html.includes(shown('errors.csrf_failed.title')) || page.html.includes(shown('errors.csrf_failed.title', undefined, 'vi')));
          answers.push(`${route.method} ${route.path} ${label}: ${page.status}${csrfPage || page.status !== 403 ? '' : ' (not the CSRF page)'}`);
        }
      }
      expect(answers.filter((answer) => !answer.endsWith(': 403'))).toEqual([]);
      expect(await accountSnapshot(running, owner.account.id, loginKeyOf(owner.account.identity))).toBe(before);
      // The sign-in that received the right password without a token is still waiting for it.
      const signIn = await ownerAgent.request(`${running.issuer}/interaction/${uid}`);
      expect(signIn.html).toMatch(/action="[^"]*\/login"/);
    });

    it('accepts the token in the X-CSRF-Token header as in the form, and not from another cookie', async () => {
      const agent = new UserAgent();
      const token = csrfTokenOf(await agent.navigate(`${running.issuer}/register/citizen?lang=en`));
      const body = new URLSearchParams({ fullName: '' }).toString();
      const withHeader = await agent.request(`${running.issuer}/register/citizen`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token } });
      expect(withHeader.status).toBe(400);
      expect(saysWhatWentWrong(withHeader)).toBe(true);
      const stranger = await new UserAgent().request(`${running.issuer}/register/citizen`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token } });
      expect(stranger.status).toBe(403);
    });
  });

  describe('cookies', () => {
    /** A whole day of one browser: registration, a relying party's sign-in with a second factor, the account pages. */
    async function browse(agent: UserAgent, person: CitizenRecord): Promise<void> {
      // Signed out, the account pages start their own sign-in (its state in a cookie).
      await agent.request(`${running.issuer}/account`);
      const start = await openRegistration(agent, `${running.issuer}/register`);
      const declared = await declare(agent, start, 'citizen', citizenFields(person, freshContact()));
      if (!declared.url.includes('/register/code')) throw new Error(`declaration refused: ${declared.status} ${declared.url}`);
      const fixture = await citizenAt(running.container, 2);
      const { page } = await startSignIn(rp, agent, { acr_values: 'urn:vn:eid:loa:2' });
      const codePage = await enterPassword(agent, page, fixture);
      await approveConsentIfAsked(agent, await enterCode(agent, codePage, await readSignInCode(running.issuer, fixture.account.phone ?? '')));
      await agent.navigate(`${running.issuer}/account?lang=en`);
      await agent.navigate(`${running.issuer}/account/contact?kind=email`);
    }

    const cookieNames = (agent: UserAgent): string[] => [...new Set(agent.setCookieLines.map((line) => line.split('=')[0] ?? ''))].sort();

    it('are HttpOnly, SameSite and Secure when the request came through TLS, ours and oidc-provider\'s alike', async () => {
      const agent = new UserAgent({ 'x-forwarded-proto': 'https' });
      await browse(agent, personas.citizens.adult);
      // Ours (CSRF, language, registration flow, account sign-in) and the provider's (interaction, resume, session).
      expect(cookieNames(agent)).toEqual(expect.arrayContaining(['__Host-vneid.csrf', '__Host-vneid.registration', '_interaction', '_interaction_resume', '_session', 'lang', 'vneid.account-signin']));
      const weak = agent.setCookieLines.filter((line) => !/;\s*httponly/i.test(line) || !/;\s*samesite=(lax|strict)/i.test(line) || !/;\s*secure/i.test(line));
      expect(weak).toEqual([]);
    });

    it('are HttpOnly and SameSite over plain HTTP too (development), where Secure cannot be used', async () => {
      const agent = new UserAgent();
      await browse(agent, personas.citizens.teenager);
      const weak = agent.setCookieLines.filter((line) => !/;\s*httponly/i.test(line) || !/;\s*samesite=(lax|strict)/i.test(line));
      expect(weak).toEqual([]);
    });
  });
});

/** What is missing from a page's security headers and markup. */
function securityProblems(page: Page): string[] {
  const problems: string[] = [];
  const header = (name: string): string => page.headers.get(name) ?? '';
  if (page.status >= 500) problems.push(`status ${page.status}`);
  const csp = header('content-security-policy');
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    if (!csp.includes(directive)) problems.push(`CSP without ${directive}`);
  }
  if (/unsafe-inline|unsafe-eval/.test(csp)) problems.push('CSP allows inline script or eval');
  if (header('x-frame-options') !== 'DENY') problems.push('no X-Frame-Options: DENY');
  if (header('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (header('referrer-policy') !== 'no-referrer') problems.push('no Referrer-Policy: no-referrer');
  if (!/html/.test(header('content-type'))) return problems;
  // Inline script only where the provider's CSP names its hash (its auto-submitting pages); never an event handler.
  for (const match of page.html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc=/.test(match[1] ?? '')) continue;
    const hash = `'sha256-${createHash('sha256').update(match[2] ?? '').digest('base64')}'`;
    if (!csp.includes(hash)) problems.push('inline script not allowed by a hash');
  }
  if (/<[^>]+\son[a-z]+\s*=/i.test(page.html)) problems.push('inline event handler');
  if (/href\s*=\s*["']?\s*javascript:/i.test(page.html)) problems.push('javascript: URL');
  return problems;
}
