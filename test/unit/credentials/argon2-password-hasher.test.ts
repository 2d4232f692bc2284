import { describe, expect, it } from '@jest/globals';
import { PasswordHashConfig } from '../../../src/config/schema.js';
import { Argon2PasswordHasher } from '../../../src/credentials/argon2-password-hasher.js';

const configWith = (overrides: Partial<PasswordHashConfig> = {}): PasswordHashConfig =>
  Object.assign(new PasswordHashConfig(), overrides);

const hasher = new Argon2PasswordHasher(configWith());

describe('Argon2PasswordHasher', () => {
  it('hashes with argon2id at the OWASP minimum cost by default', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('uses the configured cost', async () => {
    const stronger = new Argon2PasswordHasher(configWith({ memoryCostKiB: 32_768, timeCost: 3 }));
    expect(await stronger.hash('x')).toMatch(/^\$argon2id\$v=19\$m=32768,t=3,p=1\$/);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('Mật khẩu 2026!');
    await expect(hasher.verify(stored, 'Mật khẩu 2026!')).resolves.toBe(true);
    await expect(hasher.verify(stored, 'Mat khau 2026!')).resolves.toBe(false);
    await expect(hasher.verify(stored, '')).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('accepts a Vietnamese password typed with combining marks as well as precomposed', async () => {
    const precomposed = 'Hà Nội mùa thu'.normalize('NFC');
    const combining = precomposed.normalize('NFD');
    expect(combining).not.toBe(precomposed);
    const stored = await hasher.hash(precomposed);
    await expect(hasher.verify(stored, combining)).resolves.toBe(true);
  });

  it('does a dummy verification that never matches, whatever the password', async () => {
    for (const password of ['', 'password', 'correct horse battery staple']) {
      await expect(hasher.verifyDummy(password)).resolves.toBe(false);
    }
  });

  it('tells when a stored hash was made with other parameters than configured now', async () => {
    const stored = await hasher.hash('x');
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(new Argon2PasswordHasher(configWith({ timeCost: 3 })).needsRehash(stored)).toBe(true);
  });
});
