import type { Result } from '../shared/result.js';
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

/** Where a one-time code or a notice is delivered (Decision 34 Art 7: the registered phone number or email). */
export type NotificationChannel = 'sms' | 'email';

/** A message to one person; the sender renders `template` in `locale` with `params` (no free text, no HTML input). */
export interface Notification {
  channel: NotificationChannel;
  /** E.164 phone number for sms, address for email. */
  to: string;
  template: string;
  locale: 'vi' | 'en';
  params: Record<string, string>;
}

/**
 * Sends notifications. `sender_unavailable` means nothing was sent (gateway down, timeout, refused): the caller tells
 * the person to try again and keeps no half-done state.
 */
export interface NotificationSender {
  send(notification: Notification): Promise<Result<void, 'sender_unavailable'>>;
}
