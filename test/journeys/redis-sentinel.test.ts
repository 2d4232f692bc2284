import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { isCluster } from '../../src/storage/redis-client.js';
import { createCitizen, startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisSentinel } from '../support/redis-sentinel.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/**
 * Issue 6: the provider configured with REDIS_SENTINELS and REDIS_SENTINEL_MASTER instead of REDIS_URL finds its
 * master through the sentinel and works on it. One master and one sentinel on loopback; the fail-over itself is
 * Sentinel's (with replicas and a quorum of sentinels in production). Excluded from the cluster run: its topology is
 * Sentinel by design.
 */
describe('the provider through Redis Sentinel', () => {
  let master: TestRedisServer;
  let sentinel: TestRedisSentinel;
  let running: RunningProvider;
  let rp: oidc.Configuration;

  beforeAll(async () => {
    master = await TestRedisServer.start();
    sentinel = await TestRedisSentinel.start(master.port);
    // No REDIS_URL: the sentinel is the only way to the master.
    running = await startProvider(master, { REDIS_URL: '', REDIS_SENTINELS: sentinel.address, REDIS_SENTINEL_MASTER: sentinel.masterName });
    rp = await discoverAsRelyingParty(running.issuer);
  });
  afterAll(async () => {
    await running?.stop();
    await sentinel?.destroy();
    await master?.destroy();
  });

  it('asks the sentinel for the master, is ready, and serves a whole sign-in with its state on that master', async () => {
    const { container } = running;
    expect(running.config.redis.url).toBeUndefined();
    expect(isCluster(container.redis)).toBe(false);
    expect(container.redis.options).toMatchObject({ sentinels: [{ host: '127.0.0.1', port: sentinel.port }], name: sentinel.masterName });
    expect((await fetch(`${running.issuer}/readyz`)).status).toBe(200);

    const citizen = await createCitizen(container);
    const tokens = await logIn(rp, new UserAgent(), citizen, { scope: 'openid profile' });
    expect(tokens.claims()?.sub).toBe(citizen.account.id);

    const admin = master.client();
    try {
      await expect(admin.exists(container.keys.account(citizen.account.id))).resolves.toBe(1);
      await expect(admin.exists(container.keys.oidcAccountIndex(citizen.account.id))).resolves.toBe(1);
    } finally {
      admin.disconnect();
    }
  });
});
