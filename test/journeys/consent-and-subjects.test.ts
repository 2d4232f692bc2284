import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { createCitizen, startProvider, TEST_CLIENT, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, authorizationRequest, discoverAsRelyingParty, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * Consent per relying party, remembered per grant and revocable (ConsentService.revokeConsent, called by the account
 * pages), and pairwise subjects for clients registered with `subject_type: pairwise`.
 */

const PAIRWISE_A = { id: 'test-rp-pairwise-a', secret: 'test-rp-pairwise-a-secret-0123456789abcdef' };
const PAIRWISE_B = { id: 'test-rp-pairwise-b', secret: 'test-rp-pairwise-b-secret-0123456789abcdef' };

let redis: TestRedisServer;
let running: RunningProvider;
let rp: oidc.Configuration;
let citizen: AccountFixture;

beforeAll(async () => {
  redis = await TestRedisServer.start();
  running = await startProvider(redis, {
    CLIENTS_FILE: 'test/support/clients.pairwise.test.json',
    PAIRWISE_SALT: 'journey-pairwise-salt-0123456789abcdef0123',
  });
  rp = await discoverAsRelyingParty(running.issuer);
  citizen = await createCitizen(running.container);
});

afterAll(async () => {
  await running?.stop();
  await redis?.destroy();
});

describe('pairwise subjects', () => {
  it('are advertised in discovery', () => {
    expect(rp.serverMetadata().subject_types_supported).toEqual(expect.arrayContaining(['public', 'pairwise']));
  });

  it('give each pairwise client its own sub for one person, the same at every sign-in; public clients get the account id', async () => {
    const [a, b] = await Promise.all([discoverAsRelyingParty(running.issuer, PAIRWISE_A), discoverAsRelyingParty(running.issuer, PAIRWISE_B)]);
    const agent = new UserAgent();
    /** A sign-in in `browser`: the password only when its session does not have one yet, then consent if asked. */
    const subOf = async (config: oidc.Configuration, browser: UserAgent): Promise<string | undefined> => {
      const request = await authorizationRequest(config, { scope: 'openid profile' });
      let page = await browser.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
      if (page.html.includes('/login"')) page = await browser.submit(page, '/login', citizen.loginFields, TEST_CLIENT.redirectUri);
      const callback = await approveConsentIfAsked(browser, page);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: request.verifier,
        expectedNonce: request.nonce,
        expectedState: request.state,
        idTokenExpected: true,
      });
      return tokens.claims()?.sub;
    };

    const firstA = await subOf(a, agent);
    const firstB = await subOf(b, agent);
    const publicSub = await subOf(rp, agent);
    expect(firstA).toBeDefined();
    expect(firstA).not.toBe(firstB);
    expect(firstA).not.toBe(citizen.account.id);
    expect(publicSub).toBe(citizen.account.id);
    // Stable: another browser, another session, the same sub.
    expect(await subOf(a, new UserAgent())).toBe(firstA);
    // The UserInfo of a pairwise client answers with its pairwise sub too.
    const tokens = await logIn(b, new UserAgent(), citizen, { scope: 'openid profile' });
    const userinfo = await oidc.fetchUserInfo(b, tokens.access_token, firstB ?? '');
    expect(userinfo.sub).toBe(firstB);
  });
});

describe('revoking a consent', () => {
  it('removes the grants: tokens stop working and the next sign-in asks for consent again, in every browser', async () => {
    const person = await createCitizen(running.container);
    const agent = new UserAgent();
    const elsewhere = new UserAgent();
    const tokens = await logIn(rp, agent, person, { scope: 'openid offline_access profile', prompt: 'consent' });
    // A second browser's sign-in makes a second grant for the same relying party: both are withdrawn.
    await logIn(rp, elsewhere, person, { scope: 'openid profile' });
    expect(tokens.refresh_token).toBeDefined();
    expect(await running.container.consents.connectedServices(person.account.id)).toContain(TEST_CLIENT.id);

    // Remembered: the same browser signs in again without being asked.
    const remembered = await authorizationRequest(rp, { scope: 'openid profile' });
    const silent = await agent.navigate(remembered.url.toString(), TEST_CLIENT.redirectUri);
    expect(silent.url.startsWith(TEST_CLIENT.redirectUri)).toBe(true);

    expect(await running.container.consents.revokeConsent(person.account.id, TEST_CLIENT.id)).toEqual({ revoked: 2 });
    expect(await running.container.consents.connectedServices(person.account.id)).not.toContain(TEST_CLIENT.id);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token ?? '')).rejects.toThrow();
    await expect(oidc.fetchUserInfo(rp, tokens.access_token, person.account.id)).rejects.toThrow();

    // The session is still there (no password asked), but the consent page is shown again.
    const again = await authorizationRequest(rp, { scope: 'openid profile' });
    const page = await agent.navigate(again.url.toString(), TEST_CLIENT.redirectUri);
    expect(page.status).toBe(200);
    expect(page.html).toContain('/confirm');
    expect(page.html).not.toContain('name="password"');
    const other = await elsewhere.navigate((await authorizationRequest(rp, { scope: 'openid profile' })).url.toString(), TEST_CLIENT.redirectUri);
    expect(other.html).toContain('/confirm');
  });
});
