import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisConnection } from './redis-client.js';
import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import { DependencyUnavailableError } from '../domain/errors.js';
import type { AccountLockStatus } from '../domain/ports.js';
import { nowSeconds, systemClock, type Clock } from '../shared/clock.js';
import type { RedisKeys } from './keys.js';
import {
  type AdapterScript,
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

/** One command of an upsert: an adapter script on one key, or a plain command (a lookup's SET or DEL). */
type Write =
  | { script: AdapterScript; key: string; args: (string | number)[] }
  | { command: 'set' | 'del'; key: string; args: (string | number)[] };

function lookupWrite(key: string, id: string, ttlMs: number | undefined): Write {
  if (ttlMs === undefined) return { command: 'set', key, args: [id] };
  // An expiry already in the past: the lookup is as good as gone (PX refuses 0 and negatives).
  if (ttlMs <= 0) return { command: 'del', key, args: [] };
  return { command: 'set', key, args: [id, 'PX', ttlMs] };
}

/**
 * The lock ledger when it can put its check in the adapter's pipeline (storage/lock-ledger.ts): `queueIsLocked` queues
 * the same question as `isLocked` and returns how to read its reply.
 */
export interface QueueableLockStatus extends AccountLockStatus {
  queueIsLocked(pipeline: ChainableCommander, accountId: string): (reply: unknown) => boolean;
}

const isQueueable = (lockStatus: AccountLockStatus): lockStatus is QueueableLockStatus =>
  typeof (lockStatus as Partial<QueueableLockStatus>).queueIsLocked === 'function';

/**
 * Whether Redis runs this connection's commands in the order they are sent: one node, reached directly. Not on Redis
 * Cluster (the keys of one upsert live on different masters) nor through Sentinel (after a fail-over a write refused
 * as READONLY is sent again to the new master, behind a read the old one already answered).
 */
const runsInSendOrder = (redis: RedisConnection): boolean => !isCluster(redis) && (redis.options.sentinels ?? []).length === 0;

const unavailable = (cause: Error): DependencyUnavailableError => {
  const error = new DependencyUnavailableError('redis');
  error.cause = cause;
  return error;
};

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
  private readonly sendsInOrder: boolean;

  constructor(
    readonly model: string,
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    options: RedisAdapterOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.toleranceMs = (options.clockToleranceSeconds ?? 0) * 1000;
    this.lockStatus = options.lockStatus;
    this.sendsInOrder = runsInSendOrder(redis);
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

    const record: Write = {
      script: UPSERT_MODEL,
      key: this.modelKey(this.model, id),
      args: [JSON.stringify(payload), ttlMs === undefined ? '' : ttlMs, next.grantId, next.uid, next.userCode, consumedField],
    };
    const lookups: Write[] = [];
    if (next.uid) lookups.push(lookupWrite(this.keys.oidcSessionUid(next.uid), id, ttlMs));
    if (next.userCode) lookups.push(lookupWrite(this.keys.oidcUserCode(next.userCode), id, ttlMs));
    const expiresAt = ttlMs === undefined ? 'inf' : this.clock.now() + ttlMs;
    if (next.grantId) lookups.push(this.indexWrite(this.keys.oidcGrantIndex(next.grantId), this.member(this.model, id), expiresAt));
    const accountId = ACCOUNT_BOUND_MODELS.has(this.model) ? stringField(payload, 'accountId') : '';
    if (accountId && ACCOUNT_INDEXED_MODELS.has(this.model)) {
      // Same bookkeeping as a grant index: members scored by expiry, the key living as long as its longest member.
      lookups.push(this.indexWrite(this.keys.oidcAccountIndex(accountId), this.member(this.model, id), expiresAt));
    }
    const lockStatus = accountId ? this.lockStatus : undefined;
    // One pipeline when Redis keeps its order and there is more than the record to send: it saves the lock check's
    // round trip, and socket writes.
    const pipelined = this.sendsInOrder && (lockStatus === undefined || isQueueable(lockStatus)) && (lockStatus !== undefined || lookups.length > 0);
    const written = pipelined
      ? await this.writeInOnePipeline(record, lookups, lockStatus && isQueueable(lockStatus) ? { ledger: lockStatus, accountId } : undefined)
      : { previous: await this.writeConcurrently(record, lookups), locked: undefined };

    const [grantId = '', uid = '', userCode = ''] = asStrings(written.previous);
    await this.removeStaleLookups(id, { grantId, uid, userCode }, next);
    if (accountId) await this.refuseIfLocked(id, accountId, written.locked);
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
  private async refuseIfLocked(id: string, accountId: string, lockedAfterWrites: boolean | undefined): Promise<void> {
    const locked = lockedAfterWrites ?? (this.lockStatus ? await this.lockStatus.isLocked(accountId) : false);
    if (!locked) return;
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

  private indexWrite(key: string, member: string, expiresAt: number | 'inf'): Write {
    return { script: UPDATE_GRANT_INDEX, key, args: [this.clock.now(), member, expiresAt] };
  }

  private updateGrantIndex(grantId: string, member: string, expiresAt: number | 'inf' | ''): Promise<unknown> {
    return UPDATE_GRANT_INDEX.run(this.redis, [this.keys.oidcGrantIndex(grantId)], [this.clock.now(), member, expiresAt]);
  }

  /** The record and its lookups at once, each its own command: resolves with the record script's reply. */
  private async writeConcurrently(record: Write, lookups: readonly Write[]): Promise<unknown> {
    const [previous] = await failClosed(Promise.all([record, ...lookups].map((write) => this.send(write))));
    return previous;
  }

  /**
   * The record, its lookups and indexes, then the lock check, in one pipeline: one write to the socket and one round
   * trip instead of two. On a single connection Redis runs a client's commands in the order sent, so the lock is read
   * after every write has been applied, exactly as when it is asked after their replies (see refuseIfLocked). A script
   * the server had lost (NOSCRIPT, after SCRIPT FLUSH) did not run: it is run again, and then the lock is asked again,
   * after it, because the answer in the pipeline came before that write.
   */
  private async writeInOnePipeline(
    record: Write,
    lookups: readonly Write[],
    lockCheck: { ledger: QueueableLockStatus; accountId: string } | undefined,
  ): Promise<{ previous: unknown; locked: boolean | undefined }> {
    const writes = [record, ...lookups];
    const pipeline = this.redis.pipeline();
    for (const write of writes) {
      if ('script' in write) pipeline.evalsha(write.script.digest, 1, write.key, ...write.args);
      else pipeline.call(write.command, write.key, ...write.args);
    }
    const readLocked = lockCheck ? lockCheck.ledger.queueIsLocked(pipeline, lockCheck.accountId) : undefined;
    const replies = (await failClosed(pipeline.exec())) ?? [];
    if (replies.length !== writes.length + (readLocked ? 1 : 0)) throw new DependencyUnavailableError('redis');

    const results: unknown[] = [];
    let rerun = false;
    for (const [index, write] of writes.entries()) {
      const [error, reply] = replies[index] ?? [new Error('no reply'), undefined];
      if (error && 'script' in write && error.message.startsWith('NOSCRIPT')) {
        rerun = true;
        results.push(await failClosed(this.send(write)));
      } else if (error) {
        throw unavailable(error);
      } else {
        results.push(reply);
      }
    }
    let locked: boolean | undefined;
    if (readLocked && !rerun) {
      const [error, reply] = replies[writes.length] ?? [new Error('no reply'), undefined];
      if (error) throw unavailable(error);
      locked = readLocked(reply);
    }
    return { previous: results[0], locked };
  }

  private send(write: Write): Promise<unknown> {
    if ('script' in write) return write.script.run(this.redis, [write.key], write.args);
    return this.redis.call(write.command, write.key, ...write.args);
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
  redis: RedisConnection,
  keys: RedisKeys,
  options: RedisAdapterOptions = {},
): AdapterFactory {
  return (name: string) => new RedisOidcAdapter(name, redis, keys, options);
}
