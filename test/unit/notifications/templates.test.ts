import { describe, expect, it } from '@jest/globals';
import type { Notification, NotificationChannel } from '../../../src/domain/ports.js';
import { renderNotification } from '../../../src/notifications/render-notification.js';
import { NOTIFICATION_TEMPLATES } from '../../../src/notifications/templates/catalogue.js';
import { smsSize } from '../../../src/notifications/templates/sms-encoding.js';
import { NotificationTemplateError, type MessageLocale } from '../../../src/notifications/templates/template-definition.js';

/** The message catalogue: every template, in both languages, on every channel it allows. */

const LOCALES: readonly MessageLocale[] = ['vi', 'en'];
const PHONE = '+84912345678';
const EMAIL = 'an@example.vn';
const HOSTILE = '<script>alert("x")</script> & <b>\'An\'</b>';

/** Every parameter at the longest value its pattern allows (the worst case for SMS length). */
const longestParams = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(NOTIFICATION_TEMPLATES[name as keyof typeof NOTIFICATION_TEMPLATES].params).map(([key, spec]) => [key, spec.longestExample]));

const variants = Object.entries(NOTIFICATION_TEMPLATES).flatMap(([name, template]) =>
  template.channels.flatMap((channel) => LOCALES.map((locale) => ({ name, channel, locale }))),
);

const notification = (name: string, channel: NotificationChannel, locale: MessageLocale, params: Record<string, string>): Notification => ({
  channel,
  to: channel === 'sms' ? PHONE : EMAIL,
  template: name,
  locale,
  params,
});

describe('the notification catalogue', () => {
  it('covers activation, and every template names its purpose and sends by at least one channel', () => {
    expect(Object.keys(NOTIFICATION_TEMPLATES)).toEqual(expect.arrayContaining(['activation_code', 'account_activated']));
    for (const template of Object.values(NOTIFICATION_TEMPLATES)) {
      expect(template.purpose).toMatch(/Decision 34 Art \d+/);
      expect(template.channels.length).toBeGreaterThan(0);
      for (const spec of Object.values(template.params)) expect(spec.pattern.test(spec.longestExample)).toBe(true);
    }
  });

  it.each(variants)('$name renders by $channel in $locale with every parameter at its longest', ({ name, channel, locale }) => {
    const params = longestParams(name);
    const message = renderNotification(notification(name, channel, locale, params));
    expect(message.text.length).toBeGreaterThan(20);
    if (channel === 'sms') {
      // Short: two segments at most even with the longest values (each segment is paid for).
      expect(smsSize(message.text).segments).toBeLessThanOrEqual(2);
      expect(message.subject).toBeUndefined();
      expect(message.html).toBeUndefined();
      // The person's name never goes into an SMS (lock screens).
      if (params.fullName) expect(message.text).not.toContain(params.fullName);
    } else {
      expect(message.subject).toMatch(/\S/);
      expect(message.subject).not.toMatch(/[\r\n]/);
      expect(message.html).toMatch(/^<!DOCTYPE html>/);
      expect(message.html).toContain(`<html lang="${locale}">`);
    }
    if (params.code) expect(message.text).toContain(params.code);
  });

  it('sends a usual activation code in one SMS segment, in Vietnamese with its diacritics and in English', () => {
    const params = { code: '123456', expiresInMinutes: '10' };
    const vi = renderNotification(notification('activation_code', 'sms', 'vi', params));
    const en = renderNotification(notification('activation_code', 'sms', 'en', params));
    expect(vi.text).toBe('Mã kích hoạt tài khoản: 123456, hiệu lực 10 phút. Không đưa mã cho ai.');
    expect(smsSize(vi.text)).toEqual(expect.objectContaining({ encoding: 'ucs2', segments: 1 }));
    expect(en.text).toBe('Your e-ID activation code: 123456, valid 10 minutes. Never share it.');
    expect(smsSize(en.text)).toEqual(expect.objectContaining({ encoding: 'gsm7', segments: 1 }));
    for (const locale of LOCALES) {
      const longest = renderNotification(notification('activation_code', 'sms', locale, { code: '123456', expiresInMinutes: '99' }));
      expect(smsSize(longest.text).segments).toBe(1);
    }
    const email = renderNotification(notification('activation_code', 'email', 'vi', params));
    expect(email.subject).toBe('Mã kích hoạt tài khoản định danh điện tử');
    expect(email.text).toContain('Xin chào,');
    expect(email.text).toContain('10 phút');
  });

  it.each(LOCALES)('escapes hostile parameters in the HTML email (%s) and keeps them as plain text in the text part', (locale) => {
    for (const name of Object.keys(NOTIFICATION_TEMPLATES)) {
      const params = { ...longestParams(name), fullName: HOSTILE };
      const message = renderNotification(notification(name, 'email', locale, params));
      expect(message.html).not.toContain('<script>');
      expect(message.html).not.toContain('<b>');
      expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;&#39;An&#39;&lt;/b&gt;');
      expect(message.text).toContain(HOSTILE);
    }
  });

  it.each([
    ['an unknown template', { template: 'password_reset_link' }, /unknown notification template/],
    ['a missing parameter', { params: { expiresInMinutes: '10' } }, /"code" is required/],
    ['an unknown parameter', { params: { code: '123456', expiresInMinutes: '10', link: 'https://evil.example' } }, /unknown parameter "link"/],
    ['a code that is not digits', { params: { code: '12ab56', expiresInMinutes: '10' } }, /"code" has the wrong form/],
    ['a line break in a name (header injection)', { params: { code: '123456', expiresInMinutes: '10', fullName: 'An\r\nBcc: x@evil.example' } }, /"fullName" is not acceptable/],
    ['a phone number not in E.164', { to: '0912345678' }, /recipient/],
    ['an email address for an SMS', { to: EMAIL }, /recipient/],
    ['an email address with a header in it', { channel: 'email' as const, to: 'an@example.vn\r\nBcc: x@evil.example' }, /recipient/],
  ])('refuses %s before anything is rendered', (_case, overrides, message) => {
    const base = notification('activation_code', 'sms', 'vi', { code: '123456', expiresInMinutes: '10' });
    expect(() => renderNotification({ ...base, ...overrides })).toThrow(NotificationTemplateError);
    expect(() => renderNotification({ ...base, ...overrides })).toThrow(message);
  });
});

describe('SMS size', () => {
  it.each([
    ['160 GSM characters', 'a'.repeat(160), 'gsm7', 1],
    ['161 GSM characters', 'a'.repeat(161), 'gsm7', 2],
    ['80 GSM extension characters (two septets each)', '{'.repeat(80), 'gsm7', 1],
    ['81 GSM extension characters', '{'.repeat(81), 'gsm7', 2],
    ['70 Vietnamese letters', 'ă'.repeat(70), 'ucs2', 1],
    ['71 Vietnamese letters', 'ă'.repeat(71), 'ucs2', 2],
    ['134 Vietnamese letters', 'ă'.repeat(134), 'ucs2', 2],
    ['135 Vietnamese letters', 'ă'.repeat(135), 'ucs2', 3],
  ])('%s', (_case, text, encoding, segments) => {
    expect(smsSize(text)).toEqual(expect.objectContaining({ encoding, segments }));
  });
});
