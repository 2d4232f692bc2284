import type { RedisConnection } from './redis-client.js';
import type { FlowStore, StoredFlow } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/** KEYS[1] flow; ARGV[1] data (JSON), ARGV[2] lifetime in ms. Writes a new flow at revision 1; 0 if the id exists. */
const CREATE_FLOW = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[1], 'rev', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/**
 * KEYS[1] flow; ARGV[1] expected revision, ARGV[2] data (JSON), ARGV[3] lifetime in ms. Compare-and-set: writes only
 * over the revision the caller read, so two requests acting on one flow at once (two code submissions, a resend
 * during a verification) never overwrite each other's counts.
 */
const REPLACE_FLOW = new LuaScript(`
if redis.call('HGET', KEYS[1], 'rev') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'rev', tonumber(ARGV[1]) + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

/**
 * Flow records (registration, ...) in Redis, one hash per flow with its revision, expiring with the flow. Lifetimes are
 * given relative (ms from now) rather than as instants, so that Redis's clock and the flows' injected clock never
 * need to agree.
 */
export class RedisFlowStore<T extends { id: string }> implements FlowStore<T> {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    /** Part of the key: `registration`, ... */
    private readonly kind: string,
  ) {}

  async create(flow: T, ttlMs: number): Promise<void> {
    const created = await failClosed(
      CREATE_FLOW.run(this.redis, [this.keyOf(flow.id)], [JSON.stringify(flow), lifetime(ttlMs)]),
    );
    // Flow ids are 128 random bits: a clash means an id was reused, which is a bug.
    if (created !== 1) throw new Error('flow id already in use');
  }

  async load(id: string): Promise<StoredFlow<T> | undefined> {
    const [data, revision] = await failClosed(this.redis.hmget(this.keyOf(id), 'data', 'rev'));
    if (data === null || data === undefined || revision === null || revision === undefined) return undefined;
    return { flow: JSON.parse(data) as T, revision: Number(revision) };
  }

  async replace(flow: T, revision: number, ttlMs: number): Promise<boolean> {
    const written = await failClosed(
      REPLACE_FLOW.run(this.redis, [this.keyOf(flow.id)], [String(revision), JSON.stringify(flow), lifetime(ttlMs)]),
    );
    return written === 1;
  }

  async delete(id: string): Promise<void> {
    await failClosed(this.redis.del(this.keyOf(id)));
  }

  private keyOf(id: string): string {
    return this.keys.flow(this.kind, id);
  }
}

/** A flow past its end is never written: the caller decides what an expired flow means before writing. */
function lifetime(ttlMs: number): number {
  const rounded = Math.ceil(ttlMs);
  if (!Number.isFinite(rounded) || rounded <= 0) throw new Error('a flow must be written with a positive lifetime');
  return rounded;
}
