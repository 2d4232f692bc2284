import type { RedisConnection } from './redis-client.js';
import type { Account } from '../domain/account.js';
import type { AccountStore } from '../domain/ports.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] login claim; ARGV[1] account id, ARGV[2] lifetime in ms (0 = permanent). Gives the claim its final lifetime
 * (permanent for an active account, the activation deadline for a pending one), but only if it is still this account's.
 */
const CONFIRM_CLAIM = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '0' then
    redis.call('PERSIST', KEYS[1])
  else
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
  return 1
end
return 0
`);

/**
 * KEYS[1] login claim; ARGV[1] previous account id, ARGV[2] '1' if that account's record is known to be gone,
 * ARGV[3] new account id, ARGV[4] lifetime in ms. Moves the claim to the new pending account only while it still
 * belongs to the previous one and is still pending: a pending claim expires, an activated one does not (activation
 * makes the claim permanent first, see ACTIVATE_RECORD), so this one key decides between an activation and a
 * replacement. A claim without expiry whose record is gone was left by an activation that crashed half-way and was
 * never retried; a claim that still expires without a record is an account being created right now (left alone).
 */
const REPLACE_PENDING_CLAIM = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ARGV[2] == '1' then
  if ttl >= 0 then return 0 end
elseif ttl < 0 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1
`);

/**
 * KEYS[1] account record; ARGV[1] the activated record (JSON). Writes it, without expiry, only over a record that is
 * still pending activation: of two concurrent activations exactly one wins. 1 = activated, 0 = not pending, -1 = gone.
 */
const ACTIVATE_RECORD = new LuaScript(`
local stored = redis.call('GET', KEYS[1])
if not stored then return -1 end
if cjson.decode(stored).status ~= 'pending_activation' then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`);

/** KEYS[1] login claim; ARGV[1] account id. Gives the login name back, but never someone else's claim. */
const RELEASE_CLAIM = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * KEYS[1] account record; ARGV[1] the record as read (JSON), ARGV[2] the new record. Compare-and-set on the whole
 * stored text, keeping the TTL of a pending record: 1 written, 0 changed or gone meanwhile.
 */
