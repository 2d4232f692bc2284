import type { Redis } from 'ioredis';
import { loginKeyOf, type Account } from '../../src/domain/account.js';
import { uuid } from '../../src/shared/ids.js';
import { RedisAccountStore } from '../../src/storage/account-store.js';
import { RedisKeys } from '../../src/storage/keys.js';
import type { BenchAccount } from '../load/sign-in.js';
import { bytesByKind } from './key-kinds.js';
import { measureGrowth } from './session-memory.js';
import type { RecordMemory } from './memory-figures.js';

const DAY_MS = 86_400_000;

/**
 * An account as registration and activation leave it (Decision 34 Art 6, 7): the registry's identity, both contacts,
 * the consents, the phone proven by the activation code, an argon2id PHC string of the configured cost; level 2 adds
 * the verification record and the biometric consent (Art 5.1.b). Names and addresses are of a typical length.
 */
function registeredAccount(index: number, level: 1 | 2, passwordHash: string, now: number): Account {
  // Province 079, 1 = a woman born in the 1900s, 90 = 1990 (Decision 34 Art 4: the number agrees with the person).
  const serial = String(index + (level === 2 ? 500_000 : 0)).padStart(6, '0');
  return {
    id: uuid(),
    identity: { kind: 'citizen', idNumber: `079190${serial}`, fullName: 'Nguyễn Thị Thanh Hương', birthDate: '1990-05-17', gender: 'female' },
    level,
    status: 'active',
    phone: `+8491${serial}0`,
    email: `nguyen.thi.thanh.huong.${serial}@example.vn`,
    passwordHash,
    consent: { termsVersion: '2026-01', dataProcessingVersion: '2026-01', acceptedAt: now },
    phoneVerifiedAt: now,
    ...(level === 2
      ? {
          levelVerification: { method: 'face', at: now, score: 0.8123, legalBasis: 'Decision 34/2021/QD-TTg Art 5.1.b', channel: 'remote' },
          biometricConsent: { version: '2026-01', textSha256: 'a'.repeat(64), locale: 'vi', acceptedAt: now },
        }
      : {}),
    createdAt: now,
    updatedAt: now,
    activatedAt: now,
  };
}

/**
 * Bytes per activated account: `count` accounts written the way registration writes them (store.create of the pending
 * account, which claims the login name, then store.activate, which makes both permanent), sized by kind of key.
 * `passwordHash` is one real PHC string reused: every hash of one cost has the same length.
 */
export async function measureAccountMemory(redis: Redis, prefix: string, count: number, level: 1 | 2, passwordHash: string): Promise<RecordMemory> {
  const store = new RedisAccountStore(redis, new RedisKeys(prefix));
  const { growth } = await measureGrowth(redis, prefix, async () => {
    const now = Date.now();
    for (let start = 0; start < count; start += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, count - start) }, async (_, offset) => {
          const active = registeredAccount(start + offset, level, passwordHash, now);
          const { activatedAt: _activatedAt, phoneVerifiedAt: _proven, ...rest } = active;
          const pending: Account = { ...rest, status: 'pending_activation', passwordHash: '', activationExpiresAt: now + 7 * DAY_MS };
          const loginKey = loginKeyOf(active.identity);
          if (!(await store.create(pending, loginKey))) throw new Error('memory bench: account exists already');
          if ((await store.activate(active, loginKey)) !== 'activated') throw new Error('memory bench: activation failed');
        }),
      );
    }
  });
  const byKind = bytesByKind(growth.changes, prefix, count);
  return {
    units: count,
    bytesPerUnit: Object.values(byKind).reduce((sum, entry) => sum + entry.bytes, 0),
    usedMemoryDeltaPerUnit: growth.usedMemoryDelta / count,
    byKind,
  };
}

/**
 * People to sign in, one account each, so that every sign-in is the first session of its account as it is for most
 * people (an account's index of sessions and its audit stream are then sized as in production, not as 30 sessions of
 * one bench account). One password for all: a hash of one cost has one length, so the records are as large.
 */
export async function seedSignInAccounts(redis: Redis, prefix: string, count: number, password: string, passwordHash: string): Promise<BenchAccount[]> {
  const store = new RedisAccountStore(redis, new RedisKeys(prefix));
  const now = Date.now();
  const people: BenchAccount[] = [];
  for (let start = 0; start < count; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - start) }, async (_, offset) => {
        const account = { ...registeredAccount(start + offset, 1, passwordHash, now), identity: signInIdentity(start + offset) };
        if (!(await store.create(account, loginKeyOf(account.identity)))) throw new Error('memory bench: sign-in account exists already');
        people.push({ idNumber: account.identity.idNumber ?? '', password });
      }),
    );
  }
  return people;
}

/** Province 001, 0 = a man born in the 1900s, 88 = 1988. */
const signInIdentity = (index: number): Account['identity'] => ({
  kind: 'citizen',
  idNumber: `001088${String(index).padStart(6, '0')}`,
  fullName: 'Trần Văn Minh',
  birthDate: '1988-03-09',
  gender: 'male',
});
