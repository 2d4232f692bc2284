import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { PasswordHashConfig } from '../../../src/config/schema.js';
import { Argon2PasswordHasher } from '../../../src/credentials/argon2-password-hasher.js';
import { loginKeyOf, type Account, type AccountStatus } from '../../../src/domain/account.js';
import type { PasswordHasher } from '../../../src/domain/ports.js';
import { PasswordSignIn } from '../../../src/flows/password-sign-in.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisAccountStore } from '../../../src/storage/account-store.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

/** Counts the argon2 work done, to show every failure costs the same. */
class CountingHasher implements PasswordHasher {
  verifications = 0;
  constructor(private readonly inner: PasswordHasher) {}
  hash(password: string): Promise<string> {
    return this.inner.hash(password);
  }
  verify(hash: string, password: string): Promise<boolean> {
    this.verifications += 1;
    return this.inner.verify(hash, password);
  }
  verifyDummy(password: string): Promise<boolean> {
    this.verifications += 1;
    return this.inner.verifyDummy(password);
  }
}

const PASSWORD = 'mây trắng bay qua đồi';
let server: TestRedisServer;
let redis: Redis;
let store: RedisAccountStore;
let hasher: CountingHasher;
let signIn: PasswordSignIn;
const clock = new ManualClock(Date.UTC(2026, 2, 1));

async function account(idNumber: string, status: AccountStatus): Promise<Account> {
  const now = clock.now();
  const created: Account = {
    id: randomId(),
    identity: { kind: 'citizen', idNumber, fullName: 'Lê Thị Hồng Nhung', birthDate: '1990-05-17', gender: 'female' },
    level: 1,
    status,
    // A pending account has no password yet; give this one a real hash to show status alone refuses it.
    passwordHash: await hasher.hash(PASSWORD),
    ...(status === 'pending_activation' ? { activationExpiresAt: now + 7 * 86_400_000 } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await store.create(created, loginKeyOf(created.identity));
  return created;
}

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
  store = new RedisAccountStore(redis, new RedisKeys('signin:'), clock);
  hasher = new CountingHasher(new Argon2PasswordHasher(new PasswordHashConfig()));
  signIn = new PasswordSignIn(store, hasher);
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('PasswordSignIn', () => {
  it('signs an active account in with its password', async () => {
    const active = await account('001190000001', 'active');
    await expect(signIn.verify(loginKeyOf(active.identity), PASSWORD)).resolves.toEqual({ ok: true, value: active });
  });

  it.each([
    ['an unknown login name', 'citizen:001190999999', PASSWORD],
    ['a wrong password', 'citizen:001190000002', 'wrong password here'],
    ['an account pending activation, even with the right password (Decision 34 Art 7)', 'citizen:001190000003', PASSWORD],
  ])('answers %s identically, after one password verification', async (_case, loginKey, password) => {
    if (loginKey.endsWith('2')) await account('001190000002', 'active');
    if (loginKey.endsWith('3')) await account('001190000003', 'pending_activation');
    const before = hasher.verifications;
    await expect(signIn.verify(loginKey, password)).resolves.toEqual({ ok: false, error: 'invalid_credentials' });
    expect(hasher.verifications - before).toBe(1);
  });
});
