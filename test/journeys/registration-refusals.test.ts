import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ManualClock } from '../../src/shared/clock.js';
import { freePort } from '../../src/shared/free-port.js';
import { startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import {
  activate,
  askForNewCode,
  citizenFields,
  codesSentTo,
  declare,
  enterCode,
  foreignerFields,
  freshContact,
  openRegistration,
  personas,
  readCodeFromOutbox,
  recipientOf,
  refusalOf,
  registrationClock,
  shown,
  templatesSentTo,
} from '../support/registration-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

const MINUTE = 60_000;

describe('every way a registration is refused shows the person a clear page, and nothing is created', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let clock: ManualClock;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    clock = registrationClock();
    running = await startProvider(redis, {}, { clock });
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  async function declareAs(kind: 'citizen' | 'foreigner', fields: Record<string, string>): Promise<Page> {
    const agent = new UserAgent();
    return declare(agent, await openRegistration(agent, `${running.issuer}/register`), kind, fields);
  }

  it('refuses a foreign child under 6 as too young (draft 2025)', async () => {
    const page = await declareAs('foreigner', foreignerFields(personas.foreigners.tooYoung, freshContact()));
    expect(page.status).toBe(422);
    expect(refusalOf(page)).toBe(shown('registration.refusal.too_young'));
  });

  it('refuses a tourist whose stay is under 90 days without a long-term visa', async () => {
    const page = await declareAs('foreigner', foreignerFields(personas.foreigners.tourist, freshContact()));
    expect(page.status).toBe(422);
    expect(refusalOf(page)).toBe(shown('registration.refusal.residence_not_eligible'));
  });

  it('sends a child under 14 to a parent: registration through the parent account only (Art 6.2)', async () => {
    const page = await declareAs('citizen', citizenFields(personas.citizens.child, freshContact()));
    expect(page.status).toBe(422);
    expect(refusalOf(page)).toBe(shown('registration.refusal.representative_required'));
  });

  it('answers "no match", "deceased" and "number invalidated" with the very same page', async () => {
    const adult = personas.citizens.adult;
    const contact = freshContact();
    const misspelt = await declareAs('citizen', { ...citizenFields(adult, contact), fullName: 'Nguyễn Văn Anh' });
    const deceased = await declareAs('citizen', citizenFields(personas.citizens.deceased, contact));
    const invalidated = await declareAs('citizen', citizenFields(personas.citizens.invalidatedNumber, contact));
    const reEstablished = await declareAs('citizen', citizenFields(personas.citizens.reEstablishedOld, contact));
    for (const page of [misspelt, deceased, invalidated, reEstablished]) {
      expect(page.status).toBe(422);
      expect(refusalOf(page)).toBe(shown('registration.refusal.no_match'));
    }
    // Apart from what the person typed, the pages are identical.
    const withoutEcho = (page: Page): string => page.html.replace(/value="[^"]*"/g, '').replace(/ (checked|selected)/g, '');
    expect(withoutEcho(deceased)).toBe(withoutEcho(invalidated));
    expect(withoutEcho(misspelt)).toBe(withoutEcho(deceased));
    expect(await codesSentTo(running.issuer, recipientOf(contact, 'sms'))).toBe(0);
  });

  it('refuses a number whose digits contradict the declared birth date before asking the registry', async () => {
    const adult = personas.citizens.adult;
    const page = await declareAs('citizen', { ...citizenFields(adult, freshContact()), birthYear: '1991' });
    expect(page.status).toBe(400);
    expect(refusalOf(page)).toBeUndefined();
    expect(page.html).toContain(shown('registration.problems.invalid_id_number'));
    expect(page.html).toContain('aria-invalid="true"');
  });

  it('lists every missing field at once, and asks for both consents before the registry is asked', async () => {
    const page = await declareAs('citizen', {
      idNumber: '',
      fullName: '',
      birthDay: '',
      birthMonth: '',
      birthYear: '',
      phone: '',
      email: '',
    });
    expect(page.status).toBe(400);
    for (const key of ['idNumber', 'fullName', 'birthDate', 'gender', 'channel', 'consent']) {
      expect(page.html).toContain(shown(`registration.problems.${key}`));
    }
    const withoutConsent = await declareAs('citizen', { ...citizenFields(personas.citizens.teenager, freshContact()), acceptDataProcessing: '' });
    expect(withoutConsent.status).toBe(400);
    expect(withoutConsent.html).toContain(shown('registration.problems.consent'));
  });

  it('creates no second account for the same person, shows the registrant the usual code page, and tells the holder', async () => {
    const teenager = personas.citizens.teenager;
    const first = freshContact();
    const agent = new UserAgent();
    const codePage = await declare(agent, await openRegistration(agent, `${running.issuer}/register`), 'citizen', citizenFields(teenager, first));
    expect(codePage.status).toBe(200);

    // Decision 34 Art 4, 6: one identity, one account; the form must not tell who has one (test/journeys/enumeration).
    const second = freshContact();
    const whilePending = await declareAs('citizen', citizenFields(teenager, second));
    expect(whilePending.status).toBe(200);
    expect(whilePending.url).toContain('/register/code');
    expect(await templatesSentTo(running.issuer, recipientOf(second, 'sms'))).toEqual([]);
    expect(await templatesSentTo(running.issuer, recipientOf(first, 'sms'))).toEqual(['registration_attempted', 'activation_code']);

    const done = await activate(agent, running.issuer, codePage, recipientOf(first, 'sms'));
    expect(done.html).toContain(shown('registration.done.title'));
    const third = freshContact();
    const afterActivation = await declareAs('citizen', citizenFields(teenager, third));
    expect(afterActivation.status).toBe(200);
    expect(afterActivation.url).toContain('/register/code');
    expect(await templatesSentTo(running.issuer, recipientOf(third, 'sms'))).toEqual([]);
    expect((await templatesSentTo(running.issuer, recipientOf(first, 'sms')))[0]).toBe('registration_attempted');
  });

  it('accepts five wrong codes at most: each says what is left, then the code is used up and a new one is needed', async () => {
    const agent = new UserAgent();
    const contact = freshContact();
    let page = await declare(agent, await openRegistration(agent, `${running.issuer}/register`), 'citizen', citizenFields(personas.citizens.reEstablishedCurrent, contact));
    const code = await readCodeFromOutbox(running.issuer, recipientOf(contact, 'sms'));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left -= 1) {
      page = await enterCode(agent, page, wrong);
      expect(page.status).toBe(400);
      expect(page.html).toContain(shown('registration.problems.code_invalid', { count: left }));
    }
    page = await enterCode(agent, page, wrong);
    expect(page.html).toContain(shown('registration.problems.code_expired'));
    // The right code no longer works either: the fifth wrong try used it up.
    page = await enterCode(agent, page, code);
    expect(page.status).toBe(400);
    expect(page.html).toContain(shown('registration.problems.code_expired'));
    expect(page.html).toContain(shown('registration.code.noUsableCode'));

    // A new code may be asked for once a minute has passed since the last one; it works.
    expect(page.html).toContain(shown('registration.code.resend.wait', { count: 1 }));
    clock.advance(MINUTE);
    page = await agent.navigate(page.url);
    page = await askForNewCode(agent, page);
    expect(page.html).toContain(shown('registration.code.notice.sent'));
    const fresh = await readCodeFromOutbox(running.issuer, recipientOf(contact, 'sms'));
    const passwordPage = await enterCode(agent, page, fresh);
    expect(passwordPage.url).toMatch(/\/register\/password$/);
  });

  it('does not accept a code after its 5 minutes', async () => {
    const agent = new UserAgent();
    const contact = freshContact();
    const page = await declare(agent, await openRegistration(agent, `${running.issuer}/register`), 'foreigner', foreignerFields(personas.foreigners.longTermVisa, contact, 'email'));
    const code = await readCodeFromOutbox(running.issuer, contact.email);
    clock.advance(5 * MINUTE + 1000);
    const late = await enterCode(agent, page, code);
    expect(late.status).toBe(400);
    expect(late.html).toContain(shown('registration.problems.code_expired'));
  });

  it('limits new codes: too soon after the last one, the page says when', async () => {
    const agent = new UserAgent();
    const contact = freshContact();
    const page = await declare(agent, await openRegistration(agent, `${running.issuer}/register`), 'foreigner', foreignerFields(personas.foreigners.parent, contact, 'sms'));
    expect(page.html).not.toContain('action="/register/code/resend"');
    const forced = await agent.navigate(`${running.issuer}/register/code/resend`, undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfOf(page) }).toString(),
    });
    expect(forced.status).toBe(429);
    expect(forced.html).toContain(shown('registration.problems.resend_too_soon'));
    expect(await codesSentTo(running.issuer, recipientOf(contact, 'sms'))).toBe(1);
  });

  it('refuses a form post without the CSRF token', async () => {
    const agent = new UserAgent();
    await openRegistration(agent, `${running.issuer}/register`);
    const forged = await agent.navigate(`${running.issuer}/register/citizen`, undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(citizenFields(personas.citizens.adult, freshContact())).toString(),
    });
    expect(forced403(forged)).toBe(true);
  });

  it('shows "start again" for a code page without a registration', async () => {
    const page = await new UserAgent().navigate(`${running.issuer}/register/code?lang=en`);
    expect(page.status).toBe(410);
    expect(page.html).toContain(shown('registration.ended.not_found.title'));
  });

  it('stops the registrations of one identity after the attempts a day allows: the "too many requests" page', async () => {
    const ward = personas.citizens.ward;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await declareAs('citizen', { ...citizenFields(ward, freshContact()), fullName: `Hoàng Văn Đức ${'A'.repeat(attempt)}` })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    const limited = await declareAs('citizen', citizenFields(ward, freshContact()));
    expect(limited.status).toBe(429);
    expect(limited.html).toContain(shown('errors.rate_limited.title'));
  });
});

describe('a registration while the national registry cannot answer', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    // Nothing listens on this port: every lookup fails at once.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    running = await startProvider(
      redis,
      { REGISTRY_MODE: 'http', POPULATION_REGISTRY_URL: nowhere, IMMIGRATION_REGISTRY_URL: nowhere, REGISTRY_API_KEY: 'test-registry-api-key-0123456789' },
      { clock: registrationClock() },
    );
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  it('shows "try again later" (503 with Retry-After), creates nothing and sends no code', async () => {
    const agent = new UserAgent();
    const contact = freshContact();
    const page = await declare(agent, await openRegistration(agent, `${running.issuer}/register`), 'citizen', citizenFields(personas.citizens.adult, contact));
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('60');
    expect(page.html).toContain(shown('errors.service_unavailable.title'));
    expect(agent.cookieNames()).not.toContain('vneid.registration');
    expect(await codesSentTo(running.issuer, recipientOf(contact, 'sms'))).toBe(0);
  });
});

function csrfOf(page: Page): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

const forced403 = (page: Page): boolean => page.status === 403 && page.html.includes(shown('errors.csrf_failed.title'));
