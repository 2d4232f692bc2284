import type { Redis } from 'ioredis';
import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import type { AccountLockStatus } from '../domain/ports.js';
import { nowSeconds, systemClock, type Clock } from '../shared/clock.js';
import type { RedisKeys } from './keys.js';
import {
  CONSUME_MODEL,
  DELETE_LOOKUP_IF_POINTS_TO,
  DELETE_MODEL,
  TAKE_GRANT_INDEX,
  UPDATE_GRANT_INDEX,
  UPSERT_MODEL,
} from './oidc-adapter-scripts.js';
import { failClosed } from './redis-unavailable.js';

/** Models whose instances belong to a grant: revoking the grant removes every one of them (as the memory adapter). */
const GRANTABLE_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/**
 * Models that act for an account: none may be written for a locked account (Decision 34 Art 10). Session and Grant are
 * also indexed per account, so that a lock can end every session and revoke every grant (storage/keys.ts
 * oidcAccountIndex).
 */
const ACCOUNT_BOUND_MODELS = new Set([...GRANTABLE_MODELS, 'Session', 'Grant']);
const ACCOUNT_INDEXED_MODELS = new Set(['Session', 'Grant']);

/** How a replayed grant source is named in the error detail (the words oidc-provider's own checks use). */
const SOURCE_LABELS: Record<string, string> = {
  AuthorizationCode: 'authorization code',
  RefreshToken: 'refresh token',
  DeviceCode: 'device code',
  BackchannelAuthenticationRequest: 'backchannel authentication request',
  PreAuthorizedCode: 'pre-authorized code',
};

export interface RedisAdapterOptions {
  /** Time of `consumed` and of grant-index expiry; the provider itself reads Date.now(). */
  clock?: Clock;
  /** The provider's `clockTolerance`: records outlive `expiresIn` by this much, so a tolerated token is still found. */
  clockToleranceSeconds?: number;
  /**
   * The lock ledger. With it, a record acting for a locked account is removed right after it is written and the write
   * fails (see upsert), which is what keeps a token request racing a lock from yielding a usable token.
   */
  lockStatus?: AccountLockStatus;
}

interface Lookups {
  grantId: string;
  uid: string;
  userCode: string;
}

type ConsumeOutcome = 'consumed' | 'replayed' | 'missing';

