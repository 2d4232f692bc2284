import type { Result } from '../shared/result.js';
import type { Account } from './account.js';

export type { ImmigrationRegistry, PopulationRegistry, RegistryLookup } from './registry.js';

/**
 * Interfaces of the adapters. Implementations live in storage/, registries/, biometrics/, notifications/ and are wired
 * only in container.ts; flows and handlers depend on these, never on ioredis or an HTTP client.
 */

export interface AccountStore {
  /**
   * Creates the account only if its login key is free (one identity, one account); false if taken. An account
   * `pending_activation` (record and login claim) disappears at its `activationExpiresAt` unless activated.
   */
  create(account: Account, loginKey: string): Promise<boolean>;
  findById(id: string): Promise<Account | undefined>;
  findByLoginKey(loginKey: string): Promise<Account | undefined>;
  /** The account id the login key is claimed by, even when that record is gone (a claim left by a crash). */
  claimantOf(loginKey: string): Promise<string | undefined>;
  save(account: Account): Promise<void>;
  /**
   * Replaces the registration still pending activation that holds `loginKey` by the new pending `account`, atomically
   * with respect to activation and to other replacements: true only if the claim still belonged to `previousAccountId`
   * and was still pending (not activated meanwhile). `previousRecordGone`: the caller saw that account's record missing
   * (a claim left by a crash), which lets a claim without expiry be replaced too.
   */
  replacePending(loginKey: string, previousAccountId: string, previousRecordGone: boolean, account: Account): Promise<boolean>;
  /**
   * Makes a pending account permanent and writes `activated` (status `active`): `activated`; `not_pending` if it was
   * already active (a retry, or a concurrent activation); `gone` if it expired or was replaced.
   */
  activate(activated: Account, loginKey: string): Promise<'activated' | 'not_pending' | 'gone'>;
}

/** A flow record with the revision it was read at, for compare-and-set updates. */
export interface StoredFlow<T> {
  flow: T;
  revision: number;
}

/** Flows (registration, ...) as small state machines stored with an expiry (ARCHITECTURE "flows/"). */
export interface FlowStore<T extends { id: string }> {
  create(flow: T, ttlMs: number): Promise<void>;
  /** undefined when unknown or expired. */
  load(id: string): Promise<StoredFlow<T> | undefined>;
  /** Writes `flow` only if it is still at `revision`; false when it changed meanwhile or is gone. */
  replace(flow: T, revision: number, ttlMs: number): Promise<boolean>;
  delete(id: string): Promise<void>;
}

/**
 * A limit on attempts shared by every instance. Keys are opaque: callers pass a keyed hash or an IP address, never an
 * ID number, phone number or email address in clear.
 */
export interface RateLimiter {
  /** Counts one attempt for `key`; false when the limit was already reached (the attempt must be refused). */
  consume(key: string): Promise<boolean>;
  /** Whether `key` has attempts left, without counting one. */
  allows(key: string): Promise<boolean>;
  /** Gives one attempt back (what it counted did not happen, e.g. the message could not be sent). */
  refund(key: string): Promise<void>;
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

/**
 * Decision 34 Art 5.1.b: level 2 means the person was verified by portrait (or fingerprints) against the registry.
 * A remote portrait check compares a photo the person takes now (`probe`, JPEG or PNG bytes) with the portrait the
 * registry holds (`portraitRef`, from the record's BiometricReferences). Implementations never store or log the images,
 * only the outcome (docs/biometrics.md).
 *
 * Failures: `no_face`, `multiple_faces`, `poor_quality` = the person may take another photo; `reference_unavailable` =
 * the registry holds no usable portrait, another photo cannot help (in-person path); `verifier_unavailable` = the
 * check could not run (registry or verifier down, timeout): try again later, not counted as a failed match.
 */
export type PortraitCheckFailure =
  | 'no_face'
  | 'multiple_faces'
  | 'poor_quality'
  | 'reference_unavailable'
  | 'verifier_unavailable';

export interface PortraitCheck {
  matched: boolean;
  /** The verifier's similarity; its scale is the verifier's own (docs/biometrics.md), compare `matched`, not this. */
  score: number;
  method: 'face';
}

export interface BiometricVerifier {
  verifyPortrait(input: {
    probe: Uint8Array;
    portraitRef: string;
  }): Promise<Result<PortraitCheck, PortraitCheckFailure>>;
}

/**
 * The registry's portrait images, by the opaque reference of a record's BiometricReferences
 * (Decision 34 Art 4.1.dd, 4.2.e).
 * `registry_unavailable` = could not answer (fail closed), never read as `not_found`.
 */
export interface PortraitSource {
  portrait(portraitRef: string): Promise<Result<Uint8Array, 'not_found' | 'registry_unavailable'>>;
}
