import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { ConsentService } from '../../../../src/flows/consent/consent-service.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { RedisAccountOidcIndex } from '../../../../src/storage/account-oidc-index.js';
import { RedisConsentGrants } from '../../../../src/storage/consent-grants.js';
import { RedisKeys } from '../../../../src/storage/keys.js';
import { createRedisAdapterFactory } from '../../../../src/storage/oidc-adapter.js';
import { createRedisClient, waitUntilConnected } from '../../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../../support/redis-server.js';
import { RecordingAudit } from '../level2/level2-harness.js';

/**
 * Withdrawing a consent (the account pages call revokeConsent): the grants of that relying party for that account go,
 * with every token issued under them; other relying parties and other accounts keep theirs.
 */

let server: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = createRedisClient({ url: server.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  await waitUntilConnected(redis, 5000);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

let serial = 0;

function setUp() {
  serial += 1;
  const keys = new RedisKeys(`consent${serial}:`);
  const adapters = createRedisAdapterFactory(redis, keys);
  const audit = new RecordingAudit();
  const service = new ConsentService({
    grants: new RedisConsentGrants(new RedisAccountOidcIndex(redis, keys), adapters),
    clock: new ManualClock(),
    audit,
  });
  /** What oidc-provider stores when a person approves the consent page, and a token issued under it. */
  async function consented(accountId: string, clientId: string, grantId: string): Promise<string> {
    await adapters('Grant').upsert(grantId, { accountId, clientId, kind: 'Grant', jti: grantId, openid: { scope: 'openid profile' } }, 3600);
    const tokenId = `at-${grantId}`;
    await adapters('AccessToken').upsert(tokenId, { accountId, clientId, grantId, kind: 'AccessToken', jti: tokenId }, 600);
    return tokenId;
  }
  return { adapters, audit, service, consented };
}

describe('revokeConsent', () => {
  it('destroys the grants of that client for the account, and their tokens', async () => {
    const { adapters, audit, service, consented } = setUp();
    const token = await consented('acc-1', 'rp-portal', 'grant-1');
    const second = await consented('acc-1', 'rp-portal', 'grant-2');
    const other = await consented('acc-1', 'rp-bank', 'grant-3');
    expect(await service.connectedServices('acc-1')).toEqual(['rp-bank', 'rp-portal']);

    expect(await service.revokeConsent('acc-1', 'rp-portal')).toEqual({ revoked: 2 });
    expect(await adapters('Grant').find('grant-1')).toBeUndefined();
    expect(await adapters('Grant').find('grant-2')).toBeUndefined();
    expect(await adapters('AccessToken').find(token)).toBeUndefined();
    expect(await adapters('AccessToken').find(second)).toBeUndefined();
    // Another relying party's consent stays.
    expect(await adapters('Grant').find('grant-3')).toBeDefined();
    expect(await adapters('AccessToken').find(other)).toBeDefined();
    expect(await service.connectedServices('acc-1')).toEqual(['rp-bank']);
    expect(audit.events).toEqual([expect.objectContaining({ type: 'consent.revoked', accountId: 'acc-1', clientId: 'rp-portal' })]);
  });

  it('never touches another account’s grant, and answers 0 when there is nothing to withdraw', async () => {
    const { adapters, service, consented } = setUp();
    await consented('acc-2', 'rp-portal', 'grant-b');
    expect(await service.revokeConsent('acc-1', 'rp-portal')).toEqual({ revoked: 0 });
    expect(await adapters('Grant').find('grant-b')).toBeDefined();
  });
});
