import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { loginKeyOf, type Account } from '../../../src/domain/account.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisAccountStore } from '../../../src/storage/account-store.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

/** What the owner's pages need of the account store: the dependants of a representative, and lossless updates. */

const NOW = Date.UTC(2026, 0, 1);
let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

function setUp() {
  const keys = new RedisKeys(`owner${(prefixes += 1)}:`);
  const clock = new ManualClock(NOW);
  return { keys, clock, store: new RedisAccountStore(redis, keys, clock) };
}

let sequence = 0;
function citizen(overrides: Partial<Account> = {}): Account {
  sequence += 1;
  return {
    id: randomId(),
    identity: { kind: 'citizen', idNumber: `0012159${String(sequence).padStart(5, '0')}`, fullName: `Lê Minh ${sequence}`, birthDate: '2015-09-03', gender: 'male' },
    level: 1,
    status: 'active',
    passwordHash: 'hash',
    createdAt: NOW + sequence,
    updatedAt: NOW + sequence,
    ...overrides,
  };
}

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('the dependants of a parent or guardian (Decision 34 Art 6.2, 6.3)', () => {
  it('lists the accounts registered through the representative, pending or active, oldest first, and no others', async () => {
    const { store } = setUp();
    const parent = citizen({ level: 2 });
    await store.create(parent, loginKeyOf(parent.identity));
    const first = citizen({ representativeAccountId: parent.id });
    const second = citizen({ representativeAccountId: parent.id, status: 'pending_activation', activationExpiresAt: NOW + 86_400_000, passwordHash: '' });
    const stranger = citizen({ representativeAccountId: randomId() });
    for (const account of [second, first, stranger]) await store.create(account, loginKeyOf(account.identity));

    const dependants = await store.dependantsOf(parent.id);
    expect(dependants.map((account) => account.id)).toEqual([first.id, second.id]);
    expect(await store.dependantsOf(first.id)).toEqual([]);
  });

  it('drops a registration that expired without activation', async () => {
    const { store, keys } = setUp();
    const parent = citizen();
    const pending = citizen({ representativeAccountId: parent.id, status: 'pending_activation', activationExpiresAt: NOW + 60_000, passwordHash: '' });
    await store.create(pending, loginKeyOf(pending.identity));
    await redis.del(keys.account(pending.id));
    expect(await store.dependantsOf(parent.id)).toEqual([]);
    expect(await redis.scard(keys.accountDependants(parent.id))).toBe(0);
  });

  it('keeps a dependant listed through activation', async () => {
    const { store } = setUp();
    const parent = citizen();
    const pending = citizen({ representativeAccountId: parent.id, status: 'pending_activation', activationExpiresAt: NOW + 60_000, passwordHash: '' });
    await store.create(pending, loginKeyOf(pending.identity));
    const { activationExpiresAt: _deadline, ...rest } = pending;
    await store.activate({ ...rest, status: 'active', passwordHash: 'hash' }, loginKeyOf(pending.identity));
    expect((await store.dependantsOf(parent.id)).map((account) => account.status)).toEqual(['active']);
  });
});

describe('RedisAccountStore.update', () => {
  it('applies a change to the record as stored and keeps concurrent changes', async () => {
    const { store, keys } = setUp();
    const account = citizen({ phone: '+84901234567' });
    await store.create(account, loginKeyOf(account.identity));
    let raced = false;
    const updated = await store.update(account.id, (stored) => {
      if (!raced) {
        raced = true;
        // Another writer gets in between this read and the write: the change runs again on its record.
        void redis.set(keys.account(account.id), JSON.stringify({ ...stored, level: 2 }));
      }
      return { ...stored, email: 'new@example.vn' };
    });
    expect(updated).toMatchObject({ email: 'new@example.vn', level: 2, phone: '+84901234567' });
    await expect(store.findById(account.id)).resolves.toMatchObject({ email: 'new@example.vn', level: 2 });
  });

  it('leaves the record alone when the change declines, and answers undefined for an unknown account', async () => {
    const { store } = setUp();
    const account = citizen();
    await store.create(account, loginKeyOf(account.identity));
    await expect(store.update(account.id, () => undefined)).resolves.toEqual(account);
    await expect(store.update(randomId(), (stored) => stored)).resolves.toBeUndefined();
  });

  it('keeps a pending account pending until its activation deadline', async () => {
    const { store, keys } = setUp();
    const pending = citizen({ status: 'pending_activation', activationExpiresAt: NOW + 60_000, passwordHash: '' });
    await store.create(pending, loginKeyOf(pending.identity));
    await store.update(pending.id, (stored) => ({ ...stored, email: 'x@example.vn' }));
    expect(await redis.pttl(keys.account(pending.id))).toBeGreaterThan(0);
  });
});
