import type { RedisConnection } from './redis-client.js';
import type { TotpEnrolment, TotpEnrolmentStore } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] enrolment, KEYS[2] pending; ARGV[1] sealed secret, ARGV[2] step, ARGV[3] enrolledAt. The pending secret
 * becomes the enrolment only if it is still the one the owner confirmed (another enrolment page may have replaced it).
 * Both keys share the account's hash tag, so this works on a cluster too.
 */
const CONFIRM = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'step', ARGV[2], 'enrolledAt', ARGV[3])
return 1
`);

/**
 * KEYS[1] enrolment; ARGV[1] sealed secret, ARGV[2] step. A code is accepted once: its step must be later than the last
 * one used (RFC 6238 section 5.2: the verifier must not accept the second attempt of the same OTP), checked and
 * recorded in one step so two requests carrying the same code cannot both pass.
 */
const USE_STEP = new LuaScript(`
local stored = redis.call('HMGET', KEYS[1], 'secret', 'step')
if stored[1] ~= ARGV[1] then return 0 end
if tonumber(stored[2]) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'step', ARGV[2])
return 1
`);

/** TOTP enrolments in Redis (keys.totpEnrolment / keys.totpPending). Fails closed like every store. */
export class RedisTotpStore implements TotpEnrolmentStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async find(accountId: string): Promise<TotpEnrolment | undefined> {
    const [secret, step, enrolledAt] = await failClosed(
      this.redis.hmget(this.keys.totpEnrolment(accountId), 'secret', 'step', 'enrolledAt'),
    );
    if (!secret || step === null || step === undefined) return undefined;
    return { sealedSecret: secret, lastUsedStep: Number(step), enrolledAt: Number(enrolledAt ?? 0) };
  }

  async savePending(accountId: string, sealedSecret: string, ttlMs: number): Promise<void> {
    await failClosed(this.redis.set(this.keys.totpPending(accountId), sealedSecret, 'PX', Math.max(1, Math.ceil(ttlMs))));
  }

  async pending(accountId: string): Promise<string | undefined> {
    return (await failClosed(this.redis.get(this.keys.totpPending(accountId)))) ?? undefined;
  }

  async confirm(accountId: string, sealedSecret: string, step: number, enrolledAt: number): Promise<boolean> {
    const keys = [this.keys.totpEnrolment(accountId), this.keys.totpPending(accountId)];
    return (await failClosed(CONFIRM.run(this.redis, keys, [sealedSecret, step, enrolledAt]))) === 1;
  }

  async useStep(accountId: string, sealedSecret: string, step: number): Promise<boolean> {
    return (await failClosed(USE_STEP.run(this.redis, [this.keys.totpEnrolment(accountId)], [sealedSecret, step]))) === 1;
  }

  async remove(accountId: string): Promise<boolean> {
    return (await failClosed(this.redis.del(this.keys.totpEnrolment(accountId), this.keys.totpPending(accountId)))) > 0;
  }
}
