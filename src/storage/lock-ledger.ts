import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from './redis-client.js';
import type { AccountLock, LiftedLock } from '../domain/lock.js';
import type { LockLedger } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] open locks (hash), KEYS[2] history (list); ARGV[1] lock id, ARGV[2] lifted lock JSON.
 * Moves the lock from open to history only if it is still open, so two concurrent lifts record one restoration.
 * Both keys carry the account id as hash tag (same slot).
 */
const LIFT_LOCK = new LuaScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1
`);

/** KEYS[1] open locks; ARGV[1] lock id, ARGV[2] lock JSON. Replaces the lock only while it is open. */
const UPDATE_OPEN_LOCK = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/**
 * The lock ledger in Redis (Decision 34 Art 10, 11): a hash of open locks per account, whose mere existence means
 * "locked", and the list of lifted locks. Nothing expires: Redis must run with AOF and `noeviction` (README). No cache
 * in front of it, so a lock recorded by one instance holds in every other at its next read.
 */
export class RedisLockLedger implements LockLedger {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async isLocked(accountId: string): Promise<boolean> {
    return (await failClosed(this.redis.exists(this.keys.lockOpen(accountId)))) === 1;
  }

  /**
   * isLocked's question queued on a caller's pipeline, behind the caller's own writes, so that Redis answers it after
   * applying them (storage/oidc-adapter.ts); the returned function reads its reply.
   */
  queueIsLocked(pipeline: ChainableCommander, accountId: string): (reply: unknown) => boolean {
    pipeline.exists(this.keys.lockOpen(accountId));
    return (reply) => reply === 1;
  }

  async open(lock: AccountLock): Promise<void> {
    await failClosed(this.redis.hset(this.keys.lockOpen(lock.accountId), lock.id, JSON.stringify(lock)));
  }

  async openLocks(accountId: string): Promise<AccountLock[]> {
    const stored = await failClosed(this.redis.hvals(this.keys.lockOpen(accountId)));
    return stored.map((json) => JSON.parse(json) as AccountLock).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  }

  async lift(lifted: LiftedLock): Promise<boolean> {
    const reply = await failClosed(
      LIFT_LOCK.run(this.redis, [this.keys.lockOpen(lifted.accountId), this.keys.lockHistory(lifted.accountId)], [lifted.id, JSON.stringify(lifted)]),
    );
    return reply === 1;
  }

  async update(lock: AccountLock): Promise<boolean> {
    const reply = await failClosed(UPDATE_OPEN_LOCK.run(this.redis, [this.keys.lockOpen(lock.accountId)], [lock.id, JSON.stringify(lock)]));
    return reply === 1;
  }

  async history(accountId: string, limit: number): Promise<LiftedLock[]> {
    if (limit <= 0) return [];
    const stored = await failClosed(this.redis.lrange(this.keys.lockHistory(accountId), 0, limit - 1));
    return stored.map((json) => JSON.parse(json) as LiftedLock);
  }
}
