import type { RedisConnection } from './redis-client.js';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { delayAfterFailures, disabledAfter, type ThrottlePolicy, type ThrottleVerdict } from '../domain/failure-throttle.js';
import type { FailureThrottle } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

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
    redis: RedisConnection,
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

  async check(key: string): Promise<ThrottleVerdict> {
    const [disabled, wait] = await failClosed(Promise.all([this.disabled.get(key), this.waits.get(key)]));
    if (disabled !== null) return { kind: 'disabled' };
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
    const state = await failClosed(this.failures.get(key));
    return state?.consumedPoints ?? 0;
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

function waitOf(state: RateLimiterRes | null): ThrottleVerdict {
  if (state === null || state.consumedPoints <= 1 || state.msBeforeNext <= 0) return { kind: 'allowed' };
  return { kind: 'wait', retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
}
