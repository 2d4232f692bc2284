import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import type { ManualClock } from '../../src/shared/clock.js';
import { startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty } from '../support/relying-party.js';
import { shown as shownIn } from '../support/registration-steps.js';
import {
  citizenAt,
  enterCode,
  enterPassword,
  exchange,
  isPasswordPage,
  isSecondFactorPage,
  LEVEL_2,
  methodOf,
  readSignInCode,
  signInClock,
  startSignIn,
  totpCode,
} from '../support/sign-in-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

const shown = (key: string): string => shownIn(key, undefined, 'vi');
const keyOn = (page: Page): string => (/id="totp-key">([A-Z2-7 ]+)</.exec(page.html)?.[1] ?? '').replace(/ /g, '');

/**
 * The owner sets up an authenticator app at /account/authenticator (linked from the account overview): only from a
 * level-2 sign-in of the same session, with a QR code drawn by the server, confirmed by the app's first code.
 */
describe('setting up an authenticator app for level-2 sign-in', () => {
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

  it('needs a level-2 sign-in, shows a QR code and the key, and is confirmed by a first code from the app', async () => {
    const fixture = await citizenAt(running.container, 2);
    const agent = new UserAgent();
    const signIn = await agent.navigate(`${running.issuer}/account/authenticator`);
    expect(isPasswordPage(signIn)).toBe(true);
    // A password is not enough to add a second factor: the code by SMS is asked too.
    const codePage = await enterPassword(agent, signIn, fixture);
    expect(isSecondFactorPage(codePage)).toBe(true);
    const offer = await enterCode(agent, codePage, await readSignInCode(running.issuer, fixture.account.phone ?? ''));
    expect(new URL(offer.url).pathname).toBe('/account/authenticator');
    expect(offer.html).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" width="240" height="240" alt="/);
    const secret = keyOn(offer);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // A reload shows the same key (the app may already hold it); a wrong code is refused.
    expect(keyOn(await agent.navigate(offer.url))).toBe(secret);
    const wrong = await agent.submit(offer, '/account/authenticator', { code: '000000' === totpCode(secret, clock) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain(shown('authenticator.errors.code_invalid'));

    const done = await agent.submit(wrong, '/account/authenticator', { code: totpCode(secret, clock) });
    expect(done.status).toBe(200);
    expect(done.html).toContain(shown('authenticator.done'));
    expect(done.html).not.toContain(secret);

    // From now on a level-2 sign-in asks the app first.
    clock.advance(30_000);
    const other = new UserAgent();
    const { request, page } = await startSignIn(rp, other, { acr_values: LEVEL_2 });
    const appPage = await enterPassword(other, page, fixture);
    expect(methodOf(appPage)).toBe('totp');
    const approved = await enterCode(other, appPage, totpCode(secret, clock));
    const consent = approved.status === 200 ? await other.submit(approved, '/confirm', {}, 'http://127.0.0.1:1/callback') : approved;
    expect((await exchange(rp, request, consent)).claims()).toMatchObject({ acr: LEVEL_2, amr: ['pwd', 'otp', 'mfa'] });

    // Removed from the same page: level-2 sign-in falls back to the code by SMS.
    const enrolled = await agent.navigate(`${running.issuer}/account/authenticator`);
    const removed = await agent.submit(enrolled, '/account/authenticator/remove', {});
    expect(removed.html).toContain(shown('authenticator.removed'));
    expect(await running.container.signInService.totp.isEnrolled(fixture.account.id)).toBe(false);
  });

  it('tells a level-1 account to verify its identity first', async () => {
    const fixture = await citizenAt(running.container, 1);
    const agent = new UserAgent();
    const page = await enterPassword(agent, await agent.navigate(`${running.issuer}/account/authenticator`), fixture);
    expect(new URL(page.url).pathname).toBe('/account/authenticator');
    expect(page.html).toContain(shown('authenticator.levelOne'));
    expect(page.html).toContain('href="/account/level2"');
  });
});
