import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { loginKeyOf, type Account } from '../../../src/domain/account.js';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisAccountStore } from '../../../src/storage/account-store.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

function setUp(client: Redis = redis) {
  const keys = new RedisKeys(`accounts${(prefixes += 1)}:`);
  return { keys, store: new RedisAccountStore(client, keys) };
}

function citizen(idNumber = '001099012345'): Account {
  return {
    id: randomId(),
    identity: { kind: 'citizen', idNumber, fullName: 'Nguyễn Văn A', birthDate: '1990-01-01', gender: 'male' },
    level: 1,
    status: 'active',
    phone: '+84912345678',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
    createdAt: 1_767_225_600_000,
    updatedAt: 1_767_225_600_000,
  };
}

/**
 * The real client, except that commands named in `failing` reject as a dropped connection would: a way to break the
 * one write a test is about while everything else keeps working.
 */
function clientFailing(failing: (command: string, args: unknown[]) => boolean): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (failing(property, args)) return Promise.reject(new Error('Connection is closed.'));
        return (value as (...callArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('RedisAccountStore', () => {
  it('finds a created account by id and by login name', async () => {
    const { store, keys } = setUp();
    const account = citizen();
    const loginKey = loginKeyOf(account.identity);
    await expect(store.create(account, loginKey)).resolves.toBe(true);
    await expect(store.findById(account.id)).resolves.toEqual(account);
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(account);
    // Once the account exists the claim on the login name is permanent.
    expect(await redis.pttl(keys.accountLogin(loginKey))).toBe(-1);
  });

  it('answers undefined for an unknown id or login name', async () => {
    const { store } = setUp();
    await expect(store.findById('nobody')).resolves.toBeUndefined();
    await expect(store.findByLoginKey('citizen:000000000000')).resolves.toBeUndefined();
  });

  it('refuses a second account for the same identity (Decision 34 Art 6) and keeps the first', async () => {
    const { store } = setUp();
    const first = citizen();
    const second = citizen();
    await store.create(first, loginKeyOf(first.identity));
    await expect(store.create(second, loginKeyOf(second.identity))).resolves.toBe(false);
    await expect(store.findByLoginKey(loginKeyOf(first.identity))).resolves.toEqual(first);
    await expect(store.findById(second.id)).resolves.toBeUndefined();
  });

  it('lets exactly one of 50 simultaneous registrations of one identity create an account', async () => {
    const { store } = setUp();
    const candidates = Array.from({ length: 50 }, () => citizen('079203001234'));
    const loginKey = loginKeyOf(candidates[0]?.identity ?? citizen().identity);
    const results = await Promise.all(candidates.map((account) => store.create(account, loginKey)));

    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = candidates[results.indexOf(true)];
    await expect(store.findByLoginKey(loginKey)).resolves.toEqual(winner);
    const stored = await Promise.all(candidates.map((account) => store.findById(account.id)));
    expect(stored.filter((account) => account !== undefined)).toHaveLength(1);
  });

  it('saves changes to an existing account', async () => {
    const { store } = setUp();
    const account = citizen();
    await store.create(account, loginKeyOf(account.identity));
    const upgraded = { ...account, level: 2 as const, updatedAt: account.updatedAt + 1000 };
    await store.save(upgraded);
    await expect(store.findById(account.id)).resolves.toEqual(upgraded);
  });

  it('refuses to save an account that was never created', async () => {
    const { store } = setUp();
    await expect(store.save(citizen())).rejects.toThrow('does not exist');
  });

  it('gives the login name back when the account record cannot be written', async () => {
    const keysInUse = new RedisKeys(`accounts${(prefixes += 1)}:`);
    const account = citizen();
    const loginKey = loginKeyOf(account.identity);
    const broken = new RedisAccountStore(
      clientFailing((command, args) => command === 'set' && args[0] === keysInUse.account(account.id)),
      keysInUse,
    );
    await expect(broken.create(account, loginKey)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await redis.exists(keysInUse.accountLogin(loginKey))).toBe(0);

    const working = new RedisAccountStore(redis, keysInUse);
    await expect(working.create(citizen(), loginKey)).resolves.toBe(true);
  });

  it('leaves only a short-lived claim when it cannot even give the login name back', async () => {
    const { keys } = setUp();
    const account = citizen();
    const loginKey = loginKeyOf(account.identity);
    // The record write fails and so does everything after it, as when Redis goes away mid-registration.
    let claimed = false;
    const broken = new RedisAccountStore(
      clientFailing((command) => {
        if (claimed) return true;
        if (command === 'set') claimed = true;
        return false;
      }),
      keys,
    );
    await expect(broken.create(account, loginKey)).rejects.toBeInstanceOf(DependencyUnavailableError);
    const ttl = await redis.pttl(keys.accountLogin(loginKey));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(keys.accountLoginClaimMs);
  });

  it('refuses an account id that is already taken, and releases the login name', async () => {
    const { store, keys } = setUp();
    const existing = citizen('001099000001');
    await store.create(existing, loginKeyOf(existing.identity));
    const clash = { ...citizen('001099000002'), id: existing.id };
    await expect(store.create(clash, loginKeyOf(clash.identity))).rejects.toThrow('already in use');
    expect(await redis.exists(keys.accountLogin(loginKeyOf(clash.identity)))).toBe(0);
    await expect(store.findById(existing.id)).resolves.toEqual(existing);
  });

  it('fails with DependencyUnavailableError, never "no such account", while Redis is unreachable', async () => {
    const closed = new Redis(server.url, { lazyConnect: true, enableOfflineQueue: false });
    const { store } = setUp(closed);
    await expect(store.findByLoginKey('citizen:001099012345')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.findById('x')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(store.create(citizen(), 'citizen:001099012345')).rejects.toBeInstanceOf(DependencyUnavailableError);
    closed.disconnect();
  });
});
