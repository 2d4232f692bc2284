import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { loginKeyOf } from '../../src/domain/account.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { RedisLockLedger } from '../../src/storage/lock-ledger.js';
import { startProvider, TEST_CLIENT, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { deleteKeysMatching } from '../support/redis-keyspace.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, discoverAsRelyingParty } from '../support/relying-party.js';
import { shown as shownIn } from '../support/registration-steps.js';
import {
  atRelyingParty,
  citizenAt,
  enterCode,
  enterPassword,
  exchange,
  isPasswordPage,
  isSecondFactorPage,
  LEVEL_1,
  LEVEL_2,
  readSignInCode,
  signInClock,
  startSignIn,
  wrongCode,
} from '../support/sign-in-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

/**
 * Sign-in protection: throttling shared by every instance (per login name, per account's second factor, per IP), the
 * authenticator disabled after consecutive failures (NIST SP 800-63B 5.2.2), and locked accounts (Decision 34 Art 10).
 * Waits are Redis expiries: a test lets them pass by expiring the wait counters (`letWaitsPass`), never by sleeping.
 */

/** The refusal shown on the sign-in or code page (the error summary's text). */
const refusalText = (page: Page): string => /class="error-summary__list">\s*<li><a[^>]*>([^<]*)<\/a>/.exec(page.html)?.[1] ?? '';

/** The text of a message as the (Vietnamese, by default) page shows it. */
const shown = (key: string, vars?: Record<string, string | number>): string => shownIn(key, vars, 'vi');

const unknownCitizen = (idNumber: string): AccountFixture['loginFields'] => ({ kind: 'citizen', idNumber, password: 'not the password 1' });

interface Suite {
  redis: TestRedisServer;
  running: RunningProvider;
  rp: oidc.Configuration;
  clock: ManualClock;
}

function useProtectedProvider(config: Record<string, unknown>): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.redis = await TestRedisServer.start();
    suite.clock = signInClock();
    suite.running = await startProvider(suite.redis, {}, { clock: suite.clock, config });
    suite.rp = await discoverAsRelyingParty(suite.running.issuer);
  });
  afterAll(async () => {
    await suite.running?.stop();
    await suite.redis?.destroy();
  });
  return suite;
}

/** Time passes for every throttle: the current waits end (their Redis keys expire); the failure counts stay. */
async function letWaitsPass(suite: Suite): Promise<void> {
  const { redis, keys } = suite.running.container;
  await deleteKeysMatching(redis, `${keys.rateLimit('sign-in-')}*-wait*`);
}

async function tryPassword(suite: Suite, fields: Record<string, string>): Promise<Page> {
  const agent = new UserAgent();
  const { page } = await startSignIn(suite.rp, agent);
  return agent.submit(page, '/login', fields, TEST_CLIENT.redirectUri);
}

