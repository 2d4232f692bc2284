import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { MAX_REQUEST_HEADER_BYTES } from '../../src/http/request-limits.js';
import { signInToAccountPages } from '../support/account-steps.js';
import { csrfTokenOf, saysWhatWentWrong } from '../support/hostile-steps.js';
import { createCitizen, startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty } from '../support/relying-party.js';
import { citizenFields, declare, freshContact, openRegistration, personas, shown } from '../support/registration-steps.js';
import { citizenAt, enterPassword, startSignIn } from '../support/sign-in-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';
import { exportJWK, generateKeyPair } from 'jose';
import { API_SCOPES } from '../../src/domain/api-scopes.js';
import { API_CLIENTS, lifecycleEnvironment, writeLifecycleClients } from '../support/lifecycle-harness.js';
import { callApi, tokenFor } from '../support/lifecycle-steps.js';

/** Small limits, so that each is reached in a few requests (config keys of docs/configuration.md). */
const UPLOAD_MAX_BYTES = 262_144;

/**
 * Issue 6, the limits: a body over the limit is refused with 413 and a clear page (forms, JSON, the photo upload), a
 * request head over MAX_REQUEST_HEADER_BYTES with 431, and too many attempts with 429 and Retry-After (sign-in,
 * registration, code resend). The API's 413 is in hostile-api.test.ts.
 */
