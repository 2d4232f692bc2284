import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type * as oidc from 'openid-client';
import { loginKeyOf } from '../../src/domain/account.js';
import type { RegistryRecord } from '../../src/domain/registry.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { accountSnapshot, csrfTokenOf, judge, type FormDesign } from '../support/hostile-steps.js';
import { hostileBody, hostileShape, reflectableTexts, type HostileShape } from '../support/hostile-values.js';
import { startProvider, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty } from '../support/relying-party.js';
import {
  citizenFields,
  declare,
  dependantFields,
  enterCode as enterActivationCode,
  foreignerFields,
  freshContact,
  NEW_PASSWORD,
  openRegistration,
  personas,
  readCodeFromOutbox,
  recipientOf,
} from '../support/registration-steps.js';
import { citizenAt, enterCode, enterPassword, LEVEL_2, readSignInCode, signInClock, startSignIn } from '../support/sign-in-steps.js';
import { signInToAccountPages } from '../support/account-steps.js';
import { UserAgent } from '../support/user-agent.js';
import { parseRouteKey, ROUTE_INPUTS, routesOfKind } from './input-inventory.js';

/** Runs per form (each run is one request; the suite stays within seconds on a loaded 2-core machine). */
const RUNS_PER_FORM = 50;
const RUNS_OF_FORGED_TOKENS = 120;
/** Not fields of any form: stand for every unknown field a forged request could add (one names object machinery). */
const UNKNOWN_FIELDS = ['isAdmin', 'constructor'];

const unlimited = { points: 1_000_000, windowSeconds: 60, blockSeconds: 0 };
const noThrottle = { freeFailures: 1_000, baseDelaySeconds: 0, maxDelaySeconds: 0, disableAfterFailures: 0, windowSeconds: 3_600 };

/** A form under attack, opened in the state where it takes input. */
interface FormTarget {
  /** Its key in the input inventory. */
  route: string;
  open(): Promise<{ agent: UserAgent; url: string; token: string; watch(): Promise<string> }>;
  /** Plausible values of the other fields, chosen so that no hostile value can complete the step. */
  base(): Record<string, string>;
  design: FormDesign;
}

const refusedOrRerendered: FormDesign = { allowed: (status) => status >= 400 && status < 500, okIsRerender: true };
const refusedOrOnward: FormDesign = { allowed: (status) => (status >= 400 && status < 500) || status === 303, okIsRerender: true };

/**
 * Issue 6: fast-check properties over every form of our pages. For each form, every input (and an unknown field) gets
 * hostile text, the wrong type (repeated field, qs brackets, JSON), or broken UTF-8; the answer is a refusal or the
 * form again with its error (never a 5xx), the value never comes back unescaped, no header is forged, and the signed-in
 * account (or the pending one) is byte-identical in Redis afterwards. Every form's `_csrf` is attacked on its own.
 *
 * Designed answers: declaration, code, password and account forms re-render with 400 and the field's error (or refuse
 * 4xx: 401 wrong password, 403 locked/ended, 410 ended, 429 limited). The account code resends and a new contact may
 * also move on (303): a resend is what a valid token asks for, and a well-formed new address is a code sent, not yet a
 * change. The forms under /interaction/:uid/register and /interaction/:uid/level2 run the same handlers as /register
 * and /account/level2, so they get the forged-token property only; so do the button forms (lock, registration code
 * resend, second-factor send, unmet, confirm, abort, authenticator new/remove), whose only input is the token and which
 * act on a valid one.
 */
