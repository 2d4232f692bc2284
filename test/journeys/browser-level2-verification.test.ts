import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCitizen, startProvider, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { faceSamples, samplePixels, toJpeg } from '../support/face-samples.js';
import { identityOf, portraitsDirectory } from '../support/level2-steps.js';
import { launchChromium, screenshots } from '../support/browser.js';
import { TestRedisServer } from '../support/redis-server.js';
import { personas } from '../support/registration-steps.js';

/**
 * The level-2 pages in headless Chromium (Debian's, never downloaded): once with JavaScript, where the camera of the
 * page (static/level2-camera.js, getUserMedia) takes the photo, the camera being Chromium's fake device playing a
 * video of the package author's face; once without JavaScript, where the file field is the whole page. Screenshots
 * under test-artifacts/browser-level2-verification/.
 */

jest.setTimeout(120_000);

/** An MJPEG "camera": the same frame, the author's face on a grey 640 x 480 background, repeated. */
function fakeCameraFile(): string {
  const face = samplePixels.authorCasual();
  const width = 640;
  const height = 480;
  const data = new Uint8Array(width * height * 4).fill(170);
  const left = Math.floor((width - face.width * 2) / 2);
  const top = Math.floor((height - face.height * 2) / 2);
  // Doubled, so the face is as large in the frame as in a real selfie.
  for (let y = 0; y < face.height * 2; y += 1) {
    for (let x = 0; x < face.width * 2; x += 1) {
      const from = (Math.floor(y / 2) * face.width + Math.floor(x / 2)) * 4;
      data.set(face.data.subarray(from, from + 4), ((top + y) * width + left + x) * 4);
    }
  }
  const frame = toJpeg({ width, height, data });
  const path = join(mkdtempSync(join(tmpdir(), 'vneid-camera-')), 'camera.mjpeg');
  writeFileSync(path, Buffer.concat(Array.from({ length: 30 }, () => Buffer.from(frame))));
  return path;
}

describe('level-2 verification in a browser', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let withCamera: Browser;
  let plain: Browser;
  const people = { camera: personas.citizens.adult, file: personas.citizens.teenager };
  const fixtures = {} as Record<'camera' | 'file', AccountFixture>;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    const portrait = faceSamples.authorOffice();
    running = await startProvider(redis, {
      BIOMETRICS_PORTRAITS_DIR: portraitsDirectory({
        [people.camera.biometrics.portraitRef ?? '']: portrait,
        [people.file.biometrics.portraitRef ?? '']: portrait,
      }),
    });
    fixtures.camera = await createCitizen(running.container, { identity: identityOf(people.camera), password: 'camera-password-1' });
    fixtures.file = await createCitizen(running.container, { identity: identityOf(people.file), password: 'file-password-1' });
    withCamera = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${fakeCameraFile()}`]);
    plain = await launchChromium();
  });

  afterAll(async () => {
    await withCamera?.close();
    await plain?.close();
    await running?.stop();
    await redis?.destroy();
  });

  const shot = screenshots('browser-level2-verification');

  /** Signs in through the provider from /account/level2 and agrees to the comparison: the photo page. */
  async function photoPage(context: BrowserContext, fixture: AccountFixture, prefix: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${running.issuer}/account/level2?lang=en`);
    await page.getByLabel('Personal identification number').fill(fixture.loginFields.idNumber ?? '');
    await page.getByLabel('Password', { exact: true }).fill(fixture.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Verify your identity at level 2');
    await shot(page, `${prefix}-01-consent`);
    await page.getByLabel(/I agree that a photo of my face/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Take a photo of your face');
    return page;
  }

  it('takes the photo with the camera of the page and raises the account to level 2', async () => {
    const context = await withCamera.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
    const consoleErrors: string[] = [];
    const page = await photoPage(context, fixtures.camera, 'camera');
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.getByRole('button', { name: 'Use the camera' }).click();
    await page.getByRole('button', { name: 'Take the photo' }).click();
    await page.getByText('Photo taken. Send it, or take another.').waitFor();
    // The frame is in the file field now, as a JPEG no larger than 1280 px.
    const file = await page.locator('#photo').evaluate((input: HTMLInputElement) => ({
      count: input.files?.length ?? 0,
      type: input.files?.[0]?.type,
    }));
    expect(file).toEqual({ count: 1, type: 'image/jpeg' });
    await shot(page, 'camera-02-taken');
    await page.getByRole('button', { name: 'Send the photo' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account is now level 2');
    await shot(page, 'camera-03-level2');
    expect(consoleErrors).toEqual([]);
    expect((await running.container.accounts.findById(fixtures.camera.account.id))?.level).toBe(2);
    await context.close();
  });

  it('works without JavaScript: the file field alone', async () => {
    const context = await plain.newContext({ locale: 'en-GB', javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await photoPage(context, fixtures.file, 'file');
    expect(await page.locator('[data-camera]').isHidden()).toBe(true);
    await shot(page, 'file-02-photo');
    const [stranger] = faceSamples.others();
    await page.locator('#photo').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(stranger ?? new Uint8Array()) });
    await page.getByRole('button', { name: 'Send the photo' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('The photo did not match');
    await shot(page, 'file-03-not-matched');
    await page.getByRole('link', { name: 'Take another photo' }).click();
    await page.locator('#photo').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(faceSamples.authorCasual()) });
    await page.getByRole('button', { name: 'Send the photo' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account is now level 2');
    await shot(page, 'file-04-level2');
    await context.close();
  });
});
