import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import type { Identity } from '../../src/domain/account.js';
import type { RegistryRecord } from '../../src/domain/registry.js';
import { createCitizen, startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, authorizationRequest, discoverAsRelyingParty } from '../support/relying-party.js';
import {
  activate,
  dependantFields,
  freshContact,
  loginFieldsOf,
  personas,
  recipientOf,
  refusalOf,
  registrationClock,
  shown,
} from '../support/registration-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

const identityOf = (record: RegistryRecord): Identity =>
  record.kind === 'citizen'
    ? { kind: 'citizen', idNumber: record.idNumber, fullName: record.fullName, birthDate: record.birthDate, gender: record.gender }
    : {
        kind: 'foreigner',
        passportNumber: record.passportNumber,
        nationality: record.nationality,
        fullName: record.fullName,
        birthDate: record.birthDate,
        gender: record.gender,
      };

describe('a parent or guardian registers a dependant from their signed-in account page (Art 6.2, 6.3, 6.4.g)', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  const signIn: Record<'father' | 'mother' | 'guardian' | 'foreignParent', Record<string, string>> = {
    father: {},
    mother: {},
    guardian: {},
    foreignParent: {},
  };

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    running = await startProvider(redis, {}, { clock: registrationClock() });
    rp = await discoverAsRelyingParty(running.issuer);
    const { citizens, foreigners } = personas;
    signIn.father = (await createCitizen(running.container, { level: 2, identity: identityOf(citizens.father), password: 'father-password-1' })).loginFields;
    signIn.mother = (await createCitizen(running.container, { level: 1, identity: identityOf(citizens.mother), password: 'mother-password-1' })).loginFields;
    signIn.guardian = (await createCitizen(running.container, { level: 2, identity: identityOf(citizens.guardian), password: 'guardian-password-1' })).loginFields;
    await createCitizen(running.container, { level: 2, identity: identityOf(foreigners.parent), password: 'parent-password-1' });
    signIn.foreignParent = loginFieldsOf(foreigners.parent, 'parent-password-1');
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  /** A signed-out visit to the account page goes through the provider's sign-in and comes back to the page. */
  async function dependantsPageSignedInAs(fields: Record<string, string>): Promise<{ agent: UserAgent; page: Page }> {
    const agent = new UserAgent();
    const loginPage = await agent.navigate(`${running.issuer}/account/dependants?lang=en`);
    expect(new URL(loginPage.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
    expect(loginPage.html).toContain('Tài khoản định danh điện tử');
    const page = await agent.submit(loginPage, '/login', fields);
    expect(page.url).toBe(`${running.issuer}/account/dependants`);
    expect(page.status).toBe(200);
    return { agent, page };
  }

  it('refuses a parent whose own account is only level 1', async () => {
    const { agent, page } = await dependantsPageSignedInAs(signIn.mother);
    expect(page.html).toContain(shown('registration.form.representative', { fullName: personas.citizens.mother.fullName }));
    const refused = await agent.submit(page, '/account/dependants', dependantFields(personas.citizens.child, freshContact()));
    expect(refused.status).toBe(403);
    expect(refusalOf(refused)).toBe(shown('registration.refusal.representative_not_qualified'));
  });

  it('refuses someone the registry does not name as the parent or guardian', async () => {
    const { agent, page } = await dependantsPageSignedInAs(signIn.guardian);
    const refused = await agent.submit(page, '/account/dependants', dependantFields(personas.citizens.child, freshContact()));
    expect(refused.status).toBe(403);
    expect(refusalOf(refused)).toBe(shown('registration.refusal.not_parent_or_guardian'));
  });

  it('refuses to register a child of 14 or more, who registers themselves', async () => {
    const { agent, page } = await dependantsPageSignedInAs(signIn.father);
    const refused = await agent.submit(page, '/account/dependants', dependantFields(personas.citizens.teenager, freshContact()));
    expect(refused.status).toBe(422);
    expect(refusalOf(refused)).toBe(shown('registration.refusal.must_register_self'));
  });

  it('lets the father register his 10-year-old; the child then signs in at a relying party at level 1', async () => {
    const { agent, page } = await dependantsPageSignedInAs(signIn.father);
    const child = personas.citizens.child;
    const contact = freshContact();
    const codePage = await agent.submit(page, '/account/dependants', dependantFields(child, contact, 'email'));
    expect(codePage.url).toBe(`${running.issuer}/register/code`);
    const done = await activate(agent, running.issuer, codePage, contact.email, { password: 'con-mèo-trèo-cây-cau' });
    expect(done.html).toContain(shown('registration.done.titleDependant'));
    expect(done.html).toContain(shown('registration.done.dependantActive'));

    const childsBrowser = new UserAgent();
    const request = await authorizationRequest(rp, { scope: 'openid profile identity' });
    const loginPage = await childsBrowser.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const afterLogin = await childsBrowser.submit(loginPage, '/login', loginFieldsOf(child, 'con-mèo-trèo-cây-cau'), TEST_CLIENT.redirectUri);
    const tokens = await oidc.authorizationCodeGrant(rp, await approveConsentIfAsked(childsBrowser, afterLogin), {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    expect(tokens.claims()?.acr).toBe('urn:vn:eid:loa:1');
    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()?.sub ?? '');
    expect(userinfo).toMatchObject({ name: child.fullName, personal_id_number: child.idNumber });
  });

  it("lets a guardian register the adult in her guardianship, the code going to the guardian's own phone", async () => {
    const { agent, page } = await dependantsPageSignedInAs(signIn.guardian);
    const ward = personas.citizens.ward;
    const codePage = await agent.submit(page, '/account/dependants', { ...dependantFields(ward, freshContact(), 'sms'), phone: '', email: '' });
    // The guardian's account has +84901234567 (test fixture).
    expect(codePage.status).toBe(200);
    const done = await activate(agent, running.issuer, codePage, '+84901234567');
    expect(done.html).toContain(shown('registration.done.dependantActive'));
  });

  it('lets a foreign parent register a foreign child', async () => {
    const { agent, page } = await dependantsPageSignedInAs(signIn.foreignParent);
    const contact = freshContact();
    const codePage = await agent.submit(page, '/account/dependants', dependantFields(personas.foreigners.child, contact, 'sms'));
    const done = await activate(agent, running.issuer, codePage, recipientOf(contact, 'sms'));
    expect(done.html).toContain(shown('registration.done.dependantActive'));
  });

  it('sends someone who cancels the sign-in back to the public registration page, still signed out', async () => {
    const agent = new UserAgent();
    const loginPage = await agent.navigate(`${running.issuer}/account/dependants?lang=en`);
    const cancelled = await agent.submit(loginPage, '/abort', {});
    expect(cancelled.url).toBe(`${running.issuer}/register`);
    expect(cancelled.status).toBe(200);
  });

  it('refuses a sign-in answer that this browser did not ask for', async () => {
    const agent = new UserAgent();
    await agent.navigate(`${running.issuer}/account/dependants`);
    const forged = await agent.navigate(`${running.issuer}/account/callback?code=forged&state=someone-elses`);
    expect(forged.status).toBe(400);
  });
});
