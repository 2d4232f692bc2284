import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/config/validation.js';

/** notifications.*: the outbox in development, real senders in production, secrets never shown. */

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'vneid-notifications-config-'));

function problemsOf(env: Record<string, string>, dir = emptyDir()): string[] {
  try {
    loadConfig(env, dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const deliver = {
  NOTIFICATIONS_MODE: 'deliver',
  SMTP_HOST: 'smtp.example.vn',
  SMTP_FROM: 'no-reply@id.example.vn',
  SMS_URL: 'https://sms.example.vn/send',
};

describe('notifications configuration', () => {
  it('uses the development outbox when nothing is configured', () => {
    const config = loadConfig({}, emptyDir());
    expect(config.notifications.mode).toBe('outbox');
    expect(config.notifications.smtp.requireTls).toBe(true);
    expect(config.notifications.sms.timeoutMs).toBe(5000);
  });

  it('refuses the outbox in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', NOTIFICATIONS_MODE: 'outbox' })).toEqual(
      expect.arrayContaining([expect.stringContaining('notifications.mode: the development outbox is refused in production')]),
    );
  });

  it('needs a relay, a sender address and a gateway to deliver', () => {
    expect(problemsOf({ NOTIFICATIONS_MODE: 'deliver' })).toEqual([
      expect.stringContaining('notifications.smtp.host'),
      expect.stringContaining('notifications.smtp.from'),
      expect.stringContaining('notifications.sms.url'),
    ]);
    expect(problemsOf(deliver)).toEqual([]);
  });

  it('refuses, in production, a gateway over plain http and email that may travel in clear text', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'default.json'), JSON.stringify({ notifications: { smtp: { requireTls: false } } }));
    const problems = problemsOf({ ...deliver, NODE_ENV: 'production', SMS_URL: 'http://sms.example.vn/send' }, dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        'notifications.sms.url: must be https in production',
        expect.stringContaining('notifications.smtp.requireTls: must be true in production'),
      ]),
    );
  });

  it('reads the environment, secrets from NAME_FILE, and a gateway body from the files', () => {
    const dir = emptyDir();
    const passwordFile = join(dir, 'smtp-password');
    writeFileSync(passwordFile, 'relay-password-from-file\n');
    writeFileSync(
      join(dir, 'default.json'),
      JSON.stringify({
        notifications: {
          sms: { bodyTemplate: { Phone: '{{to_digits}}', Content: '{{text}}', SmsType: 2 }, acceptedField: 'CodeResult', acceptedValues: ['100'] },
        },
      }),
    );
    const config = loadConfig(
      { ...deliver, SMTP_PORT: '465', SMTP_SECURE: 'true', SMTP_USER: 'vneid', SMTP_PASSWORD_FILE: passwordFile, SMS_API_KEY: 'sms-key-0123456', SMS_SENDER_ID: 'VNEID' },
      dir,
    );
    expect(config.notifications.smtp).toEqual(
      expect.objectContaining({ host: 'smtp.example.vn', port: 465, secure: true, user: 'vneid', password: 'relay-password-from-file' }),
    );
    expect(config.notifications.sms).toEqual(
      expect.objectContaining({
        apiKey: 'sms-key-0123456',
        senderId: 'VNEID',
        bodyTemplate: { Phone: '{{to_digits}}', Content: '{{text}}', SmsType: 2 },
        acceptedValues: ['100'],
      }),
    );
  });

  it('never echoes a secret, names unknown keys, and wants user and password together', () => {
    const short = problemsOf({ ...deliver, SMS_API_KEY: 'short' });
    expect(short.join('\n')).toContain('notifications.sms.apiKey');
    expect(short.join('\n')).toContain('[redacted]');
    expect(short.join('\n')).not.toContain('"short"');
    const dir = emptyDir();
    writeFileSync(join(dir, 'default.json'), JSON.stringify({ notifications: { smtp: { hostname: 'typo.example.vn' } } }));
    expect(problemsOf({}, dir).join('\n')).toContain('hostname');
    expect(problemsOf({ ...deliver, SMTP_USER: 'vneid' })).toEqual([
      'notifications.smtp.user, notifications.smtp.password: give both or neither',
    ]);
  });
});
