import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SecretSource } from '../registration/registration-secrets.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CONTEXT = 'vn-eid totp secret v1';
const VERSION = 'v1';

/**
 * Seals TOTP shared secrets before they reach Redis: AES-256-GCM under a key derived (HKDF) from the server secrets,
 * so a Redis dump, a replica or a backup does not hand out working authenticators. The account id is the associated
 * data: a sealed secret copied to another account's record does not open. Opening tries every server secret still
 * configured (newest first), so a rotation does not disable enrolled apps; a secret sealed under a key that was dropped
 * no longer opens and the owner enrols again.
 */
export class TotpSecretSealer {
  private keys?: Promise<Buffer[]>;

  constructor(private readonly source: SecretSource) {}

  async seal(accountId: string, secretBase32: string): Promise<string> {
    const [newest] = await this.derived();
    if (!newest) throw new Error('no server secret to seal TOTP secrets with');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', newest, iv);
    cipher.setAAD(Buffer.from(accountId, 'utf8'));
    const body = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The secret in base32, or undefined when it does not open (another account's, or a dropped server secret). */
  async open(accountId: string, sealed: string): Promise<string | undefined> {
    const [version, encoded] = sealed.split('.');
    if (version !== VERSION || !encoded) return undefined;
    const raw = Buffer.from(encoded, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    for (const key of await this.derived()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(accountId, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // Authentication failed under this key: try the next (older) one.
      }
    }
    return undefined;
  }

  private derived(): Promise<Buffer[]> {
    if (!this.keys) {
      this.keys = this.source().then((secrets) =>
        secrets.map((secret) => Buffer.from(hkdfSync('sha256', secret, '', CONTEXT, KEY_BYTES))),
      );
      this.keys.catch(() => {
        this.keys = undefined;
      });
    }
    return this.keys;
  }
}