describe('throttling of passwords and codes', () => {
  const suite = useProtectedProvider({ signIn: { ipFailures: { freeFailures: 200, baseDelaySeconds: 5, maxDelaySeconds: 60, disableAfterFailures: 0, windowSeconds: 3600 } } });

  it('makes every attempt wait after 5 wrong passwords, longer each time, alike for an unknown ID number', async () => {
    const fixture = await citizenAt(suite.running.container, 1);
    const wrong = { ...fixture.loginFields, password: 'not the password 1' };
    const unknown = unknownCitizen('001190999991');
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect((await tryPassword(suite, wrong)).status).toBe(401);
      expect((await tryPassword(suite, unknown)).status).toBe(401);
    }
    const fifth = await tryPassword(suite, wrong);
    const fifthUnknown = await tryPassword(suite, unknown);
    expect(fifth.status).toBe(401);
    expect(fifth.headers.get('retry-after')).toBe('30');
    expect(refusalText(fifth)).toBe(shown('signIn.invalidThenWait', { count: 30 }));
    expect(refusalText(fifthUnknown)).toBe(refusalText(fifth));
    expect(fifthUnknown.headers.get('retry-after')).toBe('30');

    // While waiting even the right password is not looked at: "try again in N seconds", no sleeping on the server.
    const waiting = await tryPassword(suite, fixture.loginFields);
    expect(waiting.status).toBe(429);
    expect([shown('signIn.wait', { count: 29 }), shown('signIn.wait', { count: 30 })]).toContain(refusalText(waiting));
    expect((await tryPassword(suite, unknown)).status).toBe(429);

    await letWaitsPass(suite);
    const sixth = await tryPassword(suite, wrong);
    expect(sixth.headers.get('retry-after')).toBe('60');
    await letWaitsPass(suite);
    // The right password, once the wait is over: signed in, and the count starts again from zero.
    expect(isPasswordPage(await tryPassword(suite, fixture.loginFields))).toBe(false);
    expect(refusalText(await tryPassword(suite, wrong))).toBe(shown('login.invalid_credentials'));
  });

  it('counts wrong SMS codes across codes: asking for a new code does not reset the count', async () => {
    const fixture = await citizenAt(suite.running.container, 2);
    const agent = new UserAgent();
    const { page } = await startSignIn(suite.rp, agent, { acr_values: LEVEL_2 });
    let codePage = await enterPassword(agent, page, fixture);
    const codePageUrl = codePage.url;
    const phone = fixture.account.phone ?? '';
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      codePage = await enterCode(agent, codePage, wrongCode(await readSignInCode(suite.running.issuer, phone)));
      expect(codePage.status).toBe(401);
      expect(refusalText(codePage)).toBe(shown('signIn.secondFactor.errors.code_invalid'));
    }
    // A minute later (the least time between two codes) the person reloads the page and asks for a new code.
    suite.clock.advance(61_000);
    codePage = await agent.submit(await agent.navigate(codePageUrl), '/second-factor/send', {});
    expect(codePage.html).toContain(shown('signIn.secondFactor.sent'));
    const newCode = await readSignInCode(suite.running.issuer, phone);
    codePage = await enterCode(agent, codePage, wrongCode(newCode));
    expect(refusalText(codePage)).toBe(shown('signIn.secondFactor.errors.code_invalid'));
    codePage = await enterCode(agent, codePage, wrongCode(newCode));
    // The fifth wrong code of this account, the second of the new code: now the next try waits.
    expect(codePage.headers.get('retry-after')).toBe('30');
    expect(refusalText(codePage)).toBe(shown('signIn.secondFactor.errors.code_invalid_wait', { count: 30 }));
    const waiting = await enterCode(agent, codePage, newCode);
    expect(waiting.status).toBe(429);
    await letWaitsPass(suite);
    expect(atRelyingParty(await approveOrStay(agent, await enterCode(agent, waiting, newCode)))).toBe(true);
  });
});

/** The consent page if it comes, then the relying party. */
async function approveOrStay(agent: UserAgent, page: Page): Promise<Page> {
  if (atRelyingParty(page) || isSecondFactorPage(page) || page.status !== 200) return page;
  const callback = await approveConsentIfAsked(agent, page);
  return { url: callback.toString(), status: 0, html: '', headers: new Headers() };
}

describe('throttling per IP address', () => {
  const suite = useProtectedProvider({
    signIn: {
      passwordFailures: { freeFailures: 50, baseDelaySeconds: 30, maxDelaySeconds: 3600, disableAfterFailures: 100, windowSeconds: 86400 },
      ipFailures: { freeFailures: 6, baseDelaySeconds: 20, maxDelaySeconds: 900, disableAfterFailures: 0, windowSeconds: 3600 },
    },
  });

  it('keeps counting failures from one address when its own account signs in successfully in between', async () => {
    const own = await citizenAt(suite.running.container, 1);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await tryPassword(suite, unknownCitizen(`00119099990${attempt}`))).status).toBe(401);
    }
    // Signing in to one's own account between guesses does not reset the address's count.
    expect(isPasswordPage(await tryPassword(suite, own.loginFields))).toBe(false);
    for (let attempt = 4; attempt <= 5; attempt += 1) {
      expect((await tryPassword(suite, unknownCitizen(`00119099990${attempt}`))).status).toBe(401);
    }
    const sixth = await tryPassword(suite, unknownCitizen('001190999906'));
    expect(sixth.headers.get('retry-after')).toBe('20');
    expect((await tryPassword(suite, own.loginFields)).status).toBe(429);
  });
});