describe('hostile values in every form', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let clock: ManualClock;
  let owner: AccountFixture;
  let ownerAgent: UserAgent;
  let uid: string;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    clock = signInClock();
    running = await startProvider(
      redis,
      {},
      {
        clock,
        config: {
          // Limits and throttles out of the way: each run must reach the form's own validation.
          signIn: { passwordFailures: noThrottle, ipFailures: noThrottle, secondFactorFailures: noThrottle, code: { resendsPerHour: 20, resendIntervalSeconds: 0, sendsPerPhone: unlimited } },
          limits: {
            registryMatchesPerIdentity: unlimited,
            registryMatchesPerIp: unlimited,
            codeSendsPerContact: unlimited,
            wrongCodesPerAccount: unlimited,
            codeFailuresPerRegistration: 100,
            codeResendIntervalSeconds: 0,
          },
          accountPages: { wrongPasswordsPerAccount: unlimited, codeStepsPerIp: unlimited, wrongCodesPerAccount: unlimited, changesPerAccount: unlimited },
          level2: { photoRejections: { points: 1_000, windowSeconds: 60 } },
        },
      },
    );
    rp = await discoverAsRelyingParty(running.issuer);
    owner = await citizenAt(running.container, 2);
    ownerAgent = await signedInAtLevelTwo(owner);
    const pending = await startSignIn(rp, ownerAgent, { prompt: 'login' });
    uid = new URL(pending.page.url).pathname.split('/')[2] ?? '';
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  /** A browser of `fixture` signed in to the account pages at level 2 (password, then the code by SMS). */
  async function signedInAtLevelTwo(fixture: AccountFixture): Promise<UserAgent> {
    const agent = new UserAgent();
    const signIn = await agent.navigate(`${running.issuer}/account/authenticator?lang=en`);
    const codePage = await enterPassword(agent, signIn, fixture);
    const landed = await enterCode(agent, codePage, await readSignInCode(running.issuer, fixture.account.phone ?? ''));
    if (!landed.url.endsWith('/account/authenticator')) throw new Error(`not signed in at level 2: ${landed.status} ${landed.url}`);
    return agent;
  }

  const watchAccount = (fixture: AccountFixture) => () => accountSnapshot(running, fixture.account.id, loginKeyOf(fixture.account.identity));

  /** Every account record in Redis, for forms where nobody is signed in: none may appear or change. */
  async function allAccounts(): Promise<string> {
    const { keys, redis: client } = running.container;
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', keys.account('*'), 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    const dumps = await Promise.all(found.sort().map(async (key) => `${key}=${(await client.dumpBuffer(key))?.toString('base64') ?? '-'}`));
    return dumps.join('\n');
  }

  /** A registration of `record` that reached the code page: the browser and the pending account. */
  async function pendingRegistration(record: RegistryRecord): Promise<{ agent: UserAgent; codePage: Awaited<ReturnType<UserAgent['navigate']>>; contact: ReturnType<typeof freshContact> }> {
    const agent = new UserAgent();
    const contact = freshContact();
    const start = await openRegistration(agent, `${running.issuer}/register`);
    const fields = record.kind === 'citizen' ? citizenFields(record, contact) : foreignerFields(record, contact, 'sms');
    const codePage = await declare(agent, start, record.kind, fields);
    if (!codePage.url.includes('/register/code')) throw new Error(`registration of a persona refused: ${codePage.status} ${codePage.url}`);
    return { agent, codePage, contact };
  }

  async function watchPending(record: RegistryRecord): Promise<() => Promise<string>> {
    const loginKey = loginKeyOf(record.kind === 'citizen' ? { kind: 'citizen', idNumber: record.idNumber } : { kind: 'foreigner', passportNumber: record.passportNumber, nationality: record.nationality });
    const account = await running.container.accounts.findByLoginKey(loginKey);
    if (!account) throw new Error('no pending account');
    return () => accountSnapshot(running, account.id, loginKey);
  }

  const formOn = async (agent: UserAgent, path: string) => {
    const page = await agent.navigate(`${running.issuer}${path}`);
    return { agent, url: `${running.issuer}${path.replace(/\?.*$/, '')}`, token: csrfTokenOf(page) };
  };

  const mismatchedName = 'Không Phải Tên Thật';

  const targets: FormTarget[] = [
    {
      route: 'POST /register/citizen',
      base: () => ({ ...citizenFields(personas.citizens.mother, { phone: '0912000001', email: 'mother@example.vn' }), fullName: mismatchedName }),
      design: refusedOrRerendered,
      open: async () => ({ ...(await formOn(new UserAgent(), '/register/citizen?lang=en')), watch: allAccounts }),
    },
    {
      route: 'POST /register/foreigner',
      base: () => ({ ...foreignerFields(personas.foreigners.resident, { phone: '0912000002', email: 'resident@example.vn' }), fullName: mismatchedName }),
      design: refusedOrRerendered,
      open: async () => ({ ...(await formOn(new UserAgent(), '/register/foreigner?lang=en')), watch: allAccounts }),
    },
    {
      route: 'POST /register/code',
      // Not a code the service sends (those are 6 digits): no hostile value can be the right one.
      base: () => ({ code: 'x' }),
      design: refusedOrRerendered,
      open: async () => {
        const { agent, codePage } = await pendingRegistration(personas.citizens.toneStyleName);
        return { agent, url: `${running.issuer}/register/code`, token: csrfTokenOf(codePage), watch: await watchPending(personas.citizens.toneStyleName) };
      },
    },
    {
      route: 'POST /register/password',
      // The two never match, whichever one is replaced: the account is never activated.
      base: () => ({ password: NEW_PASSWORD, passwordConfirm: `${NEW_PASSWORD} khác` }),
      design: refusedOrRerendered,
      open: async () => {
        const { agent, codePage, contact } = await pendingRegistration(personas.citizens.teenager);
        const passwordPage = await enterActivationCode(agent, codePage, await readCodeFromOutbox(running.issuer, recipientOf(contact, 'sms')));
        return { agent, url: `${running.issuer}/register/password`, token: csrfTokenOf(passwordPage), watch: await watchPending(personas.citizens.teenager) };
      },
    },
    {
      route: 'POST /interaction/:uid/login',
      base: () => ({ ...owner.loginFields, password: 'not the password' }),
      design: refusedOrRerendered,
      open: async () => {
        const agent = new UserAgent();
        const { page } = await startSignIn(rp, agent, { ui_locales: 'en' });
        return { agent, url: page.url.replace(/\?.*$/, '') + '/login', token: csrfTokenOf(page), watch: watchAccount(owner) };
      },
    },
    {
      route: 'POST /interaction/:uid/second-factor',
      base: () => ({ method: 'sms', code: 'x' }),
      design: refusedOrRerendered,
      open: async () => {
        const fixture = await citizenAt(running.container, 2);
        const agent = new UserAgent();
        const { page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
        const codePage = await enterPassword(agent, page, fixture);
        return { agent, url: codePage.url.replace(/\?.*$/, '') + '/second-factor', token: csrfTokenOf(codePage), watch: watchAccount(fixture) };
      },
    },
    {
      route: 'POST /account/unlock',
      base: () => ({ ...owner.loginFields, password: 'not the password', channel: 'sms' }),
      design: refusedOrRerendered,
      open: async () => ({ ...(await formOn(new UserAgent(), '/account/unlock?lang=en')), watch: watchAccount(owner) }),
    },
    {
      route: 'POST /account/unlock/code',
      base: () => ({ code: 'x' }),
      // Without an unlock under way the page sends the browser back to its start.
      design: refusedOrOnward,
      open: async () => {
        const { agent, token } = await formOn(new UserAgent(), '/account/unlock?lang=en');
        return { agent, url: `${running.issuer}/account/unlock/code`, token, watch: watchAccount(owner) };
      },
    },
    {
      route: 'POST /account/unlock/code/resend',
      base: () => ({}),
      design: refusedOrOnward,
      open: async () => {
        const { agent, token } = await formOn(new UserAgent(), '/account/unlock?lang=en');
        return { agent, url: `${running.issuer}/account/unlock/code/resend`, token, watch: watchAccount(owner) };
      },
    },
    {
      route: 'POST /account/password',
      base: () => ({ currentPassword: owner.password, newPassword: 'một mật khẩu mới rất dài', newPasswordConfirm: 'một mật khẩu mới khác hẳn' }),
      design: refusedOrRerendered,
      open: async () => ({ ...(await formOn(ownerAgent, '/account/password')), watch: watchAccount(owner) }),
    },
    {
      route: 'POST /account/contact/code',
      base: () => ({ code: 'x' }),
      design: refusedOrRerendered,
      open: async () => {
        const { agent, url, token } = await formOn(ownerAgent, '/account/contact?kind=email');
        const codePage = await agent.navigate(url, undefined, {
          method: 'POST',
          body: new URLSearchParams({ kind: 'email', value: 'moi@example.vn', _csrf: token }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        if (!codePage.url.includes('/account/contact/code')) throw new Error(`no contact code step: ${codePage.status} ${codePage.url}`);
        return { agent, url: `${running.issuer}/account/contact/code`, token: csrfTokenOf(codePage), watch: watchAccount(owner) };
      },
    },
    {
      route: 'POST /account/contact/code/resend',
      base: () => ({}),
      design: refusedOrOnward,
      open: async () => ({ ...(await formOn(ownerAgent, '/account/contact/code')), url: `${running.issuer}/account/contact/code/resend`, watch: watchAccount(owner) }),
    },
    {
      route: 'POST /account/contact',
      base: () => ({ kind: 'email', value: 'not an address' }),
      // A well-formed new address is not a change yet: a code goes to it and the account waits for that code.
      design: refusedOrOnward,
      open: async () => ({ ...(await formOn(ownerAgent, '/account/contact?kind=email')), watch: watchAccount(owner) }),
    },
    {
      route: 'POST /account/services/revoke',
      base: () => ({ clientId: 'no-such-client' }),
      design: refusedOrOnward,
      // The services page has a form only once a service is connected; the browser's token is the same on every page.
      open: async () => ({ ...(await formOn(ownerAgent, '/account/password')), url: `${running.issuer}/account/services/revoke`, watch: watchAccount(owner) }),
    },
    {
      route: 'POST /account/dependants',
      base: () => ({ ...dependantFields(personas.citizens.child, { phone: '0912000003', email: 'child@example.vn' }), fullName: mismatchedName }),
      design: refusedOrRerendered,
      open: async () => {
        const watchOwner = watchAccount(owner);
        return { ...(await formOn(ownerAgent, '/account/dependants')), watch: async () => `${await watchOwner()}\n${await allAccounts()}` };
      },
    },
    {
      route: 'POST /account/authenticator',
      base: () => ({ code: 'x' }),
      design: refusedOrRerendered,
      open: async () => ({ ...(await formOn(ownerAgent, '/account/authenticator')), watch: watchAccount(owner) }),
    },
    {
      route: 'POST /account/level2/consent',
      base: () => ({ accept: 'no' }),
      design: refusedOrRerendered,
      open: async () => {
        const fixture = await citizenAt(running.container, 1);
        const { agent } = await signInToAccountPages(running, fixture, '/account/level2');
        return { ...(await formOn(agent, '/account/level2')), url: `${running.issuer}/account/level2/consent`, watch: watchAccount(fixture) };
      },
    },
  ];

  it('covers every form of the inventory, by a property of its own or by the forged-token property', () => {
    const forms = routesOfKind('form');
    const sharedHandlers = forms.filter((key) => key.includes('/interaction/:uid/register') || key.includes('/interaction/:uid/level2'));
    const buttons = forms.filter((key) => (ROUTE_INPUTS[key]?.inputs.length ?? 0) === 0);
    const covered = new Set([...targets.map((target) => target.route), ...sharedHandlers, ...buttons]);
    expect(forms.filter((key) => !covered.has(key))).toEqual([]);
  });

  for (const target of targets) {
    it(`${target.route}: every input refuses hostile values clearly and changes nothing`, async () => {
      const inputs = [...(ROUTE_INPUTS[target.route]?.inputs ?? []), ...UNKNOWN_FIELDS];
      const opened = await target.open();
      const before = await opened.watch();
      const failures: string[] = [];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...inputs), hostileShape, async (field, hostile) => {
          const fields = { ...target.base(), _csrf: opened.token };
          const { contentType, body } = hostileBody(fields, field, hostile);
          const page = await opened.agent.request(opened.url, { method: 'POST', body, headers: { 'content-type': contentType, 'x-csrf-token': opened.token } });
          const verdict = judge(page, reflectableTexts(hostile), target.design);
          if (verdict.problems.length > 0) failures.push(`${field} ${describeShape(hostile)} -> ${verdict.problems.join('; ')}`);
          return verdict.problems.length === 0;
        }),
        { numRuns: RUNS_PER_FORM },
      ).catch((error: unknown) => {
        throw new Error(`${failures.slice(0, 5).join('\n')}\n${String(error).slice(0, 1500)}`);
      });
      expect(await opened.watch()).toBe(before);
    });
  }

  it('POST /account/level2/photo: hostile uploads are refused clearly and the account keeps its level', async () => {
    const fixture = await citizenAt(running.container, 1);
    const { agent } = await signInToAccountPages(running, fixture, '/account/level2');
    const consent = await formOn(agent, '/account/level2');
    const afterConsent = await agent.navigate(consent.url.replace(/\/level2$/, '/level2/consent'), undefined, {
      method: 'POST',
      body: new URLSearchParams({ accept: 'yes', _csrf: consent.token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (!afterConsent.url.endsWith('/account/level2/photo')) throw new Error(`no photo page: ${afterConsent.status} ${afterConsent.url}`);
    const before = await watchAccount(fixture)();
    const upload = fc.record({
      bytes: fc.uint8Array({ maxLength: 4_000 }),
      fieldName: fc.constantFrom('photo', 'photo[]', 'Photo', '"><img src=x onerror=alert(1)>'),
      fileName: fc.oneof(fc.constant('face.jpg'), fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('../../etc/passwd', 'a\r\nX: y.jpg', '\u202Egpj.exe')),
      type: fc.constantFrom('image/jpeg', 'image/png', 'text/html', 'application/x-msdownload', ''),
      copies: fc.integer({ min: 0, max: 2 }),
      extraFields: fc.integer({ min: 0, max: 6 }),
    });
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(upload, async (sent) => {
        const form = new FormData();
        form.set('_csrf', consent.token);
        for (let extra = 0; extra < sent.extraFields; extra += 1) form.append(`note${extra}`, '<script>alert("x9q")</script>');
        for (let copy = 0; copy < sent.copies; copy += 1) form.append(sent.fieldName, new Blob([sent.bytes], { type: sent.type }), sent.fileName);
        const page = await agent.request(`${running.issuer}/account/level2/photo`, { method: 'POST', body: form });
        const verdict = judge(page, [], refusedOrRerendered);
        if (verdict.problems.length > 0) failures.push(`${JSON.stringify({ ...sent, bytes: sent.bytes.length })} -> ${verdict.problems.join('; ')}`);
        return verdict.problems.length === 0;
      }),
      { numRuns: RUNS_PER_FORM },
    ).catch((error: unknown) => {
      throw new Error(`${failures.slice(0, 5).join('\n')}\n${String(error).slice(0, 1500)}`);
    });
    expect(await watchAccount(fixture)()).toBe(before);
  });

  it('every form refuses a hostile _csrf (text, array, object, broken UTF-8) with 403 and changes nothing', async () => {
    const forms = routesOfKind('form').map(parseRouteKey);
    const before = await watchAccount(owner)();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...forms), hostileShape, async (route, hostile) => {
        const url = running.issuer + route.path.replace(':uid', uid);
        const { contentType, body } = hostileBody({ ...owner.loginFields }, '_csrf', hostile);
        const page = await ownerAgent.request(url, { method: route.method, body, headers: { 'content-type': contentType } });
        // 403; or 400 when the body itself cannot be read (e.g. JSON with a `__proto__` key), before any token is looked at.
        const verdict = judge(page, reflectableTexts(hostile), { allowed: (status) => status === 403 || status === 400, okIsRerender: true });
        if (verdict.problems.length > 0) failures.push(`${route.path} ${describeShape(hostile)} -> ${verdict.problems.join('; ')}`);
        return verdict.problems.length === 0;
      }),
      { numRuns: RUNS_OF_FORGED_TOKENS },
    ).catch((error: unknown) => {
      throw new Error(`${failures.slice(0, 5).join('\n')}\n${String(error).slice(0, 1500)}`);
    });
    expect(await watchAccount(owner)()).toBe(before);
  });
});

function describeShape(hostile: HostileShape): string {
  return JSON.stringify(hostile).slice(0, 120);
}