const stringField = (payload: AdapterPayload, name: string): string => {
  const value: unknown = (payload as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
};

const asStrings = (reply: unknown): string[] =>
  Array.isArray(reply) ? reply.map((item) => (item === null || item === undefined ? '' : String(item))) : [];

/**
 * oidc-provider storage on Redis with the observable behaviour of the library's MemoryAdapter (TTL from `expiresIn`,
 * Session lookup by uid, DeviceCode lookup by user code, grant index so `revokeByGrantId` removes every token of the
 * grant, `destroy` removing its lookups), plus what the memory adapter cannot give: `consume` is one atomic step, so two
 * redemptions of one authorization code or rotated refresh token racing each other never both get tokens.
 *
 * Redis failures reject with DependencyUnavailableError (503); an outage is never reported as "not found".
 */
export class RedisOidcAdapter implements Adapter {
  private readonly clock: Clock;
  private readonly toleranceMs: number;
  private readonly lockStatus: AccountLockStatus | undefined;

  constructor(
    readonly model: string,
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    options: RedisAdapterOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.toleranceMs = (options.clockToleranceSeconds ?? 0) * 1000;
    this.lockStatus = options.lockStatus;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const ttlMs = typeof expiresIn === 'number' ? Math.round(expiresIn * 1000 + this.toleranceMs) : undefined;
    const next: Lookups = {
      grantId: GRANTABLE_MODELS.has(this.model) ? stringField(payload, 'grantId') : '',
      // Only a Session's uid is a lookup; other models (Interaction) carry a uid that nothing resolves.
      uid: this.model === 'Session' ? stringField(payload, 'uid') : '',
      userCode: stringField(payload, 'userCode'),
    };
    // A payload saved as consumed stays consumed for the atomic check too; JSON keeps whatever type it had.
    const consumed: unknown = payload.consumed;
    const consumedField = consumed === undefined || consumed === null || consumed === false ? '' : JSON.stringify(consumed);

    const record = UPSERT_MODEL.run(
      this.redis,
      [this.modelKey(this.model, id)],
      [JSON.stringify(payload), ttlMs === undefined ? '' : ttlMs, next.grantId, next.uid, next.userCode, consumedField],
    );
    const lookups: Promise<unknown>[] = [];
    if (next.uid) lookups.push(this.setLookup(this.keys.oidcSessionUid(next.uid), id, ttlMs));
    if (next.userCode) lookups.push(this.setLookup(this.keys.oidcUserCode(next.userCode), id, ttlMs));
    if (next.grantId) {
      const expiresAt = ttlMs === undefined ? 'inf' : this.clock.now() + ttlMs;
      lookups.push(this.updateGrantIndex(next.grantId, this.member(this.model, id), expiresAt));
    }
    const accountId = ACCOUNT_BOUND_MODELS.has(this.model) ? stringField(payload, 'accountId') : '';
    if (accountId && ACCOUNT_INDEXED_MODELS.has(this.model)) {
      const expiresAt = ttlMs === undefined ? 'inf' : this.clock.now() + ttlMs;
      lookups.push(this.updateAccountIndex(accountId, this.member(this.model, id), expiresAt));
    }
    const [previousReply] = await failClosed(Promise.all([record, ...lookups]));

    const [grantId = '', uid = '', userCode = ''] = asStrings(previousReply);
    await this.removeStaleLookups(id, { grantId, uid, userCode }, next);
    if (accountId) await this.refuseIfLocked(id, accountId);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.load(this.model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await failClosed(this.redis.get(this.keys.oidcSessionUid(uid)));
    return id === null ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await failClosed(this.redis.get(this.keys.oidcUserCode(userCode)));
    return id === null ? undefined : this.find(id);
  }

  /**
   * Marks a grant source consumed. Exactly one caller wins; a caller that finds it already consumed revokes the whole
   * grant (its tokens and the Grant itself, as the provider does for a replay it detects) and gets the protocol error,
   * which the token endpoint answers with 400 invalid_grant (RFC 6749 4.1.2: a code used twice revokes its tokens).
   */
  async consume(id: string): Promise<void> {
    const reply = await failClosed(
      CONSUME_MODEL.run(this.redis, [this.modelKey(this.model, id)], [nowSeconds(this.clock)]),
    );
    const [outcome = 'missing', grantId = ''] = asStrings(reply) as [ConsumeOutcome?, string?];
    if (outcome === 'consumed') return;
    if (outcome === 'replayed' && grantId) {
      await Promise.all([this.revokeByGrantId(grantId), this.deleteModel('Grant', grantId)]);
    }
    throw this.consumeError(outcome);
  }

  async destroy(id: string): Promise<void> {
    await this.deleteModel(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const members = asStrings(await failClosed(TAKE_GRANT_INDEX.run(this.redis, [this.keys.oidcGrantIndex(grantId)])));
    const deletions = members.map((member) => {
      const separator = member.indexOf(':');
      const model = member.slice(0, separator);
      const id = member.slice(separator + 1);
      return DELETE_MODEL.run(this.redis, [this.modelKey(model, id)]).then((reply) => ({ id, reply }));
    });
    const deleted = await failClosed(Promise.all(deletions));
    // Only the secondary lookups: the grant index itself is already gone.
    await failClosed(
      Promise.all(
        deleted.flatMap(({ id, reply }) => {
          const [, , uid = '', userCode = ''] = asStrings(reply);
          return this.deleteLookups(id, uid, userCode);
        }),
      ),
    );
  }

  /**
   * Decision 34 Art 10: nothing acts for a locked account. Checked after the write and its indexes, never before: a
   * lock recorded before this check is seen here and the record is removed; a lock recorded after it finds the record
   * in the grant and account indexes and revokes it. Either way no usable record outlives the lock, without a
   * cross-slot transaction.
   */
  private async refuseIfLocked(id: string, accountId: string): Promise<void> {
    if (!this.lockStatus || !(await this.lockStatus.isLocked(accountId))) return;
    await this.deleteModel(this.model, id);
    // At the token endpoint this is invalid_grant; at the authorization endpoint (Session, Grant) access_denied.
    if (this.model === 'Session' || this.model === 'Grant') throw new errors.AccessDenied('the account cannot be used');
    throw new errors.InvalidGrant('the account cannot be used');
  }

  private async load(model: string, id: string): Promise<AdapterPayload | undefined> {
    const fields = await failClosed(this.redis.hgetall(this.modelKey(model, id)));
    const json = fields.payload;
    if (json === undefined) return undefined;
    const payload = JSON.parse(json) as AdapterPayload;
    // Epoch seconds when set by consume(); the payload's own value, JSON-encoded, when saved consumed.
    if (fields.consumed !== undefined) payload.consumed = JSON.parse(fields.consumed) as unknown;
    return payload;
  }

  private async deleteModel(model: string, id: string): Promise<void> {
    const reply = asStrings(await failClosed(DELETE_MODEL.run(this.redis, [this.modelKey(model, id)])));
    const [existed = '0', grantId = '', uid = '', userCode = ''] = reply;
    if (existed !== '1') return;
    const cleanups = this.deleteLookups(id, uid, userCode);
    if (grantId) cleanups.push(this.updateGrantIndex(grantId, this.member(model, id), ''));
    await failClosed(Promise.all(cleanups));
  }

  /** The memory adapter drops the previous version's lookups before writing the new ones; same net effect here. */
  private async removeStaleLookups(id: string, previous: Lookups, next: Lookups): Promise<void> {
    const cleanups = this.deleteLookups(
      id,
      previous.uid !== next.uid ? previous.uid : '',
      previous.userCode !== next.userCode ? previous.userCode : '',
    );
    if (previous.grantId && previous.grantId !== next.grantId) {
      cleanups.push(this.updateGrantIndex(previous.grantId, this.member(this.model, id), ''));
    }
    if (cleanups.length > 0) await failClosed(Promise.all(cleanups));
  }

  private deleteLookups(id: string, uid: string, userCode: string): Promise<unknown>[] {
    const deletions: Promise<unknown>[] = [];
    if (uid) deletions.push(DELETE_LOOKUP_IF_POINTS_TO.run(this.redis, [this.keys.oidcSessionUid(uid)], [id]));
    if (userCode) deletions.push(DELETE_LOOKUP_IF_POINTS_TO.run(this.redis, [this.keys.oidcUserCode(userCode)], [id]));
    return deletions;
  }

  private setLookup(key: string, id: string, ttlMs: number | undefined): Promise<unknown> {
    if (ttlMs === undefined) return this.redis.set(key, id);
    // An expiry already in the past: the lookup is as good as gone (PX refuses 0 and negatives).
    if (ttlMs <= 0) return this.redis.del(key);
    return this.redis.set(key, id, 'PX', ttlMs);
  }

  private updateGrantIndex(grantId: string, member: string, expiresAt: number | 'inf' | ''): Promise<unknown> {
    return UPDATE_GRANT_INDEX.run(this.redis, [this.keys.oidcGrantIndex(grantId)], [this.clock.now(), member, expiresAt]);
  }

  private updateAccountIndex(accountId: string, member: string, expiresAt: number | 'inf'): Promise<unknown> {
    // Same bookkeeping as a grant index: members scored by expiry, the key living as long as its longest member.
    return UPDATE_GRANT_INDEX.run(this.redis, [this.keys.oidcAccountIndex(accountId)], [this.clock.now(), member, expiresAt]);
  }

  private consumeError(outcome: ConsumeOutcome): Error {
    if (this.model === 'PushedAuthorizationRequest') {
      // Raised at the authorization endpoint, where the provider uses this error for a used request_uri.
      return new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used');
    }
    const label = SOURCE_LABELS[this.model] ?? this.model;
    return new errors.InvalidGrant(outcome === 'replayed' ? `${label} already consumed` : `${label} not found`);
  }

  private modelKey(model: string, id: string): string {
    return this.keys.oidcModel(model, id);
  }

  private member(model: string, id: string): string {
    return `${model}:${id}`;
  }
}

/**
 * The Provider's `adapter` option. oidc-provider calls a non-constructable function once per model name (see its
 * initialize_adapter / base_model), so an arrow function is the right shape; all models share one client.
 */
export function createRedisAdapterFactory(
  redis: Redis,
  keys: RedisKeys,
  options: RedisAdapterOptions = {},
): AdapterFactory {
  return (name: string) => new RedisOidcAdapter(name, redis, keys, options);
}
