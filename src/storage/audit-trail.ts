import type { RedisConnection } from './redis-client.js';
import type { AuditEvent, AuditEventInput, AuditPage, AuditTrail } from '../domain/audit.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';
import { failClosed } from './redis-unavailable.js';

/**
 * KEYS[1] stream; ARGV[1] now (epoch ms, the trail's clock), ARGV[2] oldest id kept, ARGV[3] event JSON.
 * Appends with an id taken from our clock (never before the stream's last id, so ids stay ordered whatever the
 * instances' clocks do) and trims entries older than the retention in the same step. The last id is read only when
 * Redis refuses our time as older than the stream's top (another instance's clock ahead): every sign-in appends twice,
 * and the usual case then costs one command inside the script instead of two.
 */
const APPEND_EVENT = new LuaScript(`
local now = tonumber(ARGV[1])
local added = redis.pcall('XADD', KEYS[1], 'MINID', '~', ARGV[2], string.format('%d-*', now), 'e', ARGV[3])
if type(added) ~= 'table' or not added.err then return added end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then
  local lastMs = tonumber(string.match(last[1][1], '^(%d+)'))
  if lastMs > now then now = lastMs end
end
return redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], string.format('%d-*', now), 'e', ARGV[3])
`);

export interface AuditTrailOptions {
  /** Events older than this are trimmed (later rules: usage history kept 5 years). */
  retentionDays: number;
  clock?: Clock;
}

/**
 * Detail keys that would only ever hold a secret or biometric data. Recording one is a bug in the caller, refused
 * before anything is written, so the trail can be exported and read by auditors without exposing credentials.
 */
const FORBIDDEN_DETAIL_KEYS = new Set([
  'password',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'logouttoken',
  'code',
  'otp',
  'onetimecode',
  'apikey',
  'assertion',
  'portrait',
  'fingerprint',
  'photo',
  'image',
  'probe',
  'descriptor',
  'template',
  'biometric',
  'biometrics',
]);

const normaliseKey = (key: string): string => key.replace(/[_\-\s]/g, '').toLowerCase();

/** Stream ids are `<ms>-<seq>`; a cursor from a client must have that form before it reaches Redis. */
const STREAM_ID = /^\d{1,15}-\d{1,10}$/;

const EXPORT_BATCH = 500;
const DAY_MS = 86_400_000;

export class AuditRecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditRecordingError';
  }
}

/**
 * The audit trail on Redis Streams: one stream per account (read by the owner's pages and the API) and one with every
 * event (accounts or not: API calls, suspensions), both appended on each record and trimmed by age (XADD MINID, so
 * trimming costs nothing extra and needs no job). The two appends are separate steps, not a transaction: they live in
 * different cluster slots. Entry ids carry the event time. Retention and its memory cost: docs/audit.md.
 */
export class RedisAuditTrail implements AuditTrail {
  private readonly clock: Clock;
  private readonly retentionMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    options: AuditTrailOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.retentionMs = options.retentionDays * DAY_MS;
  }

  async record(input: AuditEventInput): Promise<void> {
    for (const key of Object.keys(input.details ?? {})) {
      if (FORBIDDEN_DETAIL_KEYS.has(normaliseKey(key))) {
        throw new AuditRecordingError(`audit detail "${key}" would hold a secret or biometric data`);
      }
    }
    const now = this.clock.now();
    const json = JSON.stringify({ ...input, at: input.at ?? now });
    // Approximate trimming (~) lets Redis drop whole macro-nodes: cheap, at the price of keeping a few extra entries.
    const minId = String(Math.max(0, now - this.retentionMs));
    const streams = [this.keys.auditAll(), ...(input.accountId ? [this.keys.auditAccount(input.accountId)] : [])];
    await failClosed(Promise.all(streams.map((stream) => APPEND_EVENT.run(this.redis, [stream], [now, minId, json]))));
  }

  async listForAccount(accountId: string, page: { limit: number; before?: string }): Promise<AuditPage> {
    const limit = Math.max(1, Math.min(page.limit, 1000));
    const end = page.before !== undefined && STREAM_ID.test(page.before) ? `(${page.before}` : '+';
    const entries = await failClosed(this.redis.xrevrange(this.keys.auditAccount(accountId), end, '-', 'COUNT', limit));
    const events = entries.map(([id, fields]) => this.parse(id, fields)).filter((event): event is AuditEvent => event !== undefined);
    const last = entries.at(-1);
    return { events, ...(entries.length === limit && last ? { nextCursor: last[0] } : {}) };
  }

  async *exportForAccount(accountId: string): AsyncIterable<AuditEvent> {
    let start = '-';
    for (;;) {
      const entries = await failClosed(this.redis.xrange(this.keys.auditAccount(accountId), start, '+', 'COUNT', EXPORT_BATCH));
      for (const [id, fields] of entries) {
        const event = this.parse(id, fields);
        if (event) yield event;
      }
      const last = entries.at(-1);
      if (entries.length < EXPORT_BATCH || !last) return;
      start = `(${last[0]}`;
    }
  }

  private parse(id: string, fields: string[]): AuditEvent | undefined {
    const index = fields.indexOf('e');
    const json = index >= 0 ? fields[index + 1] : undefined;
    if (json === undefined) return undefined;
    return { ...(JSON.parse(json) as Omit<AuditEvent, 'id'>), id };
  }
}
