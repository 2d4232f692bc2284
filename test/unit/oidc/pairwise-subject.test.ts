import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';
import { loadClients } from '../../../src/config/clients.js';
import { ConfigError } from '../../../src/config/validation.js';
import { createPairwiseIdentifier, pairwiseSaltFor } from '../../../src/oidc/pairwise-subject.js';

/** Pairwise subjects (OpenID Connect Core 8.1): one `sub` per client and account, stable, unlinkable without the salt. */

const SALT = 'a-pairwise-salt-of-at-least-32-characters!';
const client = (clientId: string): Client => ({ clientId }) as unknown as Client;
const ctx = {} as KoaContextWithOIDC;

describe('pairwiseIdentifier', () => {
  const identifier = createPairwiseIdentifier(SALT);

  it('gives each client its own sub for one account, the same every time', async () => {
    const account = '2f7d2c3e-9a51-4a43-b1f0-6c4d0b4f2a10';
    const portal = await identifier(ctx, account, client('rp-portal'));
    const bank = await identifier(ctx, account, client('rp-bank'));
    expect(portal).not.toBe(bank);
    expect(await identifier(ctx, account, client('rp-portal'))).toBe(portal);
    expect(portal).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(portal).not.toContain(account);
  });

  it('gives different accounts different subs, and depends on the salt', async () => {
    const a = await identifier(ctx, 'account-a', client('rp-portal'));
    const b = await identifier(ctx, 'account-b', client('rp-portal'));
    expect(a).not.toBe(b);
    expect(await createPairwiseIdentifier(`${SALT}x`)(ctx, 'account-a', client('rp-portal'))).not.toBe(a);
  });
});

describe('pairwiseSaltFor', () => {
  const pairwise = [{ client_id: 'rp-bank', subject_type: 'pairwise' as const }];
  const publicOnly = [{ client_id: 'rp-portal' }];

  it('uses the configured salt', () => {
    expect(pairwiseSaltFor({ env: 'production', pairwiseSalt: SALT }, pairwise, [])).toBe(SALT);
  });

  it('refuses to start in production when a client is pairwise and no salt is set', () => {
    expect(() => pairwiseSaltFor({ env: 'production' }, pairwise, ['cookie-key-0123456789-0123456789-01'])).toThrow(ConfigError);
    expect(() => pairwiseSaltFor({ env: 'production' }, pairwise, [])).toThrow(/pairwiseSalt: required in production .*rp-bank/);
  });

  it('offers public subjects only in production without a salt and without pairwise clients', () => {
    expect(pairwiseSaltFor({ env: 'production' }, publicOnly, ['cookie-key-0123456789-0123456789-01'])).toBeUndefined();
  });

  it('derives a stable salt from the cookie key in development, distinct from the key itself', () => {
    const key = 'dev-cookie-key-0123456789-0123456789';
    const derived = pairwiseSaltFor({ env: 'development' }, publicOnly, [key]);
    expect(derived).toBeDefined();
    expect(derived).not.toContain(key);
    expect(pairwiseSaltFor({ env: 'test' }, pairwise, [key])).toBe(derived);
  });
});

describe('subject_type in the clients file', () => {
  const file = (clients: object[]): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'vneid-clients-')), 'clients.json');
    writeFileSync(path, JSON.stringify({ clients }));
    return path;
  };
  const base = {
    client_id: 'rp-bank',
    client_name: 'Bank',
    client_secret: 'a-client-secret-of-at-least-32-characters-long',
    redirect_uris: ['https://bank.example.vn/callback'],
    scope: 'openid profile',
  };

  it('accepts pairwise and public, and refuses anything else', () => {
    expect(loadClients(file([{ ...base, subject_type: 'pairwise' }]), 'test', ['a', 'b'])[0]?.subject_type).toBe('pairwise');
    expect(loadClients(file([{ ...base, subject_type: 'public' }]), 'test', ['a', 'b'])[0]?.subject_type).toBe('public');
    expect(() => loadClients(file([{ ...base, subject_type: 'per-host' }]), 'test', ['a', 'b'])).toThrow(/subject_type/);
  });

  it('refuses pairwise for a client without the authorization code flow (it never signs anyone in)', () => {
    const service = { ...base, redirect_uris: [], grant_types: ['client_credentials'], subject_type: 'pairwise' };
    expect(() => loadClients(file([service]), 'test', ['a', 'b'])).toThrow(/subject_type: pairwise needs the authorization code flow/);
  });
});
