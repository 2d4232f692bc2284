import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { loginKeyOf, type Account } from '../../src/domain/account.js';
import { uuid } from '../../src/shared/ids.js';
import { ageSignIn, isSignInPage, latestCode, outboxFor, ownerWithContacts, press, signInToAccountPages, type Owner } from '../support/account-steps.js';
import { startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { shown } from '../support/registration-steps.js';
import { approveConsentIfAsked, authorizationRequest, discoverAsRelyingParty, logIn } from '../support/relying-party.js';
import { signInClock } from '../support/sign-in-steps.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * The owner's pages (Decision 34 Art 12.1.dd) as a signed-in owner uses them: status and level, locking and
 * unlocking, the password, the contacts, the services connected, the dependants.
 */

let redis: TestRedisServer;
let running: RunningProvider;
let rp: oidc.Configuration;

beforeAll(async () => {
  redis = await TestRedisServer.start();
  running = await startProvider(redis, {}, { clock: signInClock() });
  rp = await discoverAsRelyingParty(running.issuer);
});

afterAll(async () => {
  await running?.stop();
  await redis?.destroy();
});

const accountUrl = (path = '/account'): string => `${running.issuer}${path}`;

describe('the overview', () => {
  it('shows the status, the level, the identity data as held and the contacts', async () => {
    const owner = await ownerWithContacts(running);
    const { page } = await signInToAccountPages(running, owner);
    expect(page.url).toBe(accountUrl());
    expect(page.status).toBe(200);
    expect(page.html).toContain(shown('account.overview.status.active'));
    expect(page.html).toContain(shown('account.overview.level.value', { level: 1 }));
    expect(page.html).toContain(owner.account.identity.fullName);
    expect(page.html).toContain(owner.account.identity.idNumber ?? '');
    expect(page.html).toContain('17/05/1990');
    expect(page.html).toContain(owner.phone);
    expect(page.html).toContain(owner.email);
    // A level-1 account is offered the way to level 2.
    expect(page.html).toContain('href="/account/level2"');
  });

  it('signs out through the provider: the confirmation, then the pages ask for a sign-in again', async () => {
    const owner = await ownerWithContacts(running);
    const { agent, page } = await signInToAccountPages(running, owner);
    const signOutUrl = /href="(\/session\/end[^"]*)"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
    expect(signOutUrl).toBeDefined();
    const confirm = await agent.navigate(`${running.issuer}${signOutUrl ?? ''}`);
    expect(confirm.status).toBe(200);
    const form = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]*)"[\s\S]*?name="xsrf" value="([^"]*)"/.exec(confirm.html);
    expect(form).not.toBeNull();
    await agent.navigate(new URL(form?.[1] ?? '', running.issuer).toString(), undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: form?.[2] ?? '', logout: 'yes' }).toString(),
    });
    expect(isSignInPage(await agent.navigate(accountUrl()))).toBe(true);
  });

  it('lists the sign-ins of the audit trail with service, level and coarse location', async () => {
    const owner = await ownerWithContacts(running);
    const { agent } = await signInToAccountPages(running, owner);
    await running.container.audit.record({
      type: 'sign_in.succeeded',
      accountId: owner.account.id,
      actor: { kind: 'owner', id: owner.account.id },
      clientId: TEST_CLIENT.id,
      location: '10.20.30.0/24',
      details: { level: 1 },
    });
    const page = await agent.navigate(accountUrl());
    expect(page.html).toContain('Cổng dịch vụ thử nghiệm');
    expect(page.html).toContain(shown('account.location.private_network'));
  });

  it('lists the people registered through the account', async () => {
    const parent = await ownerWithContacts(running, { level: 2 });
    const now = Date.now();
    const child: Account = {
      id: uuid(),
      identity: { kind: 'citizen', idNumber: '001215900777', fullName: 'Lê Minh Khôi', birthDate: '2015-09-03', gender: 'male' },
      level: 1,
      status: 'active',
      passwordHash: await running.container.hasher.hash('con-mèo-trèo-cây-cau'),
      representativeAccountId: parent.account.id,
      createdAt: now,
      updatedAt: now,
    };
    await running.container.accounts.create(child, loginKeyOf(child.identity));
    const { page } = await signInToAccountPages(running, parent);
    expect(page.html).toContain('Lê Minh Khôi');
    expect(page.html).toContain('03/09/2015');
    expect(page.html).toContain(shown('account.dependants.status.active'));
    expect(page.html).not.toContain(shown('account.overview.dependants.none'));
  });

  it('sends a signed-out visitor through the sign-in and back', async () => {
    const page = await new UserAgent().navigate(`${accountUrl()}?lang=en`);
    expect(isSignInPage(page)).toBe(true);
    expect(page.html).toContain('Tài khoản định danh điện tử');
  });
});

