import type { Redis } from 'ioredis';
import { uuid } from '../../src/shared/ids.js';
import { RedisAuditTrail } from '../../src/storage/audit-trail.js';
import { RedisKeys } from '../../src/storage/keys.js';
import { bytesByKind } from './key-kinds.js';
import type { RecordMemory } from './memory-figures.js';
import { measureGrowth } from './session-memory.js';

/** Later rules: usage history kept 5 years (the default `lifecycle.audit.retentionDays`). */
const FIVE_YEARS_DAYS = 1826;

/**
 * Bytes per audit event, as the trail writes a sign-in (oidc/sign-in-audit.ts): `accounts` accounts with
 * `eventsPerAccount` events each. One event per account shows the cost of an account's first event (its stream's
 * fixed overhead included); many per account show the marginal cost of one more event in both streams.
 */
export async function measureAuditMemory(redis: Redis, prefix: string, accounts: number, eventsPerAccount: number): Promise<RecordMemory> {
  const trail = new RedisAuditTrail(redis, new RedisKeys(prefix), { retentionDays: FIVE_YEARS_DAYS });
  const ids = Array.from({ length: accounts }, () => uuid());
  const events = accounts * eventsPerAccount;
  const { growth } = await measureGrowth(redis, prefix, async () => {
    for (let round = 0; round < eventsPerAccount; round += 1) {
      for (let start = 0; start < accounts; start += 100) {
        await Promise.all(
          ids.slice(start, start + 100).map((accountId) =>
            trail.record({
              type: 'sign_in.succeeded',
              accountId,
              actor: { kind: 'owner', id: accountId },
              clientId: 'dvc-portal-gov-vn',
              location: '203.0.113.0/24',
              details: { level: 1 },
            }),
          ),
        );
      }
    }
  });
  const byKind = bytesByKind(growth.changes, prefix, events);
  return {
    units: events,
    bytesPerUnit: Object.values(byKind).reduce((sum, entry) => sum + entry.bytes, 0),
    usedMemoryDeltaPerUnit: growth.usedMemoryDelta / events,
    byKind,
  };
}
