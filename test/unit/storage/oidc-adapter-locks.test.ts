import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { errors, type AdapterPayload } from 'oidc-provider';
import type { AccountLock } from '../../../src/domain/lock.js';
import type { AccountLockStatus } from '../../../src/domain/ports.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { RedisLockLedger } from '../../../src/storage/lock-ledger.js';
import { createRedisAdapterFactory } from '../../../src/storage/oidc-adapter.js';
import { TestRedisServer } from '../../support/redis-server.js';

/**
 * Decision 34 Art 10: nothing the provider writes for a locked account survives the write (storage/oidc-adapter.ts
 * refuseIfLocked). The Redis ledger puts its check in the same pipeline as the writes; any other lock status is asked
 * after them. Both must refuse the same way, and so must a write whose scripts the server had lost (SCRIPT FLUSH).
 */
let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

const ACCOUNT = 'account-1';

const lockOf = (accountId: string): AccountLock => ({
  id: `lock-of-${accountId}`,
  accountId,
  reason: 'agency_request',
  requestedBy: { kind: 'agency', id: 'agency-a' },
  legalBasis: 'Decision 34 Art 10.2',
  at: 1,
});

type LockStatusKind = 'the Redis ledger (checked in the pipeline)' | 'another lock status (checked after the writes)';
const LOCK_STATUS_KINDS: LockStatusKind[] = ['the Redis ledger (checked in the pipeline)', 'another lock status (checked after the writes)'];

function setUp(kind: LockStatusKind) {
  const keys = new RedisKeys(`locks${(prefixes += 1)}:`);
  const ledger = new RedisLockLedger(redis, keys);
  // Same answers as the ledger, without the ability to join a pipeline.
  const lockStatus: AccountLockStatus = kind === 'the Redis ledger (checked in the pipeline)' ? ledger : { isLocked: (accountId) => ledger.isLocked(accountId) };
  const adapterFor = createRedisAdapterFactory(redis, keys, { clock: new ManualClock(), lockStatus });
  return { keys, ledger, adapterFor };
}

const payloadOf = (model: string, id: string): AdapterPayload => ({
  accountId: ACCOUNT,
  clientId: 'client-1',
  grantId: 'grant-1',
  jti: id,
  kind: model,
  ...(model === 'Session' ? { uid: `uid-of-${id}` } : {}),
});

/** The records that act for an account, and the error the provider turns a refused write into. */
const REFUSALS: [model: string, error: new (description?: string) => Error][] = [
  ['AccessToken', errors.InvalidGrant],
  ['RefreshToken', errors.InvalidGrant],
  ['AuthorizationCode', errors.InvalidGrant],
  ['Session', errors.AccessDenied],
  ['Grant', errors.AccessDenied],
];

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe.each(LOCK_STATUS_KINDS)('writes for a locked account, with %s', (kind) => {
  it.each(REFUSALS)('refuses a %s and keeps nothing of it', async (model, refusal) => {
    const { keys, ledger, adapterFor } = setUp(kind);
    await ledger.open(lockOf(ACCOUNT));

    await expect(adapterFor(model).upsert('record-1', payloadOf(model, 'record-1'), 600)).rejects.toBeInstanceOf(refusal);
    await expect(adapterFor(model).find('record-1')).resolves.toBeUndefined();
    await expect(redis.zrange(keys.oidcGrantIndex('grant-1'), '0', '-1')).resolves.not.toContain(`${model}:record-1`);
    if (model === 'Session') await expect(adapterFor('Session').findByUid('uid-of-record-1')).resolves.toBeUndefined();
  });

  it.each(REFUSALS)('stores a %s of an account without an open lock, with its lookups', async (model) => {
    const { keys, ledger, adapterFor } = setUp(kind);
    await ledger.open(lockOf('someone-else'));
    const payload = payloadOf(model, 'record-1');

    await adapterFor(model).upsert('record-1', payload, 600);
    await expect(adapterFor(model).find('record-1')).resolves.toEqual(payload);
    if (model === 'Session' || model === 'Grant') {
      await expect(redis.zrange(keys.oidcAccountIndex(ACCOUNT), '0', '-1')).resolves.toContain(`${model}:record-1`);
    } else {
      await expect(redis.zrange(keys.oidcGrantIndex('grant-1'), '0', '-1')).resolves.toContain(`${model}:record-1`);
    }
    if (model === 'Session') await expect(adapterFor('Session').findByUid('uid-of-record-1')).resolves.toEqual(payload);
  });

  it('still refuses, and still stores, after the server lost its scripts (SCRIPT FLUSH)', async () => {
    const { ledger, adapterFor } = setUp(kind);
    await ledger.open(lockOf(ACCOUNT));

    await redis.script('FLUSH');
    await expect(adapterFor('AccessToken').upsert('token-1', payloadOf('AccessToken', 'token-1'), 600)).rejects.toBeInstanceOf(errors.InvalidGrant);
    await expect(adapterFor('AccessToken').find('token-1')).resolves.toBeUndefined();

    await redis.script('FLUSH');
    const unlocked = { ...payloadOf('AccessToken', 'token-2'), accountId: 'account-2' };
    await adapterFor('AccessToken').upsert('token-2', unlocked, 600);
    await expect(adapterFor('AccessToken').find('token-2')).resolves.toEqual(unlocked);
  });
});
