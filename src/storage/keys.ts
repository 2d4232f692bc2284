/**
 * Every Redis key pattern and TTL of the provider, in one place (ARCHITECTURE convention 7).
 *
 * Cluster: the part in {braces} is the hash tag, so keys that one atomic operation touches share a slot. Keys of
 * different records are never touched atomically together; multi-key writes across records are pipelines.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  // --- oidc-provider models (storage/oidc-adapter.ts) -------------------------------------------------------------
  /** One stored model instance (Session, AccessToken, AuthorizationCode, ...), JSON, TTL = the model's expiry. */
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
  /** Set of model keys issued under one grant, so that revoking the grant removes them all. */
  oidcGrantIndex(grantId: string): string {
    return `${this.prefix}oidc:grant:{${grantId}}`;
  }

  // --- accounts (storage/account-store.ts) ------------------------------------------------------------------------
  /** The account record, JSON. No TTL. */
  account(accountId: string): string {
    return `${this.prefix}account:{${accountId}}`;
  }
  /** Login name -> account id; SET NX enforces one identity, one account (Decision 34 Art 6). No TTL. */
  accountLogin(loginKey: string): string {
    return `${this.prefix}account:login:{${loginKey}}`;
  }

  // --- keys (storage/signing-key-store.ts) -------------------------------------------------------------------------
  /** The signing key ring, a private JWKS as JSON. No TTL. */
  signingKeys(): string {
    return `${this.prefix}keys:signing`;
  }
  /** Development cookie-signing keys, generated once so restarts keep sessions. No TTL. */
  devCookieKeys(): string {
    return `${this.prefix}keys:cookies`;
  }
}
