import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { InstanceBalancer } from '../support/instance-balancer.js';
import { createCitizen, startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import {
  activate,
  citizenFields,
  declare,
  freshContact,
  linkTo,
  openRegistration,
  personas,
  recipientOf,
  registrationClock,
  shown,
} from '../support/registration-steps.js';
import { approveConsentIfAsked, authorizationRequest, discoverAsRelyingParty } from '../support/relying-party.js';
import { isPasswordPage, LEVEL_1 } from '../support/sign-in-steps.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * Issue 6, scale-out: two provider instances behind one load balancer share one Redis and nothing else, so a person's
 * requests may reach either. A sign-in and a registration whose requests hop from one instance to the other complete
 * as on one instance: interactions, sessions, flows, codes and tokens live in Redis, and the cookies one instance signs
 * the other accepts (no COOKIE_KEYS in tests: both read the development keys that the first one stored in Redis; in
 * production every instance is given the same COOKIE_KEYS).
 */
describe('a flow whose requests hop between two instances sharing one Redis', () => {
  let redis: TestRedisServer;
  let balancer: InstanceBalancer;
  let instanceA: RunningProvider;
  let instanceB: RunningProvider;
  let rp: oidc.Configuration;

  const portOf = (running: RunningProvider): number => (running.http.address() as AddressInfo).port;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    balancer = await InstanceBalancer.start(['A', 'B']);
    // Both behind the balancer's URL, as behind a real load balancer; one clock for the registration's dates.
    const clock = registrationClock();
    instanceA = await startProvider(redis, { ISSUER: balancer.url }, { clock });
    instanceB = await startProvider(redis, { ISSUER: balancer.url }, { clock });
    balancer.register('A', portOf(instanceA));
    balancer.register('B', portOf(instanceB));
    balancer.alternate();
    rp = await discoverAsRelyingParty(balancer.url);
  });
  afterAll(async () => {
    await instanceA?.stop();
    await instanceB?.stop();
    await balancer?.close();
    await redis?.destroy();
  });

  it('signs cookies with the same keys on both instances, taken from Redis since the tests configure none', () => {
    const cookieKeysOf = (running: RunningProvider): string[] => {
      const keys = running.provider.keys;
      return Array.isArray(keys) ? keys : [];
    };
    expect(instanceA.config.keys.cookieKeys).toEqual([]);
    expect(cookieKeysOf(instanceA).length).toBeGreaterThan(0);
    expect(cookieKeysOf(instanceB)).toEqual(cookieKeysOf(instanceA));
  });

  it('signs in with the request on A, the password on B, the consent on A, the code exchange on B and the refresh on A', async () => {
    balancer.log.splice(0);
    const citizen = await createCitizen(instanceA.container);
    const agent = new UserAgent();
    const request = await authorizationRequest(rp, { scope: 'openid offline_access profile', prompt: 'consent' });

    balancer.routeTo('A');
    const toInteraction = await agent.request(request.url.toString());
    const interaction = toInteraction.headers.get('location');
    expect(toInteraction.status).toBe(303);
    expect(interaction).toMatch(/\/interaction\//);

    balancer.routeTo('B');
    const loginPage = await agent.navigate(new URL(interaction ?? '', balancer.url).toString(), TEST_CLIENT.redirectUri);
    expect(isPasswordPage(loginPage)).toBe(true);
    const consentPage = await agent.submit(loginPage, '/login', citizen.loginFields, TEST_CLIENT.redirectUri);
    expect(consentPage.status).toBe(200);
    expect(consentPage.html).toMatch(/action="[^"]*\/confirm"/);

    balancer.routeTo('A');
    const callback = await approveConsentIfAsked(agent, consentPage);

    balancer.routeTo('B');
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ sub: citizen.account.id, iss: balancer.url, acr: LEVEL_1 });

    balancer.routeTo('A');
    const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    balancer.routeTo('B');
    const userinfo = await oidc.fetchUserInfo(rp, refreshed.access_token, citizen.account.id);
    expect(userinfo.sub).toBe(citizen.account.id);

    // Each step was answered by the instance it was sent to.
    expect(balancer.servedBy(/^\/auth\?/, 'GET')).toEqual(['A']);
    expect(balancer.servedBy(/^\/interaction\/[^/?]+\/login/, 'POST')).toEqual(['B']);
    expect(balancer.servedBy(/^\/interaction\/[^/?]+\/confirm/, 'POST')).toEqual(['A']);
    expect(balancer.servedBy(/^\/token$/, 'POST')).toEqual(['B', 'A']);
    expect(balancer.servedBy(/^\/me$/)).toEqual(['B']);
  });

  it('registers, activates and completes the sign-in with each request on the other instance than the one before', async () => {
    balancer.log.splice(0);
    balancer.alternate();
    const agent = new UserAgent();
    const request = await authorizationRequest(rp, { scope: 'openid profile identity phone', acr_values: LEVEL_1 });
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const start = await openRegistration(agent, linkTo(loginPage, shown('registration.fromLogin.link', undefined, 'vi')));

    const adult = personas.citizens.adult;
    const contact = freshContact();
    const codePage = await declare(agent, start, 'citizen', citizenFields(adult, contact, 'sms'));
    const callback = await activate(agent, balancer.url, codePage, recipientOf(contact, 'sms'), { stopAt: TEST_CLIENT.redirectUri });
    const tokens = await oidc.authorizationCodeGrant(rp, await approveConsentIfAsked(agent, callback), {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      idTokenExpected: true,
    });
    expect(tokens.claims()).toMatchObject({ acr: LEVEL_1, amr: ['pwd', 'otp'] });
    const userinfo = await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()?.sub ?? '');
    expect(userinfo).toMatchObject({ personal_id_number: adult.idNumber, phone_number: recipientOf(contact, 'sms') });

    // The registration's pages were served by both instances, and no two requests in a row by the same one.
    const registrationSteps = balancer.log.filter((entry) => entry.path.includes('/register'));
    expect(new Set(registrationSteps.map((entry) => entry.instance))).toEqual(new Set(['A', 'B']));
    const servedTwiceInARow = balancer.log.filter((entry, index) => index > 0 && balancer.log[index - 1]?.instance === entry.instance);
    expect(servedTwiceInARow).toEqual([]);
    expect(balancer.log.length).toBeGreaterThan(10);
  });
});
