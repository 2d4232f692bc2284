import type { RedisConnection } from './redis-client.js';
import type { SingletonLease } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] lease; ARGV[1] holder, ARGV[2] ttl ms. Takes a free lease or renews one this holder already has; never
 * takes another holder's lease before it expires.
 */
const ACQUIRE_LEASE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`);

/** KEYS[1] lease; ARGV[1] holder. Releases only one's own lease. */
const RELEASE_LEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/** A Redis lease so that one instance at a time runs a periodic job (the registry reconciliation). */
export class RedisSingletonLease implements SingletonLease {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await failClosed(ACQUIRE_LEASE.run(this.redis, [this.keys.lease(name)], [holder, Math.max(1, Math.round(ttlMs))]))) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await failClosed(RELEASE_LEASE.run(this.redis, [this.keys.lease(name)], [holder]));
  }
}
