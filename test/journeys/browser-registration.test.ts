import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as oidc from 'openid-client';
import { type Browser, type BrowserContext } from 'playwright-core';
import { createCitizen, startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { launchChromium, screenshots } from '../support/browser.js';
import { TestRedisServer } from '../support/redis-server.js';
import { authorizationRequest, discoverAsRelyingParty } from '../support/relying-party.js';
import { freshContact, personas, readCodeFromOutbox, recipientOf, registrationClock } from '../support/registration-steps.js';

/**
 * The registration pages in a real browser: headless Chromium from Debian (never downloaded), JavaScript switched off
 * (the pages must work without it), a phone-sized screen (mobile first), Vietnamese. Screenshots of each step are
 * saved under test-artifacts/ (git-ignored) for people to look at.
 */

jest.setTimeout(90_000);

describe('a person registers in a browser from a relying party sign-in, with JavaScript off', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let browser: Browser;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    running = await startProvider(redis, {}, { clock: registrationClock() });
    rp = await discoverAsRelyingParty(running.issuer);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await redis?.destroy();
  });

  const shot = screenshots('browser-registration');

  /** A fresh browser profile (no cookies) on a phone-sized screen. */
  const phone = (): Promise<BrowserContext> =>
    browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });

  it('goes from the login page through the registration pages and back to the relying party at level 1', async () => {
    const context = await phone();
    const page = await context.newPage();
    const foreignRequests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(running.issuer) && !url.startsWith(TEST_CLIENT.redirectUri)) foreignRequests.push(url);
    });
    page.on('console', (message) => {
      // A refused form answers 400, which Chromium reports too; what matters here is anything the CSP blocked.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    // The relying party's redirect URI does not exist on this machine: answer it here and keep the URL.
    let callback: URL | undefined;
    await page.route(`${TEST_CLIENT.redirectUri}**`, async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><title>RP</title><p>relying party</p>' });
    });

    const request = await authorizationRequest(rp, { scope: 'openid profile identity', acr_values: 'urn:vn:eid:loa:1' });
    await page.goto(request.url.toString());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Đăng nhập');
    await shot(page, '01-login');

    await page.getByRole('link', { name: 'Đăng ký tài khoản' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Đăng ký tài khoản định danh điện tử');
    await shot(page, '02-choose');

    await page.getByRole('link', { name: 'Tôi là công dân Việt Nam' }).click();
    await shot(page, '03-form');

    // Submitted empty: one summary lists every problem, each field says its own.
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.isVisible()).toBe(true);
    expect(await page.locator('[aria-invalid="true"]').count()).toBeGreaterThanOrEqual(3);
    await shot(page, '04-form-problems');

    const adult = personas.citizens.toneStyleName;
    const contact = freshContact();
    const [year = '', month = '', day = ''] = adult.birthDate.split('-');
    await page.getByLabel('Số định danh cá nhân').fill(adult.idNumber);
    // The registry spells the name "Hòa"; typed in the other tone style it still matches.
    await page.getByLabel('Họ, chữ đệm và tên').fill(adult.fullName.replace('Hòa', 'Hoà'));
    await page.getByLabel('Ngày', { exact: true }).fill(String(Number(day)));
    await page.getByLabel('Tháng', { exact: true }).fill(String(Number(month)));
    await page.getByLabel('Năm', { exact: true }).fill(year);
    await page.getByLabel('Nữ', { exact: true }).check();
    await page.getByLabel('Số điện thoại di động').fill(contact.phone);
    await page.getByLabel('Thư điện tử', { exact: true }).fill(contact.email);
    await page.getByLabel('Qua tin nhắn (SMS) đến số điện thoại').check();
    await page.getByLabel('Tôi đồng ý với điều khoản sử dụng tài khoản định danh điện tử.').check();
    await page.getByLabel('Tôi đồng ý cho xử lý các dữ liệu cá nhân nêu trên để định danh điện tử.').check();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Nhập mã kích hoạt');
    await shot(page, '05-code');

    await page.getByLabel('Mã kích hoạt').fill(await readCodeFromOutbox(running.issuer, recipientOf(contact, 'sms')));
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Đặt mật khẩu');
    await shot(page, '06-password');

    await page.getByLabel('Mật khẩu', { exact: true }).fill('sông hồng chảy qua hà nội');
    await page.getByLabel('Nhập lại mật khẩu').fill('sông hồng chảy qua hà nội');
    await page.getByRole('button', { name: 'Kích hoạt tài khoản' }).click();
    // The sign-in is completed with the new account; the relying party asks to share the person's data.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Cho phép chia sẻ thông tin');
    await shot(page, '07-consent');
    await page.getByRole('button', { name: 'Cho phép' }).click();
    await page.waitForURL(`${TEST_CLIENT.redirectUri}**`);

    if (!callback) throw new Error('the browser never reached the relying party');
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    expect(tokens.claims()?.acr).toBe('urn:vn:eid:loa:1');
    expect(tokens.claims()?.amr).toEqual(['pwd', 'otp']);
    // No CDN, no third party: every request went to the provider or the relying party; no CSP violation was logged.
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("shows a parent's dependant form with only the chosen kind's identity fields (CSS, no script)", async () => {
    const father = personas.citizens.father;
    await createCitizen(running.container, {
      level: 2,
      password: 'father-password-1',
      identity: { kind: 'citizen', idNumber: father.idNumber, fullName: father.fullName, birthDate: father.birthDate, gender: father.gender },
    });
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${running.issuer}/register?lang=en`);
    await shot(page, '08-choose-en');
    await page.getByRole('link', { name: 'Register a dependant from your account' }).click();
    // Signed out: the provider's own sign-in page, then back to the account page.
    await page.getByLabel('Personal identification number').fill(father.idNumber);
    await page.getByLabel('Password').fill('father-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/account/dependants');
    expect(await page.getByLabel('Personal identification number').isVisible()).toBe(true);
    expect(await page.getByLabel('Passport or international travel document number').isVisible()).toBe(false);
    await page.getByLabel('A foreign national').check();
    expect(await page.getByLabel('Personal identification number').isVisible()).toBe(false);
    expect(await page.getByLabel('Passport or international travel document number').isVisible()).toBe(true);
    await shot(page, '09-dependant-form-en');
    await context.close();
  });
});
