import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/config/validation.js';

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'vneid-config-'));

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration loader', () => {
  it('runs with no configuration at all in development, on port 3000', () => {
    const config = loadConfig({}, emptyDir());
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.issuer).toBe('http://localhost:3000');
    expect(config.acr.values).toEqual(['urn:vn:eid:loa:1', 'urn:vn:eid:loa:2']);
  });

  it('lets the environment override files', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'default.json'), JSON.stringify({ port: 4000, logLevel: 'warn' }));
    const config = loadConfig({ PORT: '5000', ISSUER: 'https://id.example.vn' }, dir);
    expect(config.port).toBe(5000);
    expect(config.logLevel).toBe('warn');
    expect(config.issuer).toBe('https://id.example.vn');
  });

  it.each([
    [{ PORT: 'eighty' }, 'port'],
    [{ ISSUER: 'not a url' }, 'issuer'],
    [{ LOG_LEVEL: 'loud' }, 'logLevel'],
    [{ NODE_ENV: 'staging' }, 'env'],
  ])('names the bad key %j', (env, key) => {
    const error = errorOf(() => loadConfig(env, emptyDir()));
    expect(error.message).toContain(`${key}:`);
  });

  it('names nested keys by their dotted path and refuses unknown keys', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'default.json'), JSON.stringify({ redis: { commandTimeoutMs: 5 }, colour: 'red' }));
    const error = errorOf(() => loadConfig({}, dir));
    expect(error.message).toContain('redis.commandTimeoutMs:');
    expect(error.message).toContain('colour');
  });

  it('never echoes a secret in the error', () => {
    const error = errorOf(() => loadConfig({ COOKIE_KEYS: 'short-secret-value' }, emptyDir()));
    expect(error.message).toContain('keys.cookieKeys');
    expect(error.message).not.toContain('short-secret-value');
  });

  it('refuses development conveniences and missing secrets in production', () => {
    const error = errorOf(() => loadConfig({ NODE_ENV: 'production', ISSUER: 'http://id.example.vn' }, emptyDir()));
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('redis.url'),
        expect.stringContaining('keys.cookieKeys'),
        expect.stringContaining('demoEnabled'),
        expect.stringContaining('issuer'),
      ]),
    );
  });

  it('reads secrets from the file named by NAME_FILE', () => {
    const dir = emptyDir();
    const secretFile = join(dir, 'cookie-keys');
    writeFileSync(secretFile, 'a'.repeat(40) + ',' + 'b'.repeat(40) + '\n');
    const config = loadConfig({ COOKIE_KEYS_FILE: secretFile }, dir);
    expect(config.keys.cookieKeys).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
  });
});
