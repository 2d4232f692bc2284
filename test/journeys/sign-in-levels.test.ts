import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, discoverAsRelyingParty } from '../support/relying-party.js';
import {
  atRelyingParty,
  citizenAt,
  enrolTotp,
  enterCode,
  enterPassword,
  errorAt,
  exchange,
  isPasswordPage,
  isSecondFactorPage,
  LEVEL_1,
  LEVEL_2,
  methodOf,
  readSignInCode,
  signInClock,
  startSignIn,
  totpCode,
} from '../support/sign-in-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';
import type { ManualClock } from '../../src/shared/clock.js';
import type { AccountFixture } from '../support/provider-harness.js';

/**
 * Levels in the protocol (Decision 34 Art 5): a relying party asks for a level with `acr_values`, an essential `acr`
 * claim or its registration, and the ID token says which level was achieved in this session and how (`acr`, `amr`,
 * `auth_time`). Level 2 = a level-2 account + password + a one-time code in this session.
 */
describe('sign-in at the level the relying party asks for', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let clock: ManualClock;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    clock = signInClock();
    running = await startProvider(redis, {}, { clock });
    rp = await discoverAsRelyingParty(running.issuer);
  });
  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  const issuer = (): string => running.issuer;

  /** Password then, when asked, the SMS code from the outbox; then consent if asked. Returns the relying party's page. */
  async function signInWithSms(agent: UserAgent, start: Page, fixture: AccountFixture): Promise<Page> {
    let page = await enterPassword(agent, start, fixture);
    if (isSecondFactorPage(page)) page = await enterCode(agent, page, await readSignInCode(issuer(), fixture.account.phone ?? ''));
    return consentIfAsked(agent, page);
  }

  async function consentIfAsked(agent: UserAgent, page: Page): Promise<Page> {
    if (atRelyingParty(page)) return page;
    const callback = await approveConsentIfAsked(agent, page);
    return { url: callback.toString(), status: 0, html: '', headers: new Headers() };
  }

  it('signs a level-1 account in at level 1 with the password alone', async () => {
    const fixture = await citizenAt(running.container, 1);
    const agent = new UserAgent();
    const { request, page } = await startSignIn(rp, agent, { acr_values: LEVEL_1 });
    const tokens = await exchange(rp, request, await consentIfAsked(agent, await enterPassword(agent, page, fixture)));
    const claims = tokens.claims();
    expect(claims).toMatchObject({ sub: fixture.account.id, acr: LEVEL_1, amr: ['pwd'] });
    // auth_time: when the password was given, on the flows' clock (the one the level-2 window is measured on).
    expect(claims?.auth_time).toBe(Math.floor(clock.now() / 1000));
  });

  it('asks a level-2 account for the password only when the service needs level 1', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const { request, page } = await startSignIn(rp, agent, { acr_values: LEVEL_1 });
    const after = await enterPassword(agent, page, fixture);
    expect(isSecondFactorPage(after)).toBe(false);
    expect((await exchange(rp, request, await consentIfAsked(agent, after))).claims()).toMatchObject({ acr: LEVEL_1, amr: ['pwd'] });
  });

  it('signs a level-2 account in at level 2 with the password and a code sent by SMS', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const { request, page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    const codePage = await enterPassword(agent, page, fixture);
    expect(isSecondFactorPage(codePage)).toBe(true);
    expect(methodOf(codePage)).toBe('sms');
    // The number is shown partly hidden; the code went to the registered phone.
    expect(codePage.html).toContain('+8491');
    expect(codePage.html).not.toContain(fixture.account.phone ?? '');
    const code = await readSignInCode(issuer(), fixture.account.phone ?? '');
    const tokens = await exchange(rp, request, await consentIfAsked(agent, await enterCode(agent, codePage, code)));
    expect(tokens.claims()).toMatchObject({ sub: fixture.account.id, acr: LEVEL_2, amr: ['pwd', 'sms', 'mfa'] });

    // Single use: the next sign-in (past the minute between two codes) gets a new code; the used one does not work.
    clock.advance(61_000);
    const other = new UserAgent();
    const again = await startSignIn(rp, other, { acr_values: LEVEL_2 });
    const reused = await enterCode(other, await enterPassword(other, again.page, fixture), code);
    expect(reused.status).toBe(401);
    expect(await readSignInCode(issuer(), fixture.account.phone ?? '')).not.toBe(code);
  });

  it('signs a level-2 account in at level 2 with its authenticator app, and refuses the same code twice', async () => {
    const fixture = await citizenAt(running.container, 2);
    const secret = await enrolTotp(running.container, fixture, clock);
    const agent = new UserAgent();
    const { request, page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    const codePage = await enterPassword(agent, page, fixture);
    // With an app enrolled no SMS is sent: the app is offered first, the phone as the alternative.
    expect(methodOf(codePage)).toBe('totp');
    expect(codePage.html).toContain('?method=sms');
    const code = totpCode(secret, clock);
    const tokens = await exchange(rp, request, await consentIfAsked(agent, await enterCode(agent, codePage, code)));
    expect(tokens.claims()).toMatchObject({ acr: LEVEL_2, amr: ['pwd', 'otp', 'mfa'] });

    // RFC 6238 5.2: the code of a step already used is refused, even within its 30 seconds.
    const other = new UserAgent();
    const second = await startSignIn(rp, other, { acr_values: LEVEL_2 });
    const replayPage = await enterCode(other, await enterPassword(other, second.page, fixture), code);
    expect(replayPage.status).toBe(401);
    expect(isSecondFactorPage(replayPage)).toBe(true);
    clock.advance(30_000);
    const fresh = await enterCode(other, replayPage, totpCode(secret, clock));
    expect((await exchange(rp, second.request, await consentIfAsked(other, fresh))).claims()?.acr).toBe(LEVEL_2);
  });

  it('steps a level-1 session up to level 2 with the second factor only, never the password again', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const first = await startSignIn(rp, agent, { acr_values: LEVEL_1 });
    await exchange(rp, first.request, await consentIfAsked(agent, await enterPassword(agent, first.page, fixture)));

    const { request, page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    expect(isPasswordPage(page)).toBe(false);
    expect(isSecondFactorPage(page)).toBe(true);
    const done = await enterCode(agent, page, await readSignInCode(issuer(), fixture.account.phone ?? ''));
    expect((await exchange(rp, request, done)).claims()).toMatchObject({ acr: LEVEL_2, amr: ['pwd', 'sms', 'mfa'] });
  });

  it('offers a level-1 account level-2 verification, and returns unmet_authentication_requirements when declined', async () => {
    const fixture = await citizenAt(running.container, 1);
    const agent = new UserAgent();
    const { page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    const offer = await enterPassword(agent, page, fixture);
    expect(offer.status).toBe(200);
    const uid = /\/interaction\/([^/"?]+)/.exec(offer.url)?.[1] ?? '';
    // The verification pages of this very sign-in (src/http/level2) come back to it once verified.
    expect(offer.html).toContain(`href="/interaction/${uid}/level2"`);
    const declined = await agent.submit(offer, '/unmet', {}, TEST_CLIENT.redirectUri);
    expect(errorAt(declined)).toBe('unmet_authentication_requirements');
  });

  it('continues the same sign-in after a level-2 verification done on the way, asking only for the code', async () => {
    const fixture = await citizenAt(running.container, 1);
    const agent = new UserAgent();
    const { request, page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    const offer = await enterPassword(agent, page, fixture);
    // What the level-2 pages record when the portrait matched (Decision 34 Art 5.1.b), then the way back to the sign-in.
    clock.advance(60_000);
    const verified = { ...fixture.account, level: 2 as const, updatedAt: clock.now() };
    await running.container.accounts.save({
      ...verified,
      levelVerification: { method: 'face', at: clock.now(), score: 0.8, legalBasis: 'Decision 34 Art 5.1.b', channel: 'remote' },
    });
    const back = await agent.navigate(offer.url, TEST_CLIENT.redirectUri);
    expect(isSecondFactorPage(back)).toBe(true);
    const done = await consentIfAsked(agent, await enterCode(agent, back, await readSignInCode(issuer(), fixture.account.phone ?? '')));
    expect((await exchange(rp, request, done)).claims()).toMatchObject({ acr: LEVEL_2, amr: ['pwd', 'face', 'sms', 'mfa'] });
  });

  it('ends with unmet_authentication_requirements for a level-2 account without a proven phone or an app', async () => {
    const fixture = await citizenAt(running.container, 2);
    // The phone was typed at registration but never proven by a code: no second factor can go there.
    const { phoneVerifiedAt: _unproven, ...unproven } = fixture.account;
    await running.container.accounts.save(unproven);
    const agent = new UserAgent();
    const { page } = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    const none = await enterPassword(agent, page, fixture);
    expect(isSecondFactorPage(none)).toBe(false);
    expect(none.html).toContain('href="/account"');
    expect(errorAt(await agent.submit(none, '/unmet', {}, TEST_CLIENT.redirectUri))).toBe('unmet_authentication_requirements');
  });

  it('honours an essential acr claim, and lets a level-2 session satisfy an essential level 1', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const essential = (values: string[]) => ({ claims: JSON.stringify({ id_token: { acr: { essential: true, values } } }) });
    const { request, page } = await startSignIn(rp, agent, essential([LEVEL_2]));
    const codePage = await enterPassword(agent, page, fixture);
    expect(isSecondFactorPage(codePage)).toBe(true);
    const done = await consentIfAsked(agent, await enterCode(agent, codePage, await readSignInCode(issuer(), fixture.account.phone ?? '')));
    expect((await exchange(rp, request, done)).claims()?.acr).toBe(LEVEL_2);

    // Ordered levels: the level-2 session is reused for an essential level 1, without any page.
    const lower = await startSignIn(rp, agent, essential([LEVEL_1]));
    expect(atRelyingParty(lower.page)).toBe(true);
    expect((await exchange(rp, lower.request, lower.page)).claims()?.acr).toBe(LEVEL_2);
  });

  it('applies the minimum level a relying party registered, whatever its request says', async () => {
    const levelTwoService = await discoverAsRelyingParty(issuer(), { id: 'test-rp-level2', secret: 'test-rp-level2-secret-0123456789abcdef01234' });
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const { request, page } = await startSignIn(levelTwoService, agent, { acr_values: LEVEL_1 });
    const codePage = await enterPassword(agent, page, fixture);
    expect(isSecondFactorPage(codePage)).toBe(true);
    const done = await consentIfAsked(agent, await enterCode(agent, codePage, await readSignInCode(issuer(), fixture.account.phone ?? '')));
    expect((await exchange(levelTwoService, request, done)).claims()?.acr).toBe(LEVEL_2);
  });

  it('refuses at once a level the relying party may not ask for', async () => {
    const levelOneService = await discoverAsRelyingParty(issuer(), {
      id: 'test-rp-level1-only',
      secret: 'test-rp-level1-only-secret-0123456789abcdef',
    });
    const { page } = await startSignIn(levelOneService, new UserAgent(), { acr_values: LEVEL_2 });
    expect(errorAt(page)).toBe('unmet_authentication_requirements');
    const unknown = await startSignIn(rp, new UserAgent(), { acr_values: 'urn:example:loa:high' });
    expect(errorAt(unknown.page)).toBe('unmet_authentication_requirements');
  });

  it('answers prompt=none with login_required or interaction_required, and with a code when nothing is missing', async () => {
    const none = { prompt: 'none' };
    expect(errorAt((await startSignIn(rp, new UserAgent(), { ...none, acr_values: LEVEL_1 })).page)).toBe('login_required');

    // A level-1 session of a level-2 account: the second factor is missing, that is an authentication.
    const levelTwo = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const first = await startSignIn(rp, agent, { acr_values: LEVEL_1 });
    await exchange(rp, first.request, await consentIfAsked(agent, await enterPassword(agent, first.page, levelTwo)));
    expect(errorAt((await startSignIn(rp, agent, { ...none, acr_values: LEVEL_2 })).page)).toBe('login_required');
    const silent = await startSignIn(rp, agent, { ...none, acr_values: LEVEL_1 });
    expect((await exchange(rp, silent.request, silent.page)).claims()?.acr).toBe(LEVEL_1);

    // A level-1 account: only a verification (a page) could help.
    const levelOne = await citizenAt(running.container, 1);
    const other = new UserAgent();
    const signedIn = await startSignIn(rp, other, { acr_values: LEVEL_1 });
    await exchange(rp, signedIn.request, await consentIfAsked(other, await enterPassword(other, signedIn.page, levelOne)));
    expect(errorAt((await startSignIn(rp, other, { ...none, acr_values: LEVEL_2 })).page)).toBe('interaction_required');
  });

  it('asks for the password again when the session is older than max_age or prompt=login is sent', async () => {
    const fixture = await citizenAt(running.container, 1);
    const agent = new UserAgent();
    const first = await startSignIn(rp, agent);
    await exchange(rp, first.request, await consentIfAsked(agent, await enterPassword(agent, first.page, fixture)));

    clock.advance(120_000);
    const young = await startSignIn(rp, agent, { max_age: '600' });
    expect(atRelyingParty(young.page)).toBe(true);
    const old = await startSignIn(rp, agent, { max_age: '60' });
    expect(isPasswordPage(old.page)).toBe(true);
    const tokens = await exchange(rp, old.request, await enterPassword(agent, old.page, fixture), { maxAge: 60 });
    expect(tokens.claims()?.auth_time).toBe(Math.floor(clock.now() / 1000));

    const forced = await startSignIn(rp, agent, { prompt: 'login' });
    expect(isPasswordPage(forced.page)).toBe(true);
  });

  it('reuses a level-2 sign-in only within its window, then asks for the second factor again', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const first = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    await exchange(rp, first.request, await signInWithSms(agent, first.page, fixture));

    clock.advance(14 * 60_000);
    const within = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    expect((await exchange(rp, within.request, within.page)).claims()?.acr).toBe(LEVEL_2);

    clock.advance(2 * 60_000);
    // Past 15 minutes the session vouches for level 1 only: a level-1 request says so in its ID token...
    const lower = await startSignIn(rp, agent, { acr_values: LEVEL_1 });
    expect((await exchange(rp, lower.request, lower.page)).claims()?.acr).toBe(LEVEL_1);
    // ...and level 2 needs the second factor again (not the password).
    const again = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    expect(isSecondFactorPage(again.page)).toBe(true);
    const done = await enterCode(agent, again.page, await readSignInCode(issuer(), fixture.account.phone ?? ''));
    expect((await exchange(rp, again.request, done)).claims()?.acr).toBe(LEVEL_2);
  });

  it('never turns a grant obtained at level 1 into a level-2 ID token through its refresh token', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const first = await startSignIn(rp, agent, { acr_values: LEVEL_1, scope: 'openid offline_access', prompt: 'consent' });
    const levelOne = await exchange(rp, first.request, await consentIfAsked(agent, await enterPassword(agent, first.page, fixture)));
    expect(levelOne.refresh_token).toBeDefined();

    const stepUp = await startSignIn(rp, agent, { acr_values: LEVEL_2 });
    const done = await enterCode(agent, stepUp.page, await readSignInCode(issuer(), fixture.account.phone ?? ''));
    expect((await exchange(rp, stepUp.request, await consentIfAsked(agent, done))).claims()?.acr).toBe(LEVEL_2);

    const refreshed = await oidc.refreshTokenGrant(rp, levelOne.refresh_token ?? '');
    expect(refreshed.claims()).toMatchObject({ acr: LEVEL_1, amr: ['pwd'] });
  });
});
