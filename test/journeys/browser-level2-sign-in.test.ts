import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as oidc from 'openid-client';
import { type Browser, type Page } from 'playwright-core';
import { startProvider, TEST_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { launchChromium, screenshots } from '../support/browser.js';
import { TestRedisServer } from '../support/redis-server.js';
import { authorizationRequest, discoverAsRelyingParty } from '../support/relying-party.js';
import { citizenAt, LEVEL_2, readSignInCode, signInClock, wrongCode } from '../support/sign-in-steps.js';

/**
 * A level-2 sign-in in a real browser: headless Chromium from Debian (never downloaded), JavaScript off, a phone-sized
 * screen, Vietnamese. The password, then the code sent by SMS (read from the development outbox), then consent; the
 * relying party receives `acr` level 2. Screenshots of each page are saved under test-artifacts/ (git-ignored).
 */

jest.setTimeout(90_000);

describe('a level-2 sign-in in a browser, with JavaScript off', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let rp: oidc.Configuration;
  let browser: Browser;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    running = await startProvider(redis, {}, { clock: signInClock() });
    rp = await discoverAsRelyingParty(running.issuer);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await redis?.destroy();
  });

  const shot = screenshots('browser-level2-sign-in');
  const heading = async (page: Page): Promise<string | null> => page.getByRole('heading', { level: 1 }).textContent();

  it('signs in with the password and the code sent by SMS, and the relying party receives level 2', async () => {
    const fixture = await citizenAt(running.container, 2);
    const phone = fixture.account.phone ?? '';
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const foreignRequests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(running.issuer) && !url.startsWith(TEST_CLIENT.redirectUri)) foreignRequests.push(url);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    let callback: URL | undefined;
    await page.route(`${TEST_CLIENT.redirectUri}**`, async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><title>RP</title><p>relying party</p>' });
    });

    const request = await authorizationRequest(rp, { scope: 'openid profile identity', acr_values: LEVEL_2 });
    await page.goto(request.url.toString());
    expect(await heading(page)).toBe('Đăng nhập');
    expect(await page.getByText('Dịch vụ này yêu cầu tài khoản định danh điện tử mức độ 2').isVisible()).toBe(true);
    await shot(page, '01-login');

    await page.getByLabel('Số định danh cá nhân').fill(fixture.account.identity.idNumber ?? '');
    await page.getByLabel('Mật khẩu').fill(fixture.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    expect(await heading(page)).toBe('Xác nhận đó là bạn');
    await shot(page, '02-code-sent');

    // A mistyped code is explained next to the field and in the summary; the same code page stays.
    const code = await readSignInCode(running.issuer, phone);
    await page.getByLabel('Mã trong tin nhắn SMS').fill(wrongCode(code));
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await page.getByRole('alert').isVisible()).toBe(true);
    expect(await page.locator('#code[aria-invalid="true"]').count()).toBe(1);
    await shot(page, '03-code-wrong');

    await page.getByLabel('Mã trong tin nhắn SMS').fill(code);
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    expect(await heading(page)).toBe('Cho phép chia sẻ thông tin');
    await shot(page, '04-consent');
    await page.getByRole('button', { name: 'Cho phép' }).click();
    await page.waitForURL(`${TEST_CLIENT.redirectUri}**`);

    if (!callback) throw new Error('the browser never reached the relying party');
    const tokens = await oidc.authorizationCodeGrant(rp, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    expect(tokens.claims()).toMatchObject({ sub: fixture.account.id, acr: LEVEL_2, amr: ['pwd', 'sms', 'mfa'] });
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
