import type { Result } from '../shared/result.js';
import type { Account } from './account.js';
import type { ThrottleVerdict } from './failure-throttle.js';
import type { AccountLock, LiftedLock } from './lock.js';

export type { ImmigrationRegistry, PopulationRegistry, RegistryLookup } from './registry.js';
export type { AuditTrail } from './audit.js';

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
  /**
   * Decision 34 Art 6.2, 6.3: the accounts registered through this parent's or guardian's account (active, or still
   * pending activation), oldest first.
   */
  dependantsOf(representativeAccountId: string): Promise<Account[]>;
  /**
   * Changes an existing account without losing a concurrent change: `change` gets the record as stored and returns
   * the new one (or undefined to leave it); if another writer got in meanwhile it runs again on theirs. Returns the
   * record as finally stored, or undefined when the account does not exist.
   */
  update(accountId: string, change: (account: Account) => Account | undefined): Promise<Account | undefined>;
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

/** The state of a sliding window of attempts for one key (AttemptWindow). */
export interface AttemptWindowState {
  /** Attempts still allowed now. */
  remaining: number;
  /** Epoch ms when the oldest counted attempt leaves the window (one more becomes allowed); absent when none counted. */
  freesAt?: number;
}

/**
 * At most N attempts per key in any rolling window, shared by every instance, with time from the caller's clock (so
 * "5 per 6 hours" is testable with an injected clock). Keys are opaque (an account id, a keyed hash), never personal
 * data in clear. Fails closed: Redis down throws DependencyUnavailableError.
 */
export interface AttemptWindow {
  /** Counts one attempt at `now` unless the window is full; the returned id lets the caller give it back. */
  take(key: string, now: number): Promise<{ taken: true; attemptId: string; state: AttemptWindowState } | { taken: false; state: AttemptWindowState }>;
  /** Removes an attempt counted by `take` (what it counted did not happen, e.g. the verifier was down). */
  giveBack(key: string, attemptId: string): Promise<void>;
  peek(key: string, now: number): Promise<AttemptWindowState>;
}

/**
 * The grants (consents) an account gave to relying parties, found by account so that one can be withdrawn later
 * (storage/consent-grants.ts, over the per-account index the oidc adapter keeps).
 */
export interface ConsentGrants {
  /** Grant ids of the account, per client id; expired grants are left out. */
  grantsOf(accountId: string): Promise<Map<string, string[]>>;
  /** Destroys the grant and every token issued under it, and drops it from the index. */
  revoke(accountId: string, clientId: string, grantId: string): Promise<void>;
}

/**
 * Whether an account may be used now (Decision 34 Art 10: usable only while no lock is open). Read on every sign-in,
 * authorization and token use; implemented by the lock ledger (storage/), shared by every instance through Redis.
 */
export interface AccountLockStatus {
  isLocked(accountId: string): Promise<boolean>;
}

/**
 * The lock ledger (Decision 34 Art 10, 11): open locks per account and their history, durable (no expiry). Every
 * instance reads it on each use of an account, so a lock takes effect everywhere as soon as `open` returns.
 */
export interface LockLedger extends AccountLockStatus {
  /** Records an open lock; from this write on the account is unusable. */
  open(lock: AccountLock): Promise<void>;
  /** The open locks, oldest first. */
  openLocks(accountId: string): Promise<AccountLock[]>;
  /** Moves the lock to the history if it is still open; false when it is not (lifted meanwhile, or unknown). */
  lift(lifted: LiftedLock): Promise<boolean>;
  /** Replaces an open lock (a remediation recorded); false when it is no longer open. */
  update(lock: AccountLock): Promise<boolean>;
  /** Lifted locks, newest first, `limit` at most. */
  history(accountId: string, limit: number): Promise<LiftedLock[]>;
}

/** What ending an account's sessions did, for the audit trail (no token values). */
export interface SessionTermination {
  sessions: number;
  grants: number;
  /** Relying parties told by back-channel logout, and whether each acknowledged (HTTP 200/204). */
  backchannelLogouts: { clientId: string; delivered: boolean }[];
}

