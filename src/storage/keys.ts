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

  // --- keys (storage/signing-key-store.ts) -------------------------------------------------------------------------
  /** The signing key ring (private JWKs with their publication window), JSON; changed by compare-and-set. No TTL. */
  signingKeys(): string {
    return `${this.prefix}keys:signing`;
  }
  /** Development cookie-signing keys, generated once so restarts keep sessions. No TTL. */
  devCookieKeys(): string {
    return `${this.prefix}keys:cookies`;
  }
}
