import type { Redis } from 'ioredis';
import type { Account } from '../domain/account.js';
import type { AccountStore } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/** KEYS[1] login claim; ARGV[1] account id. Makes the claim permanent, but only if it is still this account's. */
const CONFIRM_CLAIM = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PERSIST', KEYS[1])
  return 1
end
return 0
`);

/** KEYS[1] login claim; ARGV[1] account id. Gives the login name back, but never someone else's claim. */
const RELEASE_CLAIM = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * Accounts in Redis: the record under its opaque id, and the login name (ID number, or passport + nationality)
 * pointing at it. The login name is claimed before anything is written, so that of any number of concurrent
 * registrations of one identity exactly one creates an account (Decision 34 Art 6: one identity, one account).
 */
export class RedisAccountStore implements AccountStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async create(account: Account, loginKey: string): Promise<boolean> {
    const claimKey = this.keys.accountLogin(loginKey);
    // Decision 34 Art 6: SET NX is the single arbiter of "this identity has no account yet". The claim is provisional
    // (it expires) until the record exists, so a crash between the two writes cannot lock the identity out for good.
    const claimed = await failClosed(
      this.redis.set(claimKey, account.id, 'PX', this.keys.accountLoginClaimMs, 'NX'),
    );
    if (claimed === null) return false;

    const recordKey = this.keys.account(account.id);
    let written: string | null;
    try {
      written = await failClosed(this.redis.set(recordKey, JSON.stringify(account), 'NX'));
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
      confirmed = await failClosed(CONFIRM_CLAIM.run(this.redis, [claimKey], [account.id]));
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
    return json === null ? undefined : (JSON.parse(json) as Account);
  }

  async findByLoginKey(loginKey: string): Promise<Account | undefined> {
    const id = await failClosed(this.redis.get(this.keys.accountLogin(loginKey)));
    return id === null ? undefined : this.findById(id);
  }

  /** Updates an existing account; saving one that does not exist is a bug (accounts are only made by `create`). */
  async save(account: Account): Promise<void> {
    const updated = await failClosed(this.redis.set(this.keys.account(account.id), JSON.stringify(account), 'XX'));
    if (updated === null) throw new Error('cannot save an account that does not exist');
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
