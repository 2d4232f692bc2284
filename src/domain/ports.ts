import type { Account } from './account.js';

export type { ImmigrationRegistry, PopulationRegistry, RegistryLookup } from './registry.js';

/**
 * Interfaces of the adapters. Implementations live in storage/, registries/, biometrics/, notifications/ and are wired
 * only in container.ts; flows and handlers depend on these, never on ioredis or an HTTP client.
 */

export interface AccountStore {
  /** Creates the account only if its login key is free (one identity, one account); false if taken. */
  create(account: Account, loginKey: string): Promise<boolean>;
  findById(id: string): Promise<Account | undefined>;
  findByLoginKey(loginKey: string): Promise<Account | undefined>;
  save(account: Account): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the time of one verification against a fixed hash, so unknown identifiers answer as slowly as known ones. */
  verifyDummy(password: string): Promise<boolean>;
}