/**
 * The account's presence at relying parties: ends every session, revokes every grant with its tokens, and sends
 * back-channel logout to the relying parties of those sessions that registered a `backchannel_logout_uri`.
 */
export interface AccountSessions {
  terminateAll(accountId: string): Promise<SessionTermination>;
}

/** A relying party or API client suspended by the operator (Decision 34 Art 13.5). */
export interface ClientSuspension {
  clientId: string;
  reason: string;
  /** The operator's client id. */
  suspendedBy: string;
  /** Epoch ms. */
  at: number;
}

/** Suspended clients, shared by every instance; read on every authorization, token and API request. */
export interface ClientSuspensions {
  isSuspended(clientId: string): Promise<boolean>;
  /** false when it was already suspended. */
  suspend(suspension: ClientSuspension): Promise<boolean>;
  /** false when it was not suspended. */
  reinstate(clientId: string): Promise<boolean>;
  list(): Promise<ClientSuspension[]>;
}

/**
 * Event ids already processed, so a registry event delivered twice is applied once. `claim` is atomic across
 * instances: `new` for exactly one caller; `release` gives the id back when processing failed and should be retried.
 */
export interface ProcessedEvents {
  claim(eventId: string): Promise<'new' | 'duplicate'>;
  release(eventId: string): Promise<void>;
}

/** A lease held by one instance at a time (periodic jobs); renewed while the job runs. */
export interface SingletonLease {
  /** True when this instance holds the lease now (acquired or renewed). */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/**
 * Failed sign-in attempts of one kind (a login name's password, an account's TOTP or phone codes, one IP), shared by
 * every instance (storage/failure-throttle.ts; rules in domain/failure-throttle.ts). Keys are opaque: keyed hashes or
 * IP addresses, never an ID number in clear.
 */
export interface FailureThrottle {
  /** Before an attempt: go ahead, wait N seconds, or disabled until recovered. */
  check(key: string): Promise<ThrottleVerdict>;
  /** Counts one failure; says what the next attempt will meet. */
  recordFailure(key: string): Promise<ThrottleVerdict>;
  failureCount(key: string): Promise<number>;
  /** After a success: forgets the consecutive failures and returns how many there were (the caller records that). */
  clear(key: string): Promise<number>;
  /** The owner's recovery: also lifts `disabled`. */
  recover(key: string): Promise<void>;
}

/** A TOTP authenticator app an owner enrolled for level-2 sign-in; the secret only ever leaves the process sealed. */
export interface TotpEnrolment {
  /** The shared secret, encrypted (flows/sign-in/totp-secrets.ts). */
  sealedSecret: string;
  /** The latest time step a code was accepted for: a code of that step or earlier is a replay. */
  lastUsedStep: number;
  /** Epoch ms. */
  enrolledAt: number;
}

export interface TotpEnrolmentStore {
  find(accountId: string): Promise<TotpEnrolment | undefined>;
  /** A secret shown on the enrolment page, until the owner confirms it with a first code. */
  savePending(accountId: string, sealedSecret: string, ttlMs: number): Promise<void>;
  pending(accountId: string): Promise<string | undefined>;
  /**
   * Makes the pending secret the account's authenticator (replacing any previous one), with `step` already used;
   * false when the pending secret is no longer `sealedSecret` (expired, or replaced by a newer enrolment page).
   */
  confirm(accountId: string, sealedSecret: string, step: number, enrolledAt: number): Promise<boolean>;
  /**
   * Accepts the code of `step` once: true only when `step` is later than every step used before and the enrolment is
   * still `sealedSecret` (atomic: two requests with the same code cannot both pass).
   */
  useStep(accountId: string, sealedSecret: string, step: number): Promise<boolean>;
  remove(accountId: string): Promise<boolean>;
}

/** Walks every account record a batch at a time, remembering where it stopped (the registry reconciliation pass). */
export interface AccountEnumeration {
  /** Up to about `count` account ids after the saved position; `wrapped` once the walk went past the last account. */
  next(count: number): Promise<{ accountIds: string[]; wrapped: boolean }>;
}