describe('request limits', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  /** Providers of single tests, on the same Redis; stopped before it. */
  const ownProviders: RunningProvider[] = [];

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    running = await startProvider(
      redis,
      {},
      {
        config: {
          level2: { uploadMaxBytes: UPLOAD_MAX_BYTES },
          limits: { registryMatchesPerIp: { points: 2, windowSeconds: 3_600, blockSeconds: 600 } },
          signIn: { passwordFailures: { freeFailures: 1, baseDelaySeconds: 30, maxDelaySeconds: 60, disableAfterFailures: 0, windowSeconds: 3_600 } },
        },
      },
    );
    rp = await discoverAsRelyingParty(running.issuer);
  });
  afterAll(async () => {
    for (const own of ownProviders) await own.stop();
    await running?.stop();
    await redis?.destroy();
  });

  const tooLarge = (page: Page): boolean => page.status === 413 && page.html.includes(shown('errors.payload_too_large.title', undefined, 'en'));

  describe('413', () => {
    it('refuses a form body over 16 KiB with a clear page, as urlencoded and as JSON', async () => {
      const agent = new UserAgent();
      const token = csrfTokenOf(await agent.navigate(`${running.issuer}/register/citizen?lang=en`));
      const form = await agent.request(`${running.issuer}/register/citizen`, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: token, fullName: 'Nguyễn '.repeat(3_000) }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(tooLarge(form)).toBe(true);
      const json = await agent.request(`${running.issuer}/register/citizen`, {
        method: 'POST',
        body: JSON.stringify({ _csrf: token, fullName: 'x'.repeat(20_000) }),
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
      });
      expect(tooLarge(json)).toBe(true);
      // Just under the limit is read, and refused for what it says instead.
      const under = await agent.request(`${running.issuer}/register/citizen`, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: token, fullName: 'x'.repeat(15_000) }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(under.status).toBe(400);
    });

    it('refuses a photo over level2.uploadMaxBytes with a clear page', async () => {
      const owner = await createCitizen(running.container);
      const { agent } = await signInToAccountPages(running, owner, '/account/level2');
      const token = csrfTokenOf(await agent.navigate(`${running.issuer}/account/level2?lang=en`));
      const form = new FormData();
      form.set('_csrf', token);
      const jpeg = new Uint8Array(UPLOAD_MAX_BYTES + 1_024);
      jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
      form.set('photo', new Blob([jpeg], { type: 'image/jpeg' }), 'face.jpg');
      const page = await agent.request(`${running.issuer}/account/level2/photo`, { method: 'POST', body: form });
      expect(tooLarge(page)).toBe(true);
    });
  });

  describe('431', () => {
    it(`refuses a request head over ${MAX_REQUEST_HEADER_BYTES} bytes, and reads one just under it`, async () => {
      const big = await rawGet(running.issuer, '/register', { cookie: `pad=${'a'.repeat(MAX_REQUEST_HEADER_BYTES)}` });
      expect(big).toBe(431);
      const under = await rawGet(running.issuer, '/register', { cookie: `pad=${'a'.repeat(MAX_REQUEST_HEADER_BYTES - 1_024)}` });
      expect(under).toBe(200);
      const manyHeaders = await rawGet(running.issuer, '/register', Object.fromEntries(Array.from({ length: 400 }, (_, index) => [`x-filler-${index}`, 'b'.repeat(40)])));
      expect(manyHeaders).toBe(431);
    });
  });

  describe('429 with Retry-After', () => {
    const retryAfter = (page: Page): number => Number(page.headers.get('retry-after') ?? 'NaN');

    it('on the sign-in page once wrong passwords pass the free ones', async () => {
      const fixture = await citizenAt(running.container, 1);
      const agent = new UserAgent();
      const { page } = await startSignIn(rp, agent, { ui_locales: 'en' });
      const statuses: number[] = [];
      let last = page;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        last = await enterPassword(agent, page, fixture, 'not the password');
        statuses.push(last.status);
      }
      expect(statuses).toContain(429);
      expect(last.status).toBe(429);
      expect(retryAfter(last)).toBeGreaterThan(0);
      expect(saysWhatWentWrong(last)).toBe(true);
    });

    it('on registration once the registry matches of this address are used up', async () => {
      const agent = new UserAgent();
      const start = await openRegistration(agent, `${running.issuer}/register`);
      const statuses: number[] = [];
      let last = start;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        // A name the registry does not hold for that number: each declaration costs one registry match.
        last = await declare(agent, start, 'citizen', { ...citizenFields(personas.citizens.adult, freshContact()), fullName: `Không Khớp ${attempt}` });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 2)).not.toContain(429);
      expect(last.status).toBe(429);
      expect(retryAfter(last)).toBeGreaterThan(0);
      expect(last.html).toContain(shown('errors.rate_limited.title'));
    });

    it('on "send a new code" before the resend interval has passed', async () => {
      // The first code was sent when the declaration was accepted; the next one only after codeResendIntervalSeconds.
      const agent = new UserAgent();
      const codePage = await registrationAtCodePage(agent);
      // The page offers no resend button yet; a script posting anyway is refused.
      const resend = await agent.request(new URL('/register/code/resend', codePage.url).toString(), {
        method: 'POST',
        body: new URLSearchParams({ _csrf: csrfTokenOf(codePage) }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(resend.status).toBe(429);
      expect(retryAfter(resend)).toBeGreaterThan(0);
      expect(retryAfter(resend)).toBeLessThanOrEqual(60);
      expect(saysWhatWentWrong(resend)).toBe(true);
    });
  });

  it('on the API once a client has made api.requestsPerClient calls in the window', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const clientsFile = writeLifecycleClients('http://127.0.0.1:1/backchannel', await exportJWK(publicKey));
    const api = await startProvider(redis, lifecycleEnvironment(clientsFile), { config: { api: { requestsPerClient: { points: 3, windowSeconds: 45 } } } });
    ownProviders.push(api);
    const agency = await tokenFor(api.issuer, API_CLIENTS.agencyA, API_SCOPES.statusRead);
    const other = await tokenFor(api.issuer, API_CLIENTS.readOnly, API_SCOPES.statusRead);
    const call = (token: string) => callApi(api.issuer, token, 'POST', '/api/v1/accounts/status', { personalIdNumber: '000000000000' });
    const answers = [await call(agency), await call(agency), await call(agency), await call(agency)];
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 429]);
    expect(answers[3]?.body).toMatchObject({ code: 'rate_limited' });
    expect(answers[3]?.headers.get('retry-after')).toBe('45');
    // Counted per client: another agency is not held back by this one.
    expect((await call(other)).status).toBe(404);
  });

  /** A registration of a persona brought to its code page (on a provider of its own: the per-IP limit above is spent). */
  async function registrationAtCodePage(agent: UserAgent): Promise<Page> {
    const own = await startProvider(redis, {}, { config: { limits: { registryMatchesPerIp: { points: 1_000, windowSeconds: 60 } } } });
    ownProviders.push(own);
    const start = await openRegistration(agent, `${own.issuer}/register`);
    const codePage = await declare(agent, start, 'citizen', citizenFields(personas.citizens.teenager, freshContact()));
    if (!codePage.url.includes('/register/code')) throw new Error(`no code page: ${codePage.status} ${codePage.url}`);
    return codePage;
  }
});

/** A GET with the given headers through node:http (fetch would refuse some of them), answering the status. */
function rawGet(issuer: string, path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(issuer);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, method: 'GET', headers: { accept: 'text/html', ...headers } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}
