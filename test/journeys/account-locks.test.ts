import { describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { Account } from '../../src/domain/account.js';
import { createCitizen, TEST_CLIENT, type AccountFixture } from '../support/provider-harness.js';
import { useLifecycleJourney } from '../support/lifecycle-harness.js';
import { keysMatching } from '../support/redis-keyspace.js';
import { introspect, refreshAs, userinfoStatus } from '../support/lifecycle-steps.js';
import { approveConsentIfAsked, authorizationRequest, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * Decision 34 Art 10, 11: the owner locks their account and everything the account could do stops at once, in every
 * relying party; the owner lifts the lock and can sign in again.
 */
describe('the owner locks their account', () => {
  const journey = useLifecycleJourney();
  const offline = { scope: 'openid offline_access profile', prompt: 'consent' };

  async function storedTokensOf(account: Account): Promise<string[]> {
    const { redis, keys } = journey.running.container;
    const found: string[] = [];
    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Session', 'Grant']) {
      // Every master's keys on a cluster run, not only those of the node a SCAN happens to reach.
      for (const key of await keysMatching(redis, `${keys.prefix}oidc:${model}:{*}`)) {
        const payload = await redis.hget(key, 'payload');
        if (payload && (JSON.parse(payload) as { accountId?: string }).accountId === account.id) found.push(`${model}`);
      }
    }
    return found;
  }

  it('ends every use at once: refresh fails, introspection is inactive, back-channel logout arrives, session gone', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const agent = new UserAgent();
    const tokens = await logIn(journey.rp, agent, owner, offline);
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(200);
    expect(await introspect(issuer, TEST_CLIENT, tokens.access_token)).toMatchObject({ active: true });
    const before = journey.backchannel.logoutTokens.length;

    const locked = await container.locks.lockOwnAccount({ accountId: owner.account.id, locale: 'en' });
    expect(locked.ok).toBe(true);

    // The refresh token no longer works, the access token is dead everywhere.
    await expect(oidc.refreshTokenGrant(journey.rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await introspect(issuer, TEST_CLIENT, tokens.access_token)).toEqual({ active: false });
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(401);

    // The relying party was told by back-channel logout, with a token signed by the provider.
    const logoutTokens = journey.backchannel.logoutTokens.slice(before);
    expect(logoutTokens).toHaveLength(1);
    const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
    const { payload } = await jwtVerify(logoutTokens[0] ?? '', jwks, { issuer, audience: TEST_CLIENT.id });
    expect(payload.sub).toBe(owner.account.id);
    expect(payload.sid).toEqual(expect.any(String));
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });

    // The session is gone: a silent login at the relying party finds nobody signed in.
    const silent = await authorizationRequest(journey.rp, { prompt: 'none' });
    const answer = await agent.navigate(silent.url.toString(), TEST_CLIENT.redirectUri);
    expect(new URL(answer.url).searchParams.get('error')).toBe('login_required');
    expect(await storedTokensOf(owner.account)).toEqual([]);

    // The owner was told, and the trail says who locked and on which basis.
    const notices = (await container.notifications.outbox?.messages({ to: owner.account.phone ?? '' })) ?? [];
    expect(notices.map((message) => message.template)).toContain('account_locked');
    const trail = await container.audit.listForAccount(owner.account.id, { limit: 10 });
    expect(trail.events.find((event) => event.type === 'account.locked')).toMatchObject({
      actor: { kind: 'owner', id: owner.account.id },
      legalBasis: 'Decision 34 Art 10.1',
      details: expect.objectContaining({ reason: 'owner_request', sessions: 1, backchannelLogoutsDelivered: 1, ownerNotified: true }),
    });
  });

  it('refuses a new sign-in while locked, and lets the owner in again once they lift their own lock', async () => {
    const { container } = journey.running;
    const owner = await createCitizen(container);
    const locked = await container.locks.lockOwnAccount({ accountId: owner.account.id, locale: 'vi' });
    if (!locked.ok) throw new Error('lock refused');

    expect(await reachesRelyingParty(owner)).toBe(false);
    const status = await container.locks.statusOf(owner.account.id);
    expect(status).toMatchObject({ locked: true, locks: [{ reason: 'owner_request', howToLift: 'owner', ownerMayLiftNow: true }] });

    // Decision 34 Art 11.1: nobody but the owner lifts it.
    const byAnother = await container.locks.lift({ accountId: owner.account.id, lockId: locked.value.id, actor: { kind: 'operator', id: 'operator' } });
    expect(byAnother).toEqual({ ok: false, error: 'owner_only' });
    const lifted = await container.locks.liftOwnLock({ accountId: owner.account.id, lockId: locked.value.id, locale: 'vi' });
    expect(lifted).toMatchObject({ ok: true, value: { accountUsable: true } });
    expect(await reachesRelyingParty(owner)).toBe(true);
    const notices = (await container.notifications.outbox?.messages({ to: owner.account.phone ?? '' })) ?? [];
    expect(notices.map((message) => message.template)).toEqual(expect.arrayContaining(['account_locked', 'account_restored']));
    const trail = await container.audit.listForAccount(owner.account.id, { limit: 20 });
    expect(trail.events.map((event) => event.type)).toEqual(expect.arrayContaining(['account.locked', 'lock.lift_refused', 'account.restored']));
  });

  it('never yields a usable token to 50 refreshes racing a lock', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const agent = new UserAgent();
    const refreshTokens = [(await logIn(journey.rp, agent, owner, offline)).refresh_token ?? ''];
    // 49 more authorizations in the same browser session: consent again, no password.
    while (refreshTokens.length < 50) {
      const request = await authorizationRequest(journey.rp, offline);
      const callback = await approveConsentIfAsked(agent, await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri));
      const granted = await oidc.authorizationCodeGrant(journey.rp, callback, { pkceCodeVerifier: request.verifier, expectedNonce: request.nonce, expectedState: request.state });
      refreshTokens.push(granted.refresh_token ?? '');
    }

    const refreshes = refreshTokens.map(async (token) => {
      const response = await refreshAs(issuer, TEST_CLIENT, token);
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    });
    // The lock is recorded while the refreshes are in flight: as soon as the first of them has been answered.
    const lock = Promise.race(refreshes).then(() => container.locks.lockOwnAccount({ accountId: owner.account.id, locale: 'vi' }));
    const [outcomes, locked] = await Promise.all([Promise.all(refreshes), lock]);
    expect(locked.ok).toBe(true);

    // Whatever each refresh got, nothing it got works after the lock, and nothing of the account is left stored.
    const issued = outcomes.filter((outcome) => outcome.status === 200);
    const refused = outcomes.filter((outcome) => outcome.status !== 200);
    expect(issued.length + refused.length).toBe(50);
    // The first answer came before the lock (it triggered it): tokens issued before the lock exist and must die too.
    expect(issued.length).toBeGreaterThanOrEqual(1);
    for (const outcome of refused) expect(outcome.body.error).toBe('invalid_grant');
    for (const { body } of issued) {
      expect(await introspect(issuer, TEST_CLIENT, body.access_token ?? '')).toEqual({ active: false });
      expect(await userinfoStatus(issuer, body.access_token ?? '')).toBe(401);
      expect((await refreshAs(issuer, TEST_CLIENT, body.refresh_token ?? '')).status).toBe(400);
    }
    expect(await storedTokensOf(owner.account)).toEqual([]);
    // And a refresh sent after the lock is refused.
    expect((await refreshAs(issuer, TEST_CLIENT, refreshTokens[0] ?? '')).status).toBe(400);
  });

  async function reachesRelyingParty(fixture: AccountFixture): Promise<boolean> {
    const agent = new UserAgent();
    const request = await authorizationRequest(journey.rp);
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const afterLogin = await agent.submit(loginPage, '/login', fixture.loginFields, TEST_CLIENT.redirectUri);
    if (!afterLogin.url.startsWith(TEST_CLIENT.redirectUri)) {
      if (afterLogin.status !== 200 || !afterLogin.html.includes('/confirm')) return false;
      const confirmed = await agent.submit(afterLogin, '/confirm', {}, TEST_CLIENT.redirectUri);
      return new URL(confirmed.url).searchParams.has('code');
    }
    return new URL(afterLogin.url).searchParams.has('code');
  }
});
