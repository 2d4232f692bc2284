import { createHash } from 'node:crypto';
import { LuaScript } from './lua-script.js';

/**
 * A script of the adapter: run on its own like any LuaScript, or queued by its SHA1 in a pipeline together with other
 * commands (storage/oidc-adapter.ts, single-node connections), where a NOSCRIPT reply tells the caller to run it again.
 */
export class AdapterScript extends LuaScript {
  readonly digest: string;

  constructor(lua: string) {
    super(lua);
    this.digest = createHash('sha1').update(lua).digest('hex');
  }
}

/*
 * The single-key atomic steps of the oidc-provider adapter (storage/oidc-adapter.ts).
 *
 * A stored model is a hash: `payload` (the JSON the provider gave us, never re-encoded in Lua, because cjson turns
 * empty arrays into objects and rounds large numbers), `consumed` (epoch seconds, set once), and copies of the fields
 * its lookups are keyed on (`grantId`, `uid`, `userCode`), so that destroy and revoke can remove those lookups without
 * decoding the payload. Every script touches one key only, so each stays valid on Redis Cluster.
 *
 * Scripts never return Lua booleans: on a RESP3 connection `false` would arrive as a boolean, on RESP2 as null.
 */

/**
 * KEYS[1] model hash; ARGV payload, ttl ms ('' = no expiry), grantId, uid, userCode, consumed ('' = absent).
 * Replaces the record (fields of the previous version do not survive, as with the memory adapter) and returns the
 * previous lookups { grantId, uid, userCode } so the caller can remove the ones that no longer apply.
 */
export const UPSERT_MODEL = new AdapterScript(`
local previous = redis.call('HMGET', KEYS[1], 'grantId', 'uid', 'userCode')
redis.call('DEL', KEYS[1])
local fields = { 'payload', ARGV[1] }
local names = { 'grantId', 'uid', 'userCode', 'consumed' }
for i, name in ipairs(names) do
  local value = ARGV[i + 2]
  if value ~= '' then
    fields[#fields + 1] = name
    fields[#fields + 1] = value
  end
end
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[2] ~= '' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return { previous[1] or '', previous[2] or '', previous[3] or '' }
`);

/**
 * KEYS[1] model hash; ARGV[1] now in epoch seconds.
 * Marks the record consumed only if nobody did before; HSET keeps the key's TTL. Returns { outcome, grantId } where
 * outcome is 'consumed' (this caller won), 'replayed' (already consumed: the grant must be revoked) or 'missing'.
 */
export const CONSUME_MODEL = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 'missing', '' }
end
if redis.call('HEXISTS', KEYS[1], 'consumed') == 1 then
  return { 'replayed', redis.call('HGET', KEYS[1], 'grantId') or '' }
end
redis.call('HSET', KEYS[1], 'consumed', ARGV[1])
return { 'consumed', '' }
`);

/** KEYS[1] model hash. Deletes it and returns { existed (0|1), grantId, uid, userCode } for lookup clean-up. */
export const DELETE_MODEL = new LuaScript(`
local lookups = redis.call('HMGET', KEYS[1], 'grantId', 'uid', 'userCode')
local existed = redis.call('DEL', KEYS[1])
return { existed, lookups[1] or '', lookups[2] or '', lookups[3] or '' }
`);

/** KEYS[1] a uid or user-code lookup; ARGV[1] model id. Deletes the lookup only while it still points at that id. */
export const DELETE_LOOKUP_IF_POINTS_TO = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * KEYS[1] grant index (sorted set: member "Model:id", score = expiry in epoch ms or inf); ARGV now ms, member,
 * score ('' = remove the member). Then drops members that have expired and lets the index itself live exactly as long
 * as its longest-lived member, so a long grant does not accumulate dead access tokens.
 */
export const UPDATE_GRANT_INDEX = new AdapterScript(`
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[2])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if #last == 0 then
  return 0
end
if last[2] == 'inf' then
  redis.call('PERSIST', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], string.format('%d', tonumber(last[2]) - tonumber(ARGV[1])))
end
return 1
`);

/** KEYS[1] grant index. Takes every member and deletes the index in one step, so a revocation sees a fixed set. */
export const TAKE_GRANT_INDEX = new LuaScript(`
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return members
`);