describe('an authenticator disabled after too many consecutive failures', () => {
  const suite = useProtectedProvider({
    signIn: { passwordFailures: { freeFailures: 10, baseDelaySeconds: 0, maxDelaySeconds: 0, disableAfterFailures: 4, windowSeconds: 86400 } },
  });

  it('turns password sign-in off for the login name, says the same for an unknown one, and works again once recovered', async () => {
    const fixture = await citizenAt(suite.running.container, 1);
    const wrong = { ...fixture.loginFields, password: 'not the password 1' };
    const unknown = unknownCitizen('001190999981');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await tryPassword(suite, wrong)).status).toBe(401);
      expect((await tryPassword(suite, unknown)).status).toBe(401);
    }
    const disabled = await tryPassword(suite, wrong);
    const disabledUnknown = await tryPassword(suite, unknown);
    expect(disabled.status).toBe(403);
    expect(refusalText(disabled)).toBe(shown('signIn.disabled'));
    expect(refusalText(disabledUnknown)).toBe(refusalText(disabled));
    // Off until recovered, whatever the password and however long one waits.
    suite.clock.advance(86_400_000);
    expect((await tryPassword(suite, fixture.loginFields)).status).toBe(403);

    // The owner's recovery (a code to the registered phone, then a new password) turns it on again.
    await suite.running.container.signInService.password.recover(loginKeyOf(fixture.account.identity));
    expect(isPasswordPage(await tryPassword(suite, fixture.loginFields))).toBe(false);
  });
});

describe('locked accounts', () => {
  const suite = useProtectedProvider({});

  const lock = async (accountId: string): Promise<void> => {
    const { redis, keys } = suite.running.container;
    await new RedisLockLedger(redis, keys).open({
      id: `lock-${accountId}`,
      accountId,
      reason: 'agency_request',
      requestedBy: { kind: 'agency', id: 'test-agency' },
      legalBasis: 'Decision 34 Art 10.2',
      at: suite.clock.now(),
    });
  };

  it('refuses a locked account after a right password, pointing to the unlock page, and nothing before', async () => {
    const fixture = await citizenAt(suite.running.container, 1);
    await lock(fixture.account.id);
    const refused = await tryPassword(suite, fixture.loginFields);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain(shown('signIn.locked.title'));
    expect(refused.html).toContain('href="/account/unlock"');
    // Someone without the password learns nothing: the same answer as any wrong password.
    const guessed = await tryPassword(suite, { ...fixture.loginFields, password: 'not the password 1' });
    const unknown = await tryPassword(suite, unknownCitizen('001190999971'));
    expect(guessed.status).toBe(401);
    expect(refusalText(guessed)).toBe(refusalText(unknown));
    expect(guessed.html).not.toContain(shown('signIn.locked.title'));
  });

  it('does not reuse a session, a refresh token or an access token once the account is locked', async () => {
    const fixture = await citizenAt(suite.running.container, 1);
    const agent = new UserAgent();
    const first = await startSignIn(suite.rp, agent, { acr_values: LEVEL_1, scope: 'openid offline_access', prompt: 'consent' });
    let callback = await enterPassword(agent, first.page, fixture);
    if (!atRelyingParty(callback)) callback = { ...callback, url: (await approveConsentIfAsked(agent, callback)).toString(), status: 0 };
    const tokens = await exchange(suite.rp, first.request, callback);

    await lock(fixture.account.id);
    // The lock ledger's own operation also ends the sessions (flows/locks); here only the lock is recorded, as in a
    // race with a request already under way: the session is still not reused, silently or not.
    for (const params of [{ prompt: 'none' }, {}] as Record<string, string>[]) {
      const { page } = await startSignIn(suite.rp, agent, params);
      expect(atRelyingParty(page) ? new URL(page.url).searchParams.get('code') : null).toBeNull();
    }
    await expect(oidc.refreshTokenGrant(suite.rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(suite.rp, tokens.access_token, fixture.account.id)).rejects.toBeDefined();
  });
});