const REPLACE_RECORD_IF_UNCHANGED = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`);

/** Compare-and-set rounds of update() before concluding that something is wrong. */
const MAX_UPDATE_ATTEMPTS = 10;

/** Records written before activation existed carry no status: they were created active. */
function parseAccount(json: string): Account {
  const stored = JSON.parse(json) as Account;
  return stored.status === undefined ? { ...stored, status: 'active' } : stored;
}

/**
 * Accounts in Redis: the record under its opaque id, and the login name (ID number, or passport + nationality)
 * pointing at it. The login name is claimed before anything is written, so that of any number of concurrent
 * registrations of one identity exactly one creates an account (Decision 34 Art 6: one identity, one account).
 *
 * An account pending activation (Decision 34 Art 7) has both keys expire at its activation deadline, so an
 * unactivated registration frees the identity by itself. The two keys live in different cluster slots and cannot be
 * written in one transaction; every change is ordered so that a crash between two steps leaves either a state that
 * expires, or one the next attempt repairs (see activate and replacePending).
 */
export class RedisAccountStore implements AccountStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    /** Turns a pending account's `activationExpiresAt` into a lifetime; the flows' clock. */
    private readonly clock: Clock = systemClock,
  ) {}

  async create(account: Account, loginKey: string): Promise<boolean> {
    const lifetimeMs = this.lifetimeOf(account);
    const claimKey = this.keys.accountLogin(loginKey);
    await this.indexDependant(account);
    // Decision 34 Art 6: SET NX is the single arbiter of "this identity has no account yet". The claim is provisional
    // (it expires) until the record exists, so a crash between the two writes cannot lock the identity out for good.
    const claimed = await failClosed(
      this.redis.set(claimKey, account.id, 'PX', this.keys.accountLoginClaimMs, 'NX'),
    );
    if (claimed === null) return false;

    const recordKey = this.keys.account(account.id);
    let written: string | null;
    try {
      written = await failClosed(this.writeNewRecord(recordKey, account, lifetimeMs));
    } catch (error) {
      // The write may have landed before the connection failed: remove our record too (the id is ours alone).
      await this.undo(claimKey, account.id, recordKey);
      throw error;
    }
    if (written === null) {
      await this.undo(claimKey, account.id);
      // Ids are 128 random bits: a clash means the caller reused an id, which is a bug, not an expected outcome.
      throw new Error('account id already in use');
    }

    let confirmed: unknown;
    try {
      confirmed = await failClosed(CONFIRM_CLAIM.run(this.redis, [claimKey], [account.id, lifetimeMs]));
    } catch (error) {
      await this.undo(claimKey, account.id, recordKey);
      throw error;
    }
    if (confirmed !== 1) {
      // We stalled past the claim's lifetime and another registration took the login name: it owns the identity.
      await failClosed(this.redis.del(recordKey));
      return false;
    }
    return true;
  }

  async findById(id: string): Promise<Account | undefined> {
    const json = await failClosed(this.redis.get(this.keys.account(id)));
    return json === null ? undefined : parseAccount(json);
  }

  async findByLoginKey(loginKey: string): Promise<Account | undefined> {
    const id = await this.claimantOf(loginKey);
    return id === undefined ? undefined : this.findById(id);
  }

  async claimantOf(loginKey: string): Promise<string | undefined> {
    const id = await failClosed(this.redis.get(this.keys.accountLogin(loginKey)));
    return id ?? undefined;
  }

  /**
   * Updates an existing account; saving one that does not exist is a bug (accounts are only made by `create`). KEEPTTL:
   * saving a pending account must not make it permanent; only activation does.
   */
  async save(account: Account): Promise<void> {
    const updated = await failClosed(
      this.redis.set(this.keys.account(account.id), JSON.stringify(account), 'KEEPTTL', 'XX'),
    );
    if (updated === null) throw new Error('cannot save an account that does not exist');
  }

  async replacePending(
    loginKey: string,
    previousAccountId: string,
    previousRecordGone: boolean,
    account: Account,
  ): Promise<boolean> {
    const lifetimeMs = this.lifetimeOf(account);
    if (lifetimeMs === 0) throw new Error('only a pending account can replace a pending registration');
    await this.indexDependant(account);
    const recordKey = this.keys.account(account.id);
    // The new record first: until the claim points at it nobody can reach it, and it expires with its deadline.
    let written: string | null;
    try {
      written = await failClosed(this.writeNewRecord(recordKey, account, lifetimeMs));
    } catch (error) {
      await Promise.allSettled([this.redis.del(recordKey)]);
      throw error;
    }
    if (written === null) throw new Error('account id already in use');

    // If this fails we cannot know whether the claim moved; either way nothing is left that does not expire with the
    // new deadline, and the next registration finds a normal pending one or a replaceable claim without a record.
    const moved = await failClosed(
      REPLACE_PENDING_CLAIM.run(
        this.redis,
        [this.keys.accountLogin(loginKey)],
        [previousAccountId, previousRecordGone ? '1' : '0', account.id, lifetimeMs],
      ),
    );
    if (moved !== 1) {
      await failClosed(this.redis.del(recordKey));
      return false;
    }
    // The previous pending account can no longer be activated (its claim is gone): remove what it held now rather
    // than when it expires. Best effort; it expires by itself.
    await Promise.allSettled([this.redis.del(this.keys.account(previousAccountId))]);
    return true;
  }

  /**
   * Claim first, record second: once the claim is permanent no replacement can take the login name (see
   * REPLACE_PENDING_CLAIM), and a crash before the record is written leaves a permanent claim over a pending record,
   * which the retry of the same activation completes. Only one of concurrent activations writes the record.
   */
  async activate(activated: Account, loginKey: string): Promise<'activated' | 'not_pending' | 'gone'> {
    if (activated.status !== 'active') throw new Error('activate() writes an active account');
    // Again, idempotently: a reader may have dropped the id while the pending record was still being written.
    await this.indexDependant(activated);
    const claimKey = this.keys.accountLogin(loginKey);
    const claimed = await failClosed(CONFIRM_CLAIM.run(this.redis, [claimKey], [activated.id, 0]));
    if (claimed !== 1) return 'gone';
    const written = await failClosed(
      ACTIVATE_RECORD.run(this.redis, [this.keys.account(activated.id)], [JSON.stringify(activated)]),
    );
    if (written === -1) {
      // The record expired between the two steps: give the login name back rather than leave it claimed for good.
      await failClosed(RELEASE_CLAIM.run(this.redis, [claimKey], [activated.id]));
      return 'gone';
    }
    return written === 1 ? 'activated' : 'not_pending';
  }

  async update(accountId: string, change: (account: Account) => Account | undefined): Promise<Account | undefined> {
    const key = this.keys.account(accountId);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
      const json = await failClosed(this.redis.get(key));
      if (json === null) return undefined;
      const current = parseAccount(json);
      const next = change(current);
      if (next === undefined) return current;
      if (next.id !== accountId) throw new Error('update() cannot change an account id');
      const written = await failClosed(REPLACE_RECORD_IF_UNCHANGED.run(this.redis, [key], [json, JSON.stringify(next)]));
      if (written === 1) return next;
    }
    throw new Error(`account changed concurrently ${MAX_UPDATE_ATTEMPTS} times in a row`);
  }

  async dependantsOf(representativeAccountId: string): Promise<Account[]> {
    const indexKey = this.keys.accountDependants(representativeAccountId);
    const ids = await failClosed(this.redis.smembers(indexKey));
    const found = await Promise.all(ids.map(async (id) => ({ id, account: await this.findById(id) })));
    // Registrations never activated expire with their record: their ids are dropped here rather than by a sweeper.
    const gone = found.filter((entry) => entry.account === undefined).map((entry) => entry.id);
    if (gone.length > 0) await failClosed(this.redis.srem(indexKey, ...gone));
    return found
      .map((entry) => entry.account)
      .filter((account): account is Account => account?.representativeAccountId === representativeAccountId)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * Decision 34 Art 6.2, 6.3: remembers a dependant under its representative before its record is written, so a crash
   * in between leaves at most an id whose record never appears (dropped by dependantsOf), never a missing entry.
   */
  private async indexDependant(account: Account): Promise<void> {
    if (account.representativeAccountId === undefined) return;
    await failClosed(this.redis.sadd(this.keys.accountDependants(account.representativeAccountId), account.id));
  }

  /** 0 = permanent (active account); otherwise the time left until the pending account's activation deadline. */
  private lifetimeOf(account: Account): number {
    if (account.status !== 'pending_activation') return 0;
    if (account.activationExpiresAt === undefined) throw new Error('a pending account needs activationExpiresAt');
    const lifetimeMs = account.activationExpiresAt - this.clock.now();
    if (lifetimeMs <= 0) throw new Error('a pending account must not be created already expired');
    return lifetimeMs;
  }

  private writeNewRecord(recordKey: string, account: Account, lifetimeMs: number): Promise<string | null> {
    const json = JSON.stringify(account);
    return lifetimeMs === 0
      ? this.redis.set(recordKey, json, 'NX')
      : this.redis.set(recordKey, json, 'PX', lifetimeMs, 'NX');
  }

  /**
   * Best effort: while Redis is unreachable this cannot run, and the claim then expires by itself after
   * `accountLoginClaimMs`. The original failure is what the caller needs to see, so this one is not rethrown.
   */
  private async undo(claimKey: string, accountId: string, recordKey?: string): Promise<void> {
    const steps: Promise<unknown>[] = [RELEASE_CLAIM.run(this.redis, [claimKey], [accountId])];
    if (recordKey) steps.push(this.redis.del(recordKey));
    await Promise.allSettled(steps);
  }
}
