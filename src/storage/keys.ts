/**
 * Every Redis key pattern and TTL of the provider, in one place (ARCHITECTURE convention 7).
 *
 * Cluster: the part in {braces} is the hash tag, so keys that one atomic operation touches share a slot. Keys of
 * different records are never touched atomically together; multi-key writes across records are pipelines.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  // --- oidc-provider models (storage/oidc-adapter.ts) -------------------------------------------------------------
  /**
   * One stored model instance (Session, AccessToken, AuthorizationCode, ...): a hash of `payload` (JSON), `consumed`
   * and copies of its lookup fields (see oidc-adapter-scripts.ts). TTL = the model's expiry.
   */
  oidcModel(model: string, id: string): string {
    return `${this.prefix}oidc:${model}:{${id}}`;
  }
  /** Session lookup by its uid (Session model only). */
  oidcSessionUid(uid: string): string {
    return `${this.prefix}oidc:Session:uid:{${uid}}`;
  }
  /** Device flow lookup by user code (kept for adapter completeness; the device flow is disabled). */
  oidcUserCode(userCode: string): string {
    return `${this.prefix}oidc:userCode:{${userCode}}`;
  }
  /**
   * Sorted set of "Model:id" issued under one grant (score = expiry, epoch ms), so that revoking the grant removes them
   * all. TTL = its longest-lived member.
   */
  oidcGrantIndex(grantId: string): string {
    return `${this.prefix}oidc:grant:{${grantId}}`;
  }

  // --- accounts (storage/account-store.ts) ------------------------------------------------------------------------
  /** The account record, JSON. No TTL. */
  account(accountId: string): string {
    return `${this.prefix}account:{${accountId}}`;
  }
  /**
   * Login name -> account id; SET NX enforces one identity, one account (Decision 34 Art 6). No TTL once the account
   * is written; while it is being written the claim lives `accountLoginClaimMs`, so a crash cannot block the identity.
   */
  accountLogin(loginKey: string): string {
    return `${this.prefix}account:login:{${loginKey}}`;
  }
  /** Lifetime of a login claim whose account record is not written yet (see accountLogin). */
  readonly accountLoginClaimMs = 30_000;
  /**
   * Set of the account ids registered through one parent's or guardian's account (Decision 34 Art 6.2, 6.3), for the
   * owner's page. No TTL; members whose record expired (never activated) are dropped when the set is read.
   */
  accountDependants(representativeAccountId: string): string {
    return `${this.prefix}account:dependants:{${representativeAccountId}}`;
  }
  // An account pending activation (record and login claim) carries its activation deadline as TTL (later rules: 7 days,
  // `limits.pendingActivationDays`), so an unactivated registration disappears and the identity is free again;
  // activation makes both permanent.

  // --- flows (storage/flow-store.ts) -------------------------------------------------------------------------------
  /**
   * One flow record (kind `registration`, ...): a hash of `data` (JSON) and `rev` (counter for compare-and-set).
   * TTL = the flow's expiry; a completed flow is kept `completedFlowTtlMs` only.
   */
  flow(kind: string, flowId: string): string {
    return `${this.prefix}flow:${kind}:{${flowId}}`;
  }
  /** How long a completed flow stays readable (the page's last step), instead of until its original expiry. */
  readonly completedFlowTtlMs = 15 * 60_000;

  // --- second factors of level-2 sign-in (storage/totp-store.ts; phone codes are flows of kind `sign-in-code`) -----
  /**
   * The TOTP authenticator of one account: a hash of `secret` (sealed, never in clear), `step` (the last time step a
   * code was accepted for, against replays) and `enrolledAt`. No TTL; removed when the owner removes or replaces it.
   */
  totpEnrolment(accountId: string): string {
    return `${this.prefix}totp:{${accountId}}`;
  }
  /** A secret shown on the enrolment page until a first code confirms it (sealed). TTL = `signIn.totp.enrolmentSeconds`. */
  totpPending(accountId: string): string {
    return `${this.prefix}totp:pending:{${accountId}}`;
  }

  // --- rate limits (storage/rate-limiter.ts) -----------------------------------------------------------------------
  /**
   * Prefix of one named limiter's counters; rate-limiter-flexible appends `:<key>`, where the key is a keyed hash
   * (never an ID number, phone or address in clear). TTL = the limiter's window, or its block duration once exceeded.
   */
  rateLimit(name: string): string {
    return `${this.prefix}rl:${name}`;
  }
  /**
   * A sliding window of attempts (storage/attempt-window.ts): sorted set of attempt ids scored by the time they were
   * made (epoch ms, the flows' clock). `name` is the limit (`level2-attempts`, ...), `key` an opaque id (account id).
   * TTL = the window, renewed on each attempt.
   */
  attemptWindow(name: string, key: string): string {
    return `${this.prefix}aw:${name}:{${key}}`;
  }

  // --- keys (storage/signing-key-store.ts) -------------------------------------------------------------------------
  /** The signing key ring (private JWKs with their publication window), JSON; changed by compare-and-set. No TTL. */
  signingKeys(): string {
    return `${this.prefix}keys:signing`;
  }
  /** Development cookie-signing keys, generated once so restarts keep sessions. No TTL. */
  devCookieKeys(): string {
    return `${this.prefix}keys:cookies`;
  }

  // --- development outbox (notifications/dev-outbox.ts; refused in production) ------------------------------------
  /**
   * List of the rendered messages the outbox caught instead of sending, newest first (JSON each). Trimmed to
   * `devOutboxMaxMessages` and expiring `devOutboxTtlMs` after the last message, so a long-running development Redis
   * does not keep codes forever.
   */
  devOutbox(): string {
    return `${this.prefix}dev:outbox`;
  }
  readonly devOutboxMaxMessages: number = 200;
  readonly devOutboxTtlMs: number = 24 * 3_600_000;

  // --- account lifecycle: locks, sessions index, suspensions, registry sync, audit (Decision 34 Art 9-13) ----------
  /**
   * Open locks of one account (storage/lock-ledger.ts): hash lock id -> lock JSON. No TTL (a lock stays until lifted).
   * Its existence is what "locked" means: every instance checks it on each use of the account.
   */
  lockOpen(accountId: string): string {
    return `${this.prefix}lock:open:{${accountId}}`;
  }
  /** Lifted locks of one account, newest first (list of JSON). No TTL; same slot as lockOpen (moved in one MULTI). */
  lockHistory(accountId: string): string {
    return `${this.prefix}lock:history:{${accountId}}`;
  }
  /**
   * The account's Sessions and Grants (storage/oidc-adapter.ts): sorted set "Session:id" / "Grant:id", score = expiry
   * (epoch ms or inf), so a lock can end them all. TTL = its longest-lived member.
   */
  oidcAccountIndex(accountId: string): string {
    return `${this.prefix}oidc:account:{${accountId}}`;
  }
  /** Suspended clients (Decision 34 Art 13.5): hash client id -> suspension JSON. No TTL. */
  clientSuspensions(): string {
    return `${this.prefix}clients:suspended`;
  }
  /** A registry event id already processed (idempotency). TTL = `lifecycle.registry.processedEventRetentionDays`. */
  registryEventProcessed(eventId: string): string {
    return `${this.prefix}registry:event:{${eventId}}`;
  }
  /** Where the reconciliation pass stopped (SCAN cursor over account records). No TTL. */
  registryReconcileCursor(): string {
    return `${this.prefix}registry:reconcile:cursor`;
  }
  /** Pattern of account records for SCAN (the login claims `account:login:{...}` do not match). */
  accountRecordPattern(): string {
    return `${this.prefix}account:{*}`;
  }
  /** A lease held by one instance for a periodic job (storage/singleton-lease.ts). TTL = the lease. */
  lease(name: string): string {
    return `${this.prefix}lease:${name}`;
  }
  /**
   * Audit trail of one account (storage/audit-trail.ts): a stream, trimmed by age (MINID) on every append. No TTL.
   */
  auditAccount(accountId: string): string {
    return `${this.prefix}audit:account:{${accountId}}`;
  }
  /** The whole audit trail (every event, with or without an account), trimmed by age like the per-account streams. */
  auditAll(): string {
    return `${this.prefix}audit:all`;
  }
}
