import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { maskContact } from '../../src/domain/contact.js';
import { startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, authorizationRequest, discoverAsRelyingParty } from '../support/relying-party.js';
import {
  activate,
  citizenFields,
  declare,
  foreignerFields,
  freshContact,
  linkTo,
  loginFieldsOf,
  openRegistration,
  personas,
  readCodeFromOutbox,
  recipientOf,
  registrationClock,
  shown,
} from '../support/registration-steps.js';
import { UserAgent } from '../support/user-agent.js';

const LEVEL_1 = 'urn:vn:eid:loa:1';
const LEVEL_2 = 'urn:vn:eid:loa:2';

describe('a person registers, activates with a code from the outbox, and is signed in at the relying party', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    running = await startProvider(redis, {}, { clock: registrationClock() });
    rp = await discoverAsRelyingParty(running.issuer);
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  it('registers from the login page of a sign-in and completes that sign-in with acr level 1 and amr pwd + otp', async () => {
    const agent = new UserAgent();
    const request = await authorizationRequest(rp, { scope: 'openid profile identity phone', acr_values: LEVEL_1 });
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    expect(loginPage.status).toBe(200);

    // The login page's "Create an account" link keeps the sign-in: it runs under /interaction/<uid>/register.
    const createAccount = linkTo(loginPage, shown('registration.fromLogin.link', undefined, 'vi'));
    expect(createAccount).toBe(`${loginPage.url}/register`);
    const start = await openRegistration(agent, createAccount);
    expect(start.html).toContain(shown('registration.choose.returnNotice', { clientName: 'Cổng dịch vụ thử nghiệm' }));

    const adult = personas.citizens.adult;
    const contact = freshContact();
    const codePage = await declare(agent, start, 'citizen', citizenFields(adult, contact, 'sms'));
    expect(codePage.status).toBe(200);
    expect(codePage.html).toContain(shown('registration.code.sentSms', { contact: maskContact(recipientOf(contact, 'sms')) }));
    expect(codePage.html).toContain(shown('registration.code.minutesLeft', { count: 5 }));

    const callback = await activate(agent, running.issuer, codePage, recipientOf(contact, 'sms'), { stopAt: TEST_CLIENT.redirectUri });
    const tokens = await oidc.authorizationCodeGrant(rp, new URL(await approveConsentIfAsked(agent, callback)), {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    expect(claims?.acr).toBe(LEVEL_1);
    expect(claims?.amr).toEqual(['pwd', 'otp']);

    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, claims?.sub ?? '');
    expect(userinfo).toMatchObject({
      name: adult.fullName,
      birthdate: adult.birthDate,
      gender: adult.gender,
      personal_id_number: adult.idNumber,
      phone_number: recipientOf(contact, 'sms'),
    });
  });

  it('registers a foreign national on its own, then the person signs in with the passport and the new password', async () => {
    const agent = new UserAgent();
    const resident = personas.foreigners.resident;
    const contact = freshContact();
    const start = await openRegistration(agent, `${running.issuer}/register`);
    const codePage = await declare(agent, start, 'foreigner', foreignerFields(resident, contact, 'email'));
    expect(codePage.html).toContain(shown('registration.code.sentEmail', { contact: maskContact(contact.email) }));

    const done = await activate(agent, running.issuer, codePage, contact.email);
    expect(done.status).toBe(200);
    expect(done.url).toBe(`${running.issuer}/register/done`);
    expect(done.html).toContain(shown('registration.done.title'));
    expect(done.html).toContain(shown('registration.done.active'));

    // The decree's order for a standalone registration: register -> activate -> sign in (Art 7).
    const request = await authorizationRequest(rp, { scope: 'openid identity' });
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const afterLogin = await agent.submit(loginPage, '/login', loginFieldsOf(resident), TEST_CLIENT.redirectUri);
    const tokens = await oidc.authorizationCodeGrant(rp, await approveConsentIfAsked(agent, afterLogin), {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    expect(tokens.claims()?.acr).toBe(LEVEL_1);
    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()?.sub ?? '');
    expect(userinfo).toMatchObject({ passport_number: resident.passportNumber, nationality: resident.nationality, foreigner: true });
  });

  it('does not complete a sign-in that asked for level 2: the new level-1 account continues on the sign-in page', async () => {
    const agent = new UserAgent();
    const request = await authorizationRequest(rp, { acr_values: LEVEL_2 });
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const start = await openRegistration(agent, linkTo(loginPage, shown('registration.fromLogin.link', undefined, 'vi')));
    const contact = freshContact();
    const codePage = await declare(agent, start, 'citizen', citizenFields(personas.citizens.toneStyleName, contact, 'email'));
    const done = await activate(agent, running.issuer, codePage, contact.email, { stopAt: TEST_CLIENT.redirectUri });
    expect(done.url).not.toContain(TEST_CLIENT.redirectUri);
    expect(done.status).toBe(200);
    expect(done.html).toContain(shown('registration.done.levelTwoRequired', { clientName: 'Cổng dịch vụ thử nghiệm' }));
    const continueTo = linkTo(done, shown('registration.done.continue'));
    expect(new URL(continueTo).pathname).toBe(new URL(loginPage.url).pathname);
    const again = await agent.navigate(continueTo, TEST_CLIENT.redirectUri);
    expect(again.status).toBe(200);
    expect(again.html).toContain('action="' + new URL(loginPage.url).pathname + '/login"');
  });

  it("opened in a browser that is not the sign-in's, the link falls back to a registration of its own", async () => {
    const request = await authorizationRequest(rp);
    const loginPage = await new UserAgent().navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const elsewhere = await new UserAgent().navigate(`${loginPage.url}/register/citizen?lang=en`);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.url).toBe(`${running.issuer}/register/citizen`);
    expect(elsewhere.html).not.toContain('Cổng dịch vụ thử nghiệm');
  });

  it('leaves the activation code to the outbox only: the pages never show it', async () => {
    const agent = new UserAgent();
    const contact = freshContact();
    const start = await openRegistration(agent, `${running.issuer}/register`);
    const codePage = await declare(agent, start, 'citizen', citizenFields(personas.citizens.expiredCard, contact, 'sms'));
    const code = await readCodeFromOutbox(running.issuer, recipientOf(contact, 'sms'));
    expect(code).toMatch(/^\d{6}$/);
    expect(codePage.html).not.toContain(code);
    expect(codePage.html).not.toContain(contact.phone);
    expect(agent.cookieNames()).toContain('vneid.registration');
    expect(codePage.url).not.toMatch(/flow|id=/);
  });
});
