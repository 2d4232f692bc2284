import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { loginKeyOf, type Account } from '../../../src/domain/account.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisAccountStore } from '../../../src/storage/account-store.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

/** Accounts pending activation (Decision 34 Art 7; later rules: expiry after 7 days) in the Redis account store. */
const DAY = 86_400_000;
const WEEK = 7 * DAY;

let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

function setUp() {
  const keys = new RedisKeys(`pending${(prefixes += 1)}:`);
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 3));
  return { keys, clock, store: new RedisAccountStore(redis, keys, clock) };
}

function pending(clock: ManualClock, idNumber = '001090012345'): Account {
  const now = clock.now();
  return {
    id: randomId(),
    identity: { kind: 'citizen', idNumber, fullName: 'Lê Thị Hồng Nhung', birthDate: '1990-05-17', gender: 'female' },
    level: 1,
    status: 'pending_activation',
    phone: '+84901234567',
    passwordHash: '',
    activationExpiresAt: now + WEEK,
    consent: { termsVersion: '2026-01', dataProcessingVersion: '2026-01', acceptedAt: now },
    createdAt: now,
    updatedAt: now,
  };
}

const activatedFrom = (account: Account, hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'): Account => {
  const { activationExpiresAt: _deadline, ...rest } = account;
  return { ...rest, status: 'active', passwordHash: hash, activatedAt: account.createdAt + 1000 };
};

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('RedisAccountStore with accounts pending activation', () => {
  it('gives a pending account and its login claim the 7-day activation deadline as TTL', async () => {
    const { store, keys, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await expect(store.create(account, loginKey)).resolves.toBe(true);
    for (const key of [keys.account(account.id), keys.accountLogin(loginKey)]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(WEEK - 5_000);
      expect(ttl).toBeLessThanOrEqual(WEEK);
    }
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(account);
  });

  it('keeps the TTL when a pending account is saved (only activation makes it permanent)', async () => {
    const { store, keys, clock } = setUp();
    const account = pending(clock);
    await store.create(account, loginKeyOf(account.identity));
    await store.save({ ...account, updatedAt: account.updatedAt + 1 });
    expect(await redis.pttl(keys.account(account.id))).toBeGreaterThan(0);
  });

  it('activation makes the account and its claim permanent, once', async () => {
    const { store, keys, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    const active = activatedFrom(account);
    await expect(store.activate(active, loginKey)).resolves.toBe('activated');
    expect(await redis.pttl(keys.account(account.id))).toBe(-1);
    expect(await redis.pttl(keys.accountLogin(loginKey))).toBe(-1);
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(active);
    // A second activation (a retry, another browser) does not overwrite the first one's password.
    await expect(store.activate(activatedFrom(account, 'other-hash'), loginKey)).resolves.toBe('not_pending');
    await expect(store.findById(account.id)).resolves.toEqual(active);
  });

  it('lets exactly one of simultaneous activations write its password', async () => {
    const { store, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.activate(activatedFrom(account, `hash-${i}`), loginKey)),
    );
    expect(results.filter((result) => result === 'activated')).toHaveLength(1);
    expect(results.filter((result) => result === 'not_pending')).toHaveLength(9);
    const winner = results.indexOf('activated');
    expect((await store.findById(account.id))?.passwordHash).toBe(`hash-${winner}`);
  });

  it('answers "gone" when the pending account expired or was replaced', async () => {
    const { store, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    const newer = pending(clock);
    await expect(store.replacePending(loginKey, account.id, false, newer)).resolves.toBe(true);
    await expect(store.activate(activatedFrom(account), loginKey)).resolves.toBe('gone');
    await expect(store.findById(account.id)).resolves.toBeUndefined();
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(newer);
  });

  it('gives the login name back if the record vanished between the two activation steps', async () => {
    const { store, keys, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    await redis.del(keys.account(account.id));
    await expect(store.activate(activatedFrom(account), loginKey)).resolves.toBe('gone');
    expect(await redis.exists(keys.accountLogin(loginKey))).toBe(0);
  });

  it('never replaces an active account, nor a claim that moved on', async () => {
    const { store, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    await store.activate(activatedFrom(account), loginKey);
    await expect(store.replacePending(loginKey, account.id, false, pending(clock))).resolves.toBe(false);
    // Even a caller that wrongly believes the record is gone cannot take an active account's claim.
    await expect(store.replacePending(loginKey, 'someone-else', true, pending(clock))).resolves.toBe(false);
    await expect(store.findByLoginKey(loginKey)).resolves.toMatchObject({ id: account.id, status: 'active' });
  });

  it('lets exactly one of simultaneous replacements of one pending registration win', async () => {
    const { store, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    const candidates = Array.from({ length: 20 }, () => pending(clock));
    const results = await Promise.all(candidates.map((candidate) => store.replacePending(loginKey, account.id, false, candidate)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = candidates[results.indexOf(true)];
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(winner);
    const left = await Promise.all(candidates.map((candidate) => store.findById(candidate.id)));
    expect(left.filter((found) => found !== undefined)).toHaveLength(1);
  });

  it('decides between an activation and a replacement racing on one registration: one of them, never both', async () => {
    for (let round = 0; round < 10; round += 1) {
      const { store, clock } = setUp();
      const account = pending(clock);
      const loginKey = loginKeyOf(account.identity);
      await store.create(account, loginKey);
      const newer = pending(clock);
      const [activated, replaced] = await Promise.all([
        store.activate(activatedFrom(account), loginKey),
        store.replacePending(loginKey, account.id, false, newer),
      ]);
      expect([activated === 'activated', replaced].filter(Boolean)).toHaveLength(1);
      const holder = await store.findByLoginKey(loginKey);
      expect(holder?.id).toBe(activated === 'activated' ? account.id : newer.id);
    }
  });

  it('replaces a claim left without a record by an activation that crashed half-way', async () => {
    const { store, keys, clock } = setUp();
    const account = pending(clock);
    const loginKey = loginKeyOf(account.identity);
    await store.create(account, loginKey);
    // The claim was made permanent, then the process died and the pending record expired.
    await redis.persist(keys.accountLogin(loginKey));
    await redis.del(keys.account(account.id));
    const newer = pending(clock);
    await expect(store.replacePending(loginKey, account.id, false, newer)).resolves.toBe(false);
    await expect(store.replacePending(loginKey, account.id, true, newer)).resolves.toBe(true);
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(newer);
  });

  it('leaves alone a claim without a record that still expires: an account being created right now', async () => {
    const { store, keys, clock } = setUp();
    const loginKey = 'citizen:001090099999';
    await redis.set(keys.accountLogin(loginKey), 'being-created', 'PX', keys.accountLoginClaimMs);
    await expect(store.replacePending(loginKey, 'being-created', true, pending(clock, '001090099999'))).resolves.toBe(false);
    await expect(store.claimantOf(loginKey)).resolves.toBe('being-created');
  });

  it('refuses to create a pending account without a future deadline (a bug, not an outcome)', async () => {
    const { store, clock } = setUp();
    const account = pending(clock);
    await expect(store.create({ ...account, activationExpiresAt: clock.now() }, 'citizen:x')).rejects.toThrow('expired');
    const { activationExpiresAt: _deadline, ...withoutDeadline } = account;
    await expect(store.create(withoutDeadline, 'citizen:y')).rejects.toThrow('activationExpiresAt');
  });

  it('reads records written before activation existed as active', async () => {
    const { store, keys } = setUp();
    const legacy = { id: 'legacy', identity: { kind: 'citizen', idNumber: '001090000001' }, level: 1, passwordHash: 'h' };
    await redis.set(keys.account('legacy'), JSON.stringify(legacy));
    await expect(store.findById('legacy')).resolves.toMatchObject({ status: 'active' });
  });
});
