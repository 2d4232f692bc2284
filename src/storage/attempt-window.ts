import type { RedisConnection } from './redis-client.js';
import type { AttemptWindow, AttemptWindowState } from '../domain/ports.js';
import { randomId } from '../shared/ids.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] window (sorted set); ARGV[1] now (ms), ARGV[2] window (ms), ARGV[3] limit, ARGV[4] attempt id.
 * Drops attempts older than the window, then counts one more unless the window is full. One script, so concurrent
 * requests of one account can never together exceed the limit. Returns { taken (0|1), counted, oldest score or '' }.
 */
const TAKE = new LuaScript(`
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local counted = redis.call('ZCARD', KEYS[1])
local taken = 0
if counted < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  counted = counted + 1
  taken = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { taken, counted, oldest[2] or '' }
`);

/** KEYS[1] window; ARGV[1] now (ms), ARGV[2] window (ms). Read only: { counted, oldest score or '' } within the window. */
const PEEK = new LuaScript(`
local from = '(' .. (tonumber(ARGV[1]) - tonumber(ARGV[2]))
local counted = redis.call('ZCOUNT', KEYS[1], from, '+inf')
local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return { counted, oldest[2] or '' }
`);

export interface AttemptWindowRule {
  points: number;
  windowSeconds: number;
}

/**
 * A sliding-window limit in Redis (a sorted set of attempt times per key), so "at most 5 in any 6 hours" holds exactly
 * rather than per fixed slot, every instance shares it, and time comes from the caller's clock. Fails closed.
 */
export class RedisAttemptWindow implements AttemptWindow {
  private readonly windowMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    /** Part of the key: `level2-attempts`, ... */
    readonly name: string,
    readonly rule: AttemptWindowRule,
  ) {
    if (!Number.isInteger(rule.points) || rule.points < 1) throw new Error(`attempt window ${name}: points must be >= 1`);
    if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1) {
      throw new Error(`attempt window ${name}: windowSeconds must be >= 1`);
    }
    this.windowMs = rule.windowSeconds * 1000;
  }

  async take(
    key: string,
    now: number,
  ): Promise<{ taken: true; attemptId: string; state: AttemptWindowState } | { taken: false; state: AttemptWindowState }> {
    const attemptId = randomId(9);
    const reply = await failClosed(
      TAKE.run(this.redis, [this.keyOf(key)], [Math.floor(now), this.windowMs, this.rule.points, attemptId]),
    );
    const [taken, counted, oldest] = reply as [number, number, string];
    const state = this.stateOf(Number(counted), oldest);
    return Number(taken) === 1 ? { taken: true, attemptId, state } : { taken: false, state };
  }

  async giveBack(key: string, attemptId: string): Promise<void> {
    await failClosed(this.redis.zrem(this.keyOf(key), attemptId));
  }

  async peek(key: string, now: number): Promise<AttemptWindowState> {
    const reply = await failClosed(PEEK.run(this.redis, [this.keyOf(key)], [Math.floor(now), this.windowMs]));
    const [counted, oldest] = reply as [number, string];
    return this.stateOf(Number(counted), oldest);
  }

  private stateOf(counted: number, oldest: string): AttemptWindowState {
    const remaining = Math.max(0, this.rule.points - counted);
    return oldest === '' ? { remaining } : { remaining, freesAt: Number(oldest) + this.windowMs };
  }

  private keyOf(key: string): string {
    return this.keys.attemptWindow(this.name, key);
  }
}
