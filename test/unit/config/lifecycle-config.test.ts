import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/loader.js';
import { ConfigError } from '../../../src/config/validation.js';

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'vneid-lifecycle-config-'));

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('lifecycle configuration (locks, registry sync, audit)', () => {
  it('keeps the usage history 5 years and reconciles hourly by default', () => {
    const { lifecycle } = loadConfig({ NODE_ENV: 'development' }, emptyDir());
    expect(lifecycle.audit.retentionDays).toBe(1826);
    expect(lifecycle.reconciliation).toEqual({ enabled: true, intervalMinutes: 60, accountsPerPass: 500 });
    expect(lifecycle.registryEvents.hmacKeys).toEqual([]);
  });

  it('reads the registry event keys and the reconciliation switch from the environment', () => {
    const keys = `${'a'.repeat(40)}, ${'b'.repeat(40)}`;
    const { lifecycle } = loadConfig({ NODE_ENV: 'development', REGISTRY_EVENT_HMAC_KEYS: keys, RECONCILIATION_ENABLED: 'false' }, emptyDir());
    expect(lifecycle.registryEvents.hmacKeys).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
    expect(lifecycle.reconciliation.enabled).toBe(false);
  });

  it('refuses short keys without echoing them, and production without any key', () => {
    const short = errorOf(() => loadConfig({ NODE_ENV: 'development', REGISTRY_EVENT_HMAC_KEYS: 'too-short-key' }, emptyDir()));
    expect(short.message).toContain('lifecycle.registryEvents.hmacKeys');
    expect(short.message).not.toContain('too-short-key');
    const production = errorOf(() => loadConfig({ NODE_ENV: 'production', ISSUER: 'https://id.example.vn' }, emptyDir()));
    expect(production.problems).toEqual(expect.arrayContaining([expect.stringContaining('REGISTRY_EVENT_HMAC_KEYS')]));
  });
});
