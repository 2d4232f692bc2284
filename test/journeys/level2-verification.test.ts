import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { createCitizen, startProvider, TEST_CLIENT, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { faceSamples } from '../support/face-samples.js';
import { identityOf, portraitsDirectory, sendPhoto } from '../support/level2-steps.js';
import { TestRedisServer } from '../support/redis-server.js';
import { approveConsentIfAsked, authorizationRequest, discoverAsRelyingParty } from '../support/relying-party.js';
import { personas, shown } from '../support/registration-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

/**
 * Level-2 verification by remote portrait match (Decision 34 Art 5.1.b), through the pages, with the real local face
 * matcher and the photos shipped inside @vladmandic/human: the registry's portrait of a persona is one photograph of
 * the package's author, the person sends another photograph of him (same person) or someone else's face.
 */

const owner = personas.citizens.adult;
const second = personas.citizens.teenager;
const third = personas.citizens.toneStyleName;
const fourth = personas.citizens.guardian;

describe('level-2 verification pages', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  const accounts = {} as Record<'owner' | 'second' | 'third' | 'fourth', AccountFixture>;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    const portrait = faceSamples.authorOffice();
    const directory = portraitsDirectory(
      Object.fromEntries([owner, second, third, fourth].map((record) => [record.biometrics.portraitRef ?? '', portrait])),
    );
    running = await startProvider(redis, { BIOMETRICS_PORTRAITS_DIR: directory });
    expect((await running.container.biometrics.warmUp()).ok).toBe(true);
    accounts.owner = await createCitizen(running.container, { identity: identityOf(owner), password: 'owner-password-1' });
    accounts.second = await createCitizen(running.container, { identity: identityOf(second), password: 'second-password-1' });
    accounts.third = await createCitizen(running.container, { identity: identityOf(third), password: 'third-password-1' });
    accounts.fourth = await createCitizen(running.container, { identity: identityOf(fourth), password: 'fourth-password-1' });
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  /** A signed-out visit to /account/level2 goes through the provider's sign-in and comes back to the consent page. */
  async function signedInAt(fixture: AccountFixture): Promise<{ agent: UserAgent; page: Page }> {
    const agent = new UserAgent();
    const loginPage = await agent.navigate(`${running.issuer}/account/level2?lang=en`);
    expect(new URL(loginPage.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
    const page = await agent.submit(loginPage, '/login', fixture.loginFields);
    expect(page.url).toBe(`${running.issuer}/account/level2`);
    return { agent, page };
  }

  async function consented(agent: UserAgent, consentPage: Page): Promise<Page> {
    expect(consentPage.html).toContain(shown('level2.consent.title'));
    const photoPage = await agent.submit(consentPage, '/account/level2/consent', { accept: 'yes' });
    expect(photoPage.url).toBe(`${running.issuer}/account/level2/photo`);
    expect(photoPage.status).toBe(200);
    return photoPage;
  }

  it('upgrades a signed-in owner to level 2 with a photo of the same person, after one that did not match', async () => {
    const { agent, page } = await signedInAt(accounts.owner);
    const photoPage = await consented(agent, page);
    expect(photoPage.html).toContain(shown('level2.photo.attemptsLeft', { count: 5, hours: 6 }));
    // The page works without JavaScript; the camera is a script of our own origin (CSP script-src 'self').
    expect(photoPage.html).toMatch(/<input[^>]+type="file"[^>]+accept="image\/jpeg,image\/png,image\/\*"[^>]+capture="user"/);
    expect(photoPage.html).toMatch(/<script src="\/static\/level2-camera\.js\?v=[\w-]+" defer><\/script>/);
    expect(photoPage.headers.get('content-security-policy')).toContain("script-src 'self'");

    const [someoneElse] = faceSamples.others();
    const notMatched = await sendPhoto(agent, photoPage, someoneElse ?? new Uint8Array());
    expect(notMatched.url).toBe(`${running.issuer}/account/level2/result?outcome=not_matched`);
    expect(notMatched.html).toContain(shown('level2.result.not_matched.title'));
    expect(notMatched.html).toContain(shown('level2.result.attemptsLeft', { count: 4 }));
    expect((await running.container.accounts.findById(accounts.owner.account.id))?.level).toBe(1);

    const again = await agent.navigate(`${running.issuer}/account/level2/photo`);
    expect(again.html).toContain(shown('level2.photo.attemptsLeft', { count: 4, hours: 6 }));
    const matched = await sendPhoto(agent, again, faceSamples.authorCasual());
    expect(matched.url).toBe(`${running.issuer}/account/level2/result?outcome=matched`);
    expect(matched.html).toContain(shown('level2.result.matched.title'));

    const account = await running.container.accounts.findById(accounts.owner.account.id);
    expect(account).toMatchObject({
      level: 2,
      levelVerification: { method: 'face', channel: 'remote', legalBasis: 'Decision 34 Art 5.1.b', score: expect.any(Number) },
    });
    expect(account?.biometricConsent).toMatchObject({ version: '2026-01', locale: 'en' });
    // Once level 2 the pages say so and ask for nothing.
    const later = await agent.navigate(`${running.issuer}/account/level2`);
    expect(later.html).toContain(shown('level2.result.already_level_2.title'));
  }, 60_000);

  it('asks for the consent first and records nothing without it', async () => {
    const { agent, page } = await signedInAt(accounts.second);
    const direct = await agent.navigate(`${running.issuer}/account/level2/photo`);
    expect(direct.url).toBe(`${running.issuer}/account/level2`);
    const refused = await agent.submit(page, '/account/level2/consent', {});
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(shown('level2.consent.problems.required'));
    expect((await running.container.accounts.findById(accounts.second.account.id))?.biometricConsent).toBeUndefined();
  });

  it('refuses an upload over the size limit (413), without the CSRF token (403), or not an image (400)', async () => {
    const { agent, page } = await signedInAt(accounts.second);
    const photoPage = await consented(agent, page);
    const tooLarge = new Uint8Array(running.config.level2.uploadMaxBytes + 1024);
    tooLarge.set([0xff, 0xd8, 0xff]);
    expect((await sendPhoto(agent, photoPage, tooLarge)).status).toBe(413);
    expect((await sendPhoto(agent, photoPage, faceSamples.authorCasual(), { fields: { _csrf: 'forged' } })).status).toBe(403);
    const notImage = await sendPhoto(agent, photoPage, new TextEncoder().encode('GIF89a not a photo'), { type: 'image/gif' });
    expect(notImage.status).toBe(400);
    expect(notImage.html).toContain(shown('level2.photo.problems.format'));
    // None of these used up a comparison.
    expect((await running.container.level2.status(accounts.second.account.id))?.attemptsLeft).toBe(5);
  });

  it('lets a photo without a face be taken again without using up a comparison', async () => {
    const { agent, page } = await signedInAt(accounts.fourth);
    const photoPage = await consented(agent, page);
    const retake = await sendPhoto(agent, photoPage, faceSamples.noFace());
    expect(retake.status).toBe(422);
    expect(retake.html).toContain(shown('level2.photo.problems.no_face'));
    expect(retake.html).toContain(shown('level2.photo.attemptsLeft', { count: 5, hours: 6 }));
  }, 30_000);

  it('stops after 5 comparisons that did not match and says when the next one is allowed', async () => {
    const { agent, page } = await signedInAt(accounts.third);
    let photoPage = await consented(agent, page);
    const [stranger] = faceSamples.others();
    let result: Page = photoPage;
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      result = await sendPhoto(agent, photoPage, stranger ?? new Uint8Array());
      photoPage = await agent.navigate(`${running.issuer}/account/level2/photo`);
    }
    expect(result.html).toContain(shown('level2.result.attempts_exhausted.title'));
    expect(photoPage.url).toBe(`${running.issuer}/account/level2/result?outcome=attempts_exhausted`);
    expect(photoPage.html).toContain(shown('level2.result.inPerson'));
    expect((await running.container.accounts.findById(accounts.third.account.id))?.level).toBe(1);
  }, 60_000);
});

describe('level-2 verification during a relying party’s sign-in (step-up of a level-1 account)', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let fixture: AccountFixture;
  const person = personas.citizens.expiredCard;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    const directory = portraitsDirectory({ [person.biometrics.portraitRef ?? '']: faceSamples.authorOffice() });
    running = await startProvider(redis, { BIOMETRICS_PORTRAITS_DIR: directory });
    rp = await discoverAsRelyingParty(running.issuer);
    fixture = await createCitizen(running.container, { identity: identityOf(person), password: 'step-up-password-1', phone: '+84905550101' });
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await redis?.destroy();
  });

  it('verifies at /interaction/<uid>/level2, then asks only for the second factor, and the ID token says level 2', async () => {
    const agent = new UserAgent();
    const request = await authorizationRequest(rp, { acr_values: 'urn:vn:eid:loa:2', ui_locales: 'en' });
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const offer = await agent.submit(loginPage, '/login', fixture.loginFields, TEST_CLIENT.redirectUri);
    const uid = new URL(offer.url).pathname.split('/')[2] ?? '';
    expect(offer.html).toContain(`/interaction/${uid}/level2`);

    const consentPage = await agent.navigate(`${running.issuer}/interaction/${uid}/level2?lang=en`);
    expect(consentPage.html).toContain(shown('level2.consent.title'));
    const photoPage = await agent.submit(consentPage, `/interaction/${uid}/level2/consent`, { accept: 'yes' });
    expect(photoPage.url).toBe(`${running.issuer}/interaction/${uid}/level2/photo`);
    const back = await sendPhoto(agent, photoPage, faceSamples.authorCasual(), { stopAt: TEST_CLIENT.redirectUri });
    expect(back.url).toBe(`${running.issuer}/interaction/${uid}`);
    expect((await running.container.accounts.findById(fixture.account.id))?.level).toBe(2);

    // Only the second factor is left: the code sent to the registered phone.
    const codeResponse = await fetch(`${running.issuer}/dev/outbox.json?to=${encodeURIComponent('+84905550101')}`);
    const { messages } = (await codeResponse.json()) as { messages: { template: string; params: Record<string, string> }[] };
    const code = messages.find((message) => message.template === 'sign_in_code')?.params.code ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const afterCode = await agent.submit(back, '/second-factor', { code }, TEST_CLIENT.redirectUri);
    const callback = await approveConsentIfAsked(agent, afterCode);
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    expect(claims?.acr).toBe('urn:vn:eid:loa:2');
    expect(claims?.amr).toEqual(expect.arrayContaining(['pwd', 'face', 'mfa']));
  }, 60_000);

  it('refuses a level-2 page of an interaction this browser does not hold', async () => {
    const agent = new UserAgent();
    const page = await agent.navigate(`${running.issuer}/interaction/AAAAAAAAAAAAAAAAAAAAA/level2`);
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
  });
});
