import type { RedisConnection } from './redis-client.js';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Clock } from '../shared/clock.js';
import { randomId } from '../shared/ids.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/** One key of the ring. Times are epoch milliseconds. */
interface StoredSigningKey {
  /** Private JWK with kid (RFC 7638 thumbprint), alg and use=sig. */
  jwk: JWK;
  createdAt: number;
  /** Set once a newer key of the same algorithm is current; the key then only verifies what it signed earlier. */
  retiredAt?: number;
  /** Until when a retired key stays published. */
  publishedUntil?: number;
}

interface SigningKeyRing {
  keys: StoredSigningKey[];
}

export interface SigningKeySummary {
  kid: string;
  alg: string;
  status: 'current' | 'retired';
  /** Retired keys only: epoch ms after which the key is no longer published. */
  publishedUntil?: number;
}

/** KEYS[1] the ring; ARGV expected value ('' = absent), new value. Writes only if nobody changed the ring meanwhile. */
const COMPARE_AND_SET = new LuaScript(`
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);

/** Competing writers re-read and retry; more conflicts than this in a row means something is looping. */
const MAX_ATTEMPTS = 10;

const RSA_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);

async function generateSigningKey(alg: string, now: number): Promise<StoredSigningKey> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(RSA_ALGORITHMS.has(alg) ? { modulusLength: 2048 } : {}),
  });
  // WebCrypto's export adds key_ops and ext; the provider's keystore wants plain key material plus use.
  const { key_ops: _keyOps, ext: _ext, ...material } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(material, 'sha256');
  return { jwk: { ...material, kid, alg, use: 'sig' }, createdAt: now };
}

const kidOf = (key: StoredSigningKey): string => key.jwk.kid ?? '';
const algOf = (key: StoredSigningKey): string => key.jwk.alg ?? '';
const currentOf = (ring: SigningKeyRing, alg: string): StoredSigningKey | undefined =>
  ring.keys.find((key) => algOf(key) === alg && key.retiredAt === undefined);

/**
 * The provider's signing keys, kept in Redis so that every instance, and every restart, signs with the same keys.
 * Whoever starts first generates them; the others adopt what it stored (compare-and-set on the ring, a Lua script
 * rather than WATCH so it is safe on a client shared with concurrent requests).
 *
 * Rotation: `rotate` makes fresh keys current and keeps the old ones published for `keepOldForSeconds`, long enough
 * for every token they signed (and every id_token_hint) to expire; after that `ensure` drops them. Instances read the
 * ring at start, so a rotation takes effect on a rolling restart.
 */
export class SigningKeyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  /**
   * The private JWKs for the Provider's `jwks` option: the current key of each algorithm (in the order given, so the
   * first algorithm's key is first), then still-published retired keys. Creates missing keys, prunes expired ones.
   */
  async ensure(algorithms: string[]): Promise<JWK[]> {
    const ring = await this.update(async (ring, now) => {
      let changed = this.prune(ring, now);
      for (const alg of algorithms) {
        if (!currentOf(ring, alg)) {
          ring.keys.push(await generateSigningKey(alg, now));
          changed = true;
        }
      }
      return changed;
    });
    return this.published(ring, algorithms).map((key) => ({ ...key.jwk }));
  }

  /** New current keys for `algorithms`; the previous ones stay published for `keepOldForSeconds`. */
  async rotate(algorithms: string[], keepOldForSeconds: number): Promise<SigningKeySummary[]> {
    const ring = await this.update(async (ring, now) => {
      this.prune(ring, now);
      for (const alg of algorithms) {
        const previous = currentOf(ring, alg);
        if (previous) {
          previous.retiredAt = now;
          previous.publishedUntil = now + keepOldForSeconds * 1000;
        }
        ring.keys.push(await generateSigningKey(alg, now));
      }
      return true;
    });
    return this.published(ring, algorithms).map((key) => ({
      kid: kidOf(key),
      alg: algOf(key),
      status: key.retiredAt === undefined ? 'current' : 'retired',
      ...(key.publishedUntil === undefined ? {} : { publishedUntil: key.publishedUntil }),
    }));
  }

  /**
   * Development only (the caller refuses it in production, where COOKIE_KEYS is required): two random 32-byte cookie
   * signing keys, made once and kept, so that sessions survive a restart. Concurrent starts agree through SET NX.
   */
  async ensureDevCookieKeys(): Promise<string[]> {
    const key = this.keys.devCookieKeys();
    await failClosed(this.redis.set(key, JSON.stringify([randomId(32), randomId(32)]), 'NX'));
    const stored = await failClosed(this.redis.get(key));
    const parsed: unknown = stored === null ? undefined : JSON.parse(stored);
    if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === 'string')) {
      throw new Error('stored development cookie keys are not a list of strings');
    }
    return parsed;
  }

  /** Read, change, compare-and-set; on a conflict start again from what the other writer stored. */
  private async update(
    change: (ring: SigningKeyRing, now: number) => Promise<boolean>,
  ): Promise<SigningKeyRing> {
    const key = this.keys.signingKeys();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const stored = await failClosed(this.redis.get(key));
      const ring: SigningKeyRing = stored === null ? { keys: [] } : (JSON.parse(stored) as SigningKeyRing);
      if (!(await change(ring, this.clock.now()))) return ring;
      const written = await failClosed(COMPARE_AND_SET.run(this.redis, [key], [stored ?? '', JSON.stringify(ring)]));
      if (written === 1) return ring;
    }
    throw new Error(`signing key ring changed concurrently ${MAX_ATTEMPTS} times in a row`);
  }

  /** Drops retired keys whose publication window has passed; true if any went. */
  private prune(ring: SigningKeyRing, now: number): boolean {
    const before = ring.keys.length;
    ring.keys = ring.keys.filter((key) => key.publishedUntil === undefined || key.publishedUntil > now);
    return ring.keys.length !== before;
  }

  private published(ring: SigningKeyRing, algorithms: string[]): StoredSigningKey[] {
    const current = [...new Set(algorithms)].flatMap((alg) => {
      const key = currentOf(ring, alg);
      return key ? [key] : [];
    });
    const retired = ring.keys
      .filter((key) => key.retiredAt !== undefined && algorithms.includes(algOf(key)))
      .sort((a, b) => (b.retiredAt ?? 0) - (a.retiredAt ?? 0));
    return [...current, ...retired];
  }
}
