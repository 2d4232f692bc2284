import type { Redis } from 'ioredis';
import type { PasswordHashConfig } from '../../src/config/schema.js';
import { Argon2PasswordHasher } from '../../src/credentials/argon2-password-hasher.js';
import { loginKeyOf, type Account } from '../../src/domain/account.js';
import { accountClaims } from '../../src/oidc/claims.js';
import { uuid } from '../../src/shared/ids.js';
import { RedisAccountStore } from '../../src/storage/account-store.js';
import { RedisKeys } from '../../src/storage/keys.js';
import { BaselineAccountStore } from '../baseline/accounts.js';
import type { BenchAccount } from '../load/sign-in.js';

/** Active level-1 citizens with 12-digit ID numbers (province 001, born 1990), the same people on both servers. */
export function benchAccounts(count: number): BenchAccount[] {
  return Array.from({ length: count }, (_, index) => ({
    idNumber: `0011900${String(index).padStart(5, '0')}`,
    password: `bench password number ${index}`,
  }));
}

/**
 * Writes the accounts through the real stores: ours through RedisAccountStore (the record and its login name, as
 * registration leaves them), the baseline's through its own store with the same argon2id hash and the claims our
 * provider would release, so both servers verify the same hash and return the same claims.
 */
export async function seedAccounts(
  redis: Redis,
  prefixes: { ours: string; baseline: string },
  accounts: BenchAccount[],
  /** Our configuration's argon2id parameters (the OWASP ones by default); the baseline verifies the same hashes. */
  passwordHash: PasswordHashConfig,
): Promise<void> {
  const hasher = new Argon2PasswordHasher(passwordHash);
  const ours = new RedisAccountStore(redis, new RedisKeys(prefixes.ours));
  const baseline = new BaselineAccountStore(redis, prefixes.baseline);
  await Promise.all(
    accounts.map(async (person, index) => {
      const now = Date.now();
      const identity = {
        kind: 'citizen' as const,
        idNumber: person.idNumber,
        fullName: `Nguyễn Văn Thử ${index}`,
        birthDate: '1990-05-17',
        gender: 'male' as const,
      };
      const account: Account = {
        id: uuid(),
        identity,
        level: 1,
        status: 'active',
        phone: '+84901234567',
        email: `bench${index}@example.vn`,
        passwordHash: await hasher.hash(person.password),
        createdAt: now,
        updatedAt: now,
        activatedAt: now,
      };
      if (!(await ours.create(account, loginKeyOf(identity)))) throw new Error(`account ${person.idNumber} exists already`);
      await baseline.create({ id: account.id, loginName: person.idNumber, passwordHash: account.passwordHash, claims: accountClaims(account) });
    }),
  );
}
