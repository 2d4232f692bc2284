import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { calculateJwkThumbprint, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { ManualClock } from '../../../src/shared/clock.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { SigningKeyStore } from '../../../src/storage/signing-key-store.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let otherInstance: Redis;
let prefixes = 0;

function setUp() {
  const keys = new RedisKeys(`signing${(prefixes += 1)}:`);
  const clock = new ManualClock();
  return { keys, clock, store: new SigningKeyStore(redis, keys, clock) };
}

const kids = (jwks: JWK[]): string[] => jwks.map((jwk) => jwk.kid ?? '');
const publicPart = ({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest }: JWK): JWK => rest;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  otherInstance = server.client();
});

afterAll(async () => {
  redis.disconnect();
  otherInstance.disconnect();
  await server.destroy();
});

describe('SigningKeyStore.ensure', () => {
  it('makes one private signing key per algorithm, in the order asked, with kid, alg and use', async () => {
    const { store } = setUp();
    const jwks = await store.ensure(['ES256', 'RS256']);
    expect(jwks.map((jwk) => [jwk.alg, jwk.kty, jwk.use])).toEqual([
      ['ES256', 'EC', 'sig'],
      ['RS256', 'RSA', 'sig'],
    ]);
    const [ec, rsa] = jwks;
    expect(ec).toMatchObject({ crv: 'P-256', d: expect.any(String) });
    // 2048-bit modulus: 256 bytes, 342 base64url characters.
    expect(rsa?.n).toHaveLength(342);
    for (const jwk of jwks) {
      expect(jwk.kid).toBe(await calculateJwkThumbprint(publicPart(jwk), 'sha256'));
      expect(jwk).not.toHaveProperty('key_ops');
      expect(jwk).not.toHaveProperty('ext');
    }
  });

  it('gives the same keys after a restart', async () => {
    const { store, keys, clock } = setUp();
    const first = await store.ensure(['ES256', 'RS256']);
    const restarted = new SigningKeyStore(otherInstance, keys, clock);
    expect(await restarted.ensure(['ES256', 'RS256'])).toEqual(first);
  });

  it('gives two instances starting at the same moment the same keys', async () => {
    const { keys, clock } = setUp();
    const [a, b] = await Promise.all([
      new SigningKeyStore(redis, keys, clock).ensure(['ES256', 'RS256']),
      new SigningKeyStore(otherInstance, keys, clock).ensure(['ES256', 'RS256']),
    ]);
    expect(kids(a)).toEqual(kids(b));
    expect(kids(a)).toHaveLength(2);
  });

  it('adds a key for a newly configured algorithm and keeps the existing ones', async () => {
    const { store } = setUp();
    const [es256] = await store.ensure(['ES256']);
    const jwks = await store.ensure(['RS256', 'ES256']);
    expect(jwks.map((jwk) => jwk.alg)).toEqual(['RS256', 'ES256']);
    expect(jwks[1]?.kid).toBe(es256?.kid);
  });

  it('makes keys that sign and verify tokens', async () => {
    const { store } = setUp();
    for (const jwk of await store.ensure(['ES256', 'RS256', 'PS256', 'EdDSA'])) {
      const alg = jwk.alg ?? '';
      const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg, kid: jwk.kid }).sign(await importJWK(jwk, alg));
      const { payload } = await jwtVerify(token, await importJWK(publicPart(jwk), alg));
      expect(payload.sub).toBe('x');
    }
  });
});

describe('SigningKeyStore.rotate', () => {
  it('makes new keys current and keeps the old ones published until keepOldForSeconds has passed', async () => {
    const { store, clock } = setUp();
    const before = await store.ensure(['ES256', 'RS256']);

    const summary = await store.rotate(['ES256', 'RS256'], 3600);
    const after = await store.ensure(['ES256', 'RS256']);
    expect(after).toHaveLength(4);
    // The new current keys first (ES256 first, as configured), then the retired ones still published.
    expect(after.slice(0, 2).map((jwk) => jwk.alg)).toEqual(['ES256', 'RS256']);
    expect(kids(after.slice(0, 2))).not.toEqual(expect.arrayContaining(kids(before)));
    expect(kids(after.slice(2)).sort()).toEqual(kids(before).sort());
    expect(summary.map((key) => key.status)).toEqual(['current', 'current', 'retired', 'retired']);
    expect(summary[2]?.publishedUntil).toBe(clock.now() + 3_600_000);

    clock.advance(3_599_000);
    expect(await store.ensure(['ES256', 'RS256'])).toHaveLength(4);

    clock.advance(1_000);
    const pruned = await store.ensure(['ES256', 'RS256']);
    expect(kids(pruned)).toEqual(kids(after.slice(0, 2)));
  });

  it('is seen by another instance once it restarts', async () => {
    const { store, keys, clock } = setUp();
    await store.ensure(['ES256']);
    const [rotated] = await store.rotate(['ES256'], 600);
    const [current] = await new SigningKeyStore(otherInstance, keys, clock).ensure(['ES256']);
    expect(current?.kid).toBe(rotated?.kid);
  });
});

describe('SigningKeyStore.ensureDevCookieKeys', () => {
  it('makes two random 32-byte keys once and returns the same ones afterwards, to every instance', async () => {
    const { store, keys, clock } = setUp();
    const [first, second] = await Promise.all([
      store.ensureDevCookieKeys(),
      new SigningKeyStore(otherInstance, keys, clock).ensureDevCookieKeys(),
    ]);
    expect(first).toEqual(second);
    expect(first).toHaveLength(2);
    for (const key of first) expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(first[0]).not.toBe(first[1]);
    expect(await store.ensureDevCookieKeys()).toEqual(first);
  });
});
