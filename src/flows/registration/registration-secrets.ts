import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';

/** Server secrets, newest first (the cookie-signing keys: rotated by prepending). */
export type SecretSource = () => Promise<readonly string[]>;

interface DerivedKeys {
  /** One code-hashing key per secret, newest first: a code sent just before a rotation still verifies. */
  codeKeys: Buffer[];
  pseudonymKey: Buffer;
}

const KEY_BYTES = 32;
const CODE_CONTEXT = 'vn-eid registration activation code v1';
const PSEUDONYM_CONTEXT = 'vn-eid rate limit key v1';

/**
 * The keyed hashes of registration: activation codes are stored only as HMAC(code key, flow id + code), so neither a
 * Redis dump nor a replica reveals a working code, and a hash is useless for another flow; rate-limit counters are
 * keyed by HMAC(pseudonym key, identifier), so no ID number, phone number or address appears in a Redis key name.
 * Each purpose has its own key, derived with HKDF from the server secrets, which are read once (they may live in Redis
 * in development) and kept; a failed read is retried at the next use.
 */
export class RegistrationSecrets {
  private derived?: Promise<DerivedKeys>;

  constructor(private readonly source: SecretSource) {}

  /** A uniformly random code of `digits` decimal digits (leading zeros kept), from the CSPRNG. */
  static newCode(digits: number): string {
    return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
  }

  async hashCode(flowId: string, code: string): Promise<string> {
    const { codeKeys } = await this.keys();
    const newest = codeKeys[0];
    if (!newest) throw new Error('no server secret to hash activation codes with');
    return codeHash(newest, flowId, code);
  }

  /** Compares in constant time, against every key still accepted. */
  async codeMatches(flowId: string, code: string, storedHash: string): Promise<boolean> {
    const { codeKeys } = await this.keys();
    const stored = Buffer.from(storedHash, 'base64url');
    let matched = false;
    for (const key of codeKeys) {
      const candidate = Buffer.from(codeHash(key, flowId, code), 'base64url');
      // Every key is tried even after a match, so the time taken does not depend on which one matched.
      if (candidate.length === stored.length && timingSafeEqual(candidate, stored)) matched = true;
    }
    return matched;
  }

  /** A stable, non-reversible stand-in for an identifier, for rate-limit keys. */
  async pseudonym(purpose: string, value: string): Promise<string> {
    const { pseudonymKey } = await this.keys();
    return createHmac('sha256', pseudonymKey).update(`${purpose}\u0000${value}`).digest('base64url').slice(0, 32);
  }

  private keys(): Promise<DerivedKeys> {
    if (!this.derived) {
      this.derived = this.source().then(derive);
      this.derived.catch(() => {
        this.derived = undefined;
      });
    }
    return this.derived;
  }
}

function derive(secrets: readonly string[]): DerivedKeys {
  if (secrets.length === 0) throw new Error('no server secret configured for registration');
  const expand = (secret: string, context: string): Buffer =>
    Buffer.from(hkdfSync('sha256', secret, '', context, KEY_BYTES));
  const newest = secrets[0] as string;
  return {
    codeKeys: secrets.map((secret) => expand(secret, CODE_CONTEXT)),
    pseudonymKey: expand(newest, PSEUDONYM_CONTEXT),
  };
}

const codeHash = (key: Buffer, flowId: string, code: string): string =>
  createHmac('sha256', key).update(`${flowId}\u0000${code}`).digest('base64url');