describe('locking and unlocking one own account (Art 10.1, 11.1)', () => {
  it('locks at once, signs the owner out, refuses sign-in, and unlocks with the password and a one-time code', async () => {
    const owner = await ownerWithContacts(running);
    const { agent, page } = await signInToAccountPages(running, owner);
    // A relying party's session of the same person ends too.
    const elsewhere = new UserAgent();
    await logIn(rp, elsewhere, owner, { scope: 'openid profile' });

    const confirm = await agent.navigate(`${running.issuer}${/href="(\/account\/lock)"/.exec(page.html)?.[1] ?? ''}`);
    expect(confirm.html).toContain(shown('account.lockPage.title'));
    const locked = await press(agent, confirm, '/account/lock');
    expect(locked.status).toBe(200);
    expect(locked.html).toContain(shown('account.locked.title'));
    expect(locked.html).toContain(shown('account.lock.reason.owner_request'));
    expect(locked.html).toContain(shown('account.lock.howToLift.owner'));
    expect(locked.html).toContain('Decision 34 Art 10.1');
    expect(await outboxFor(running.issuer, owner.phone, 'account_locked')).not.toHaveLength(0);

    // Signed out: the account pages ask for a sign-in, which the lock refuses.
    const signIn = await agent.navigate(accountUrl());
    expect(isSignInPage(signIn)).toBe(true);
    const refused = await agent.submit(signIn, '/login', owner.loginFields);
    expect(refused.status).toBe(403);
    expect(refused.url).not.toBe(accountUrl());
    // The relying party's browser is signed out too: a new request asks for the password.
    const again = await authorizationRequest(rp, { scope: 'openid profile' });
    const relyingPartyPage = await elsewhere.navigate(again.url.toString(), TEST_CLIENT.redirectUri);
    expect(relyingPartyPage.html).toContain('name="password"');

    // Unlocking: login name and password, then the code sent to the registered phone.
    const unlocker = new UserAgent();
    const form = await unlocker.navigate(`${accountUrl('/account/unlock')}?lang=en`);
    expect(form.html).toContain(shown('account.unlock.title'));
    const wrong = await unlocker.submit(form, '/account/unlock', { kind: 'citizen', idNumber: owner.account.identity.idNumber ?? '', password: 'not my password', channel: 'sms' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain(shown('account.unlock.refusal.invalid_credentials'));
    const codePage = await unlocker.submit(wrong, '/account/unlock', { kind: 'citizen', idNumber: owner.account.identity.idNumber ?? '', password: owner.password, channel: 'sms' });
    expect(codePage.url).toBe(accountUrl('/account/unlock/code'));
    expect(codePage.html).toContain(shown('account.code.title.unlock'));
    const code = await latestCode(running.issuer, owner.phone, 'unlock_code');
    const unlocked = await unlocker.submit(codePage, '/account/unlock/code', { code });
    expect(unlocked.html).toContain(shown('account.unlock.done.title'));
    expect(await outboxFor(running.issuer, owner.phone, 'account_restored')).not.toHaveLength(0);

    // Usable again.
    const { page: overview } = await signInToAccountPages(running, owner);
    expect(overview.url).toBe(accountUrl());
    expect(overview.html).toContain(shown('account.overview.status.active'));
  });

  it('refuses a lock request without the form token', async () => {
    const owner = await ownerWithContacts(running);
    await signInToAccountPages(running, owner);
    const response = await fetch(accountUrl('/account/lock'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(response.status).toBe(403);
    expect((await running.container.locks.statusOf(owner.account.id)).locked).toBe(false);
  });

  it('tells an owner locked by an agency that only the agency lifts it', async () => {
    const owner = await ownerWithContacts(running);
    await running.container.locks.open({ accountId: owner.account.id, reason: 'agency_request', actor: { kind: 'agency', id: 'test-agency' } });
    const agent = new UserAgent();
    const form = await agent.navigate(`${accountUrl('/account/unlock')}?lang=en`);
    const page = await agent.submit(form, '/account/unlock', { kind: 'citizen', idNumber: owner.account.identity.idNumber ?? '', password: owner.password, channel: 'sms' });
    expect(page.html).toContain(shown('account.unlock.othersOnly.title'));
    expect(page.html).toContain(shown('account.lock.reason.agency_request'));
    expect(page.html).toContain(shown('account.lock.howToLift.requesting_party'));
    expect(await outboxFor(running.issuer, owner.phone, 'unlock_code')).toHaveLength(0);
  });
});

describe('changing the password', () => {
  it('needs the current password, then refuses the old one and ends the other sessions', async () => {
    const owner = await ownerWithContacts(running);
    const { agent } = await signInToAccountPages(running, owner);
    const { agent: otherBrowser } = await signInToAccountPages(running, owner);

    const form = await agent.navigate(accountUrl('/account/password'));
    expect(form.status).toBe(200);
    const wrong = await agent.submit(form, '/account/password', { currentPassword: 'not it', newPassword: 'sông Hồng chảy về biển', newPasswordConfirm: 'sông Hồng chảy về biển' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain(shown('account.password.problems.current_password_wrong'));
    const done = await agent.submit(form, '/account/password', { currentPassword: owner.password, newPassword: 'sông Hồng chảy về biển', newPasswordConfirm: 'sông Hồng chảy về biển' });
    expect(done.url).toBe(`${accountUrl()}?notice=password`);
    expect(done.html).toContain(shown('account.notice.passwordChanged'));
    expect(await outboxFor(running.issuer, owner.phone, 'password_changed')).toHaveLength(1);

    // This browser stays signed in; the other one was signed out.
    expect((await agent.navigate(accountUrl())).status).toBe(200);
    const other = await otherBrowser.navigate(accountUrl());
    expect(isSignInPage(other)).toBe(true);
    const oldRefused = await otherBrowser.submit(other, '/login', owner.loginFields);
    expect(oldRefused.status).toBe(401);
    const withNew = await otherBrowser.submit(oldRefused, '/login', { ...owner.loginFields, password: 'sông Hồng chảy về biển' });
    expect(withNew.url).toBe(accountUrl());
  });

  it('asks for the credentials again when the sign-in is older than the configured minutes', async () => {
    const owner = await ownerWithContacts(running);
    const { agent } = await signInToAccountPages(running, owner);
    await ageSignIn(running, owner.account.id, running.config.accountPages.reauthenticateAfterMinutes + 1);
    // The overview needs no fresh sign-in...
    expect((await agent.navigate(accountUrl())).status).toBe(200);
    // ...a password change does.
    const again = await agent.navigate(accountUrl('/account/password'));
    expect(isSignInPage(again)).toBe(true);
    const back = await agent.submit(again, '/login', owner.loginFields);
    expect(back.url).toBe(accountUrl('/account/password'));
    expect(back.html).toContain(shown('account.password.title'));
  });
});

describe('changing the email', () => {
  it('sends a code to the new address, then changes the account and tells the old address', async () => {
    const owner: Owner = await ownerWithContacts(running);
    const { agent } = await signInToAccountPages(running, owner);
    const form = await agent.navigate(accountUrl('/account/contact?kind=email'));
    expect(form.html).toContain(shown('account.contact.title.email'));
    const newAddress = `new.${owner.email}`;
    const codePage = await agent.submit(form, '/account/contact', { value: newAddress });
    expect(codePage.url).toBe(accountUrl('/account/contact/code'));
    const code = await latestCode(running.issuer, newAddress, 'contact_change_code');
    expect(await outboxFor(running.issuer, owner.email, 'contact_change_code')).toHaveLength(0);

    const done = await agent.submit(codePage, '/account/contact/code', { code });
    expect(done.url).toBe(`${accountUrl()}?notice=email`);
    expect(done.html).toContain(shown('account.notice.emailChanged'));
    expect(done.html).toContain(newAddress);
    expect((await outboxFor(running.issuer, owner.email, 'contact_changed'))[0]?.params).toEqual({ contact: 'email', fullName: owner.account.identity.fullName });
    expect((await running.container.accounts.findById(owner.account.id))?.email).toBe(newAddress);
  });
});

describe('services connected', () => {
  it('withdraws a consent: the relying party asks for it again at the next sign-in', async () => {
    const owner = await ownerWithContacts(running);
    const agent = new UserAgent();
    await logIn(rp, agent, owner, { scope: 'openid profile' });
    // Remembered: the same browser signs in again without being asked.
    const remembered = await authorizationRequest(rp, { scope: 'openid profile' });
    expect((await agent.navigate(remembered.url.toString(), TEST_CLIENT.redirectUri)).url.startsWith(TEST_CLIENT.redirectUri)).toBe(true);

    const services = await agent.navigate(`${accountUrl('/account/services')}?lang=en`);
    expect(services.status).toBe(200);
    expect(services.html).toContain('Cổng dịch vụ thử nghiệm');
    const after = await agent.submit(services, '/account/services/revoke', {});
    expect(after.html).toContain(shown('account.services.notice.revoked'));
    expect(after.html).toContain(shown('account.services.none'));

    const next = await authorizationRequest(rp, { scope: 'openid profile' });
    const page = await agent.navigate(next.url.toString(), TEST_CLIENT.redirectUri);
    expect(page.status).toBe(200);
    expect(page.html).toContain('/confirm');
    const callback = await approveConsentIfAsked(agent, page);
    expect(callback.searchParams.get('code')).toBeTruthy();
  });
});
