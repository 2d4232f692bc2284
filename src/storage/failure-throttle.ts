import type { RedisConnection } from './redis-client.js';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { delayAfterFailures, disabledAfter, type ThrottlePolicy, type ThrottleVerdict } from '../domain/failure-throttle.js';
import type { FailureThrottle } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] a `-wait` counter. Its value and remaining time in one command: rate-limiter-flexible's own read is
 * MULTI GET PTTL EXEC (four commands), and every sign-in reads two of these before the password is looked at.
 */
const READ_WAIT = new LuaScript(`
local points = redis.call('GET', KEYS[1])
if not points then return false end
return {points, redis.call('PTTL', KEYS[1])}
`);

export interface FailureThrottleRule extends ThrottlePolicy {
  /** How long a failure stays counted when no success clears it (a fixed window from the first failure). */
  windowSeconds: number;
}

/** A disabled authenticator stays disabled until `recover` (the owner's recovery), whatever the time. */
const FOREVER = 0;

/**
 * Failed attempts of one kind (the password of a login name, the TOTP of an account, sign-in failures from one IP ...)
 * counted in Redis with rate-limiter-flexible, so every instance shares them. Three counters per key, each one
 * rate-limiter-flexible key under `keys.rateLimit(<name>-...)`:
 *   `-failures`  consecutive failures (a fixed window of `windowSeconds`), only ever cleared by `clear` / `recover`;
 *   `-wait`      blocked for the current wait once a failure reached `freeFailures` (Redis expires it: no sleeping);
 *   `-disabled`  blocked with no expiry once `disableAfterFailures` was reached (NIST SP 800-63B 5.2.2).
 * Fails closed: a Redis outage is a DependencyUnavailableError (503), never an attempt let through uncounted.
 */
export class RedisFailureThrottle implements FailureThrottle {
  private readonly failures: RateLimiterRedis;
  private readonly waits: RateLimiterRedis;
  private readonly disabled: RateLimiterRedis;

  constructor(
    private readonly redis: RedisConnection,
    keys: RedisKeys,
    /** Part of the counters' keys: `signin-password`, `signin-ip`, `signin-totp` ... */
    readonly name: string,
    readonly rule: FailureThrottleRule,
  ) {
    const base = { storeClient: redis, rejectIfRedisNotReady: true };
    this.failures = new RateLimiterRedis({
      ...base,
      keyPrefix: keys.rateLimit(`${name}-failures`),
      // Counted with penalty(), which never refuses: the limit is ours (disabledAfter), not the library's.
      points: Number.MAX_SAFE_INTEGER,
      duration: rule.windowSeconds,
    });
    this.waits = new RateLimiterRedis({ ...base, keyPrefix: keys.rateLimit(`${name}-wait`), points: 1, duration: 1 });
    this.disabled = new RateLimiterRedis({ ...base, keyPrefix: keys.rateLimit(`${name}-disabled`), points: 1, duration: 1 });
  }

  /**
   * Read on every attempt, so read directly rather than through rate-limiter-flexible's get (MULTI GET PTTL EXEC per
   * counter): an EXISTS and one script, the same keys the library writes (`getKey`, `<prefix>:<key>`).
   */
  async check(key: string): Promise<ThrottleVerdict> {
    const [disabled, wait] = await failClosed(
      Promise.all([this.redis.exists(this.disabled.getKey(key)), READ_WAIT.run(this.redis, [this.waits.getKey(key)])]),
    );
    if (disabled > 0) return { kind: 'disabled' };
    return waitOf(wait);
  }

  async recordFailure(key: string): Promise<ThrottleVerdict> {
    const counted = await failClosed(this.failures.penalty(key, 1));
    const failures = counted.consumedPoints;
    if (disabledAfter(failures, this.rule)) {
      await failClosed(this.disabled.block(key, FOREVER));
      return { kind: 'disabled' };
    }
    const delay = delayAfterFailures(failures, this.rule);
    if (delay === 0) return { kind: 'allowed' };
    await failClosed(this.waits.block(key, delay));
    return { kind: 'wait', retryAfterSeconds: delay };
  }

  async failureCount(key: string): Promise<number> {
    // A plain GET: every successful sign-in asks, and the library's get would add MULTI, PTTL and EXEC around it.
    const points = await failClosed(this.redis.get(this.failures.getKey(key)));
    return points === null ? 0 : Number.parseInt(points, 10) || 0;
  }

  async clear(key: string): Promise<number> {
    const cleared = await this.failureCount(key);
    if (cleared > 0) await failClosed(Promise.all([this.failures.delete(key), this.waits.delete(key)]));
    return cleared;
  }

  async recover(key: string): Promise<void> {
    await failClosed(Promise.all([this.failures.delete(key), this.waits.delete(key), this.disabled.delete(key)]));
  }
}

/** A `-wait` counter read by READ_WAIT: blocked (points above 1) for as long as it has left to live. */
function waitOf(state: unknown): ThrottleVerdict {
  if (!Array.isArray(state) || state.length !== 2) return { kind: 'allowed' };
  const consumedPoints = Number.parseInt(String(state[0]), 10);
  const msBeforeNext = Number(state[1]);
  if (!(consumedPoints > 1) || !(msBeforeNext > 0)) return { kind: 'allowed' };
  return { kind: 'wait', retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}
