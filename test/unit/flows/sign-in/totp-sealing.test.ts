import { describe, expect, it } from '@jest/globals';
import { TotpSecretSealer } from '../../../../src/flows/sign-in/totp-sealing.js';

const OLD = 'old-server-secret-0123456789abcdef0123456789';
const NEW = 'new-server-secret-0123456789abcdef0123456789';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('sealing TOTP secrets before they reach Redis', () => {
  it('opens what it sealed, and the sealed form does not contain the secret', async () => {
    const sealer = new TotpSecretSealer(async () => [NEW]);
    const sealed = await sealer.seal('account-1', SECRET);
    expect(sealed).not.toContain(SECRET);
    expect(sealed.startsWith('v1.')).toBe(true);
    await expect(sealer.open('account-1', sealed)).resolves.toBe(SECRET);
    // Every seal uses a fresh IV: two seals of the same secret differ.
    expect(await sealer.seal('account-1', SECRET)).not.toBe(sealed);
  });

  it("does not open another account's secret, a tampered one, or garbage", async () => {
    const sealer = new TotpSecretSealer(async () => [NEW]);
    const sealed = await sealer.seal('account-1', SECRET);
    await expect(sealer.open('account-2', sealed)).resolves.toBeUndefined();
    const tampered = `${sealed.slice(0, -3)}${sealed.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;
    await expect(sealer.open('account-1', tampered)).resolves.toBeUndefined();
    await expect(sealer.open('account-1', 'v1.short')).resolves.toBeUndefined();
    await expect(sealer.open('account-1', 'v9.abc')).resolves.toBeUndefined();
  });

  it('keeps opening secrets sealed before a rotation while the old server secret is still configured', async () => {
    const sealed = await new TotpSecretSealer(async () => [OLD]).seal('account-1', SECRET);
    await expect(new TotpSecretSealer(async () => [NEW, OLD]).open('account-1', sealed)).resolves.toBe(SECRET);
    await expect(new TotpSecretSealer(async () => [NEW]).open('account-1', sealed)).resolves.toBeUndefined();
  });
});
