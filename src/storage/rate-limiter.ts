import type { RedisConnection } from './redis-client.js';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { failClosed } from './redis-unavailable.js';

/** At most `points` attempts per key in a fixed window; once exceeded, refused for `blockSeconds` (or the window). */
export interface RateLimitRule {
  points: number;
  windowSeconds: number;
  /** Longer refusal once the limit is exceeded; 0 or absent = until the window ends. */
  blockSeconds?: number;
}

/**
 * A limit counted in Redis, so that every instance shares it (rate-limiter-flexible's RateLimiterRedis: one Lua
 * increment per attempt, the counter expiring with its window). Fails closed: when Redis cannot answer, the error
 * propagates as DependencyUnavailableError and the attempt is refused with 503, never let through uncounted.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisConnection,
    keys: RedisKeys,
    /** Part of the counters' keys (keys.rateLimit): `registry-number`, `code-contact`, ... */
    readonly name: string,
    readonly rule: RateLimitRule,
  ) {
    if (!Number.isInteger(rule.points) || rule.points < 1) throw new Error(`rate limit ${name}: points must be >= 1`);
    if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1) {
      throw new Error(`rate limit ${name}: windowSeconds must be >= 1`);
    }
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimit(name),
      points: rule.points,
      duration: rule.windowSeconds,
      blockDuration: rule.blockSeconds ?? 0,
      // Refuse at once while the connection is down instead of waiting for a command timeout.
      rejectIfRedisNotReady: true,
    });
  }

  async consume(key: string): Promise<boolean> {
    try {
      await this.limiter.consume(key);
      return true;
    } catch (error) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the limit is reached: an answer, not an outage.
      if (error instanceof RateLimiterRes) return false;
      return failClosed(Promise.reject(error));
    }
  }

  async allows(key: string): Promise<boolean> {
    const state = await failClosed(this.limiter.get(key));
    return state === null || state.consumedPoints < this.rule.points;
  }

  async refund(key: string): Promise<void> {
    await failClosed(this.limiter.reward(key, 1));
  }
}

/** The limits of registration and activation, each configured under `limits.<name>` (docs/configuration.md). */
export interface RegistrationLimitRules {
  registryMatchesPerIdentity: RateLimitRule;
  registryMatchesPerIp: RateLimitRule;
  codeSendsPerContact: RateLimitRule;
  wrongCodesPerAccount: RateLimitRule;
}

/** The registration limiters (flows/registration RegistrationLimiters), one counter family per configured limit. */
export function createRegistrationLimiters(
  redis: RedisConnection,
  keys: RedisKeys,
  rules: RegistrationLimitRules,
): Record<keyof RegistrationLimitRules, RedisRateLimiter> {
  return {
    registryMatchesPerIdentity: new RedisRateLimiter(redis, keys, 'registry-identity', rules.registryMatchesPerIdentity),
    registryMatchesPerIp: new RedisRateLimiter(redis, keys, 'registry-ip', rules.registryMatchesPerIp),
    codeSendsPerContact: new RedisRateLimiter(redis, keys, 'code-contact', rules.codeSendsPerContact),
    wrongCodesPerAccount: new RedisRateLimiter(redis, keys, 'wrong-code-account', rules.wrongCodesPerAccount),
  };
}
