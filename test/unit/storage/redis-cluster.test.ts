import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Cluster } from 'ioredis';
import Koa from 'koa';
import { healthRouter } from '../../../src/http/health-router.js';
import { failClosedWhileRedisDown } from '../../../src/http/middleware/dependency-guard.js';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisAccountScan } from '../../../src/storage/account-scan.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { RedisRateLimiter } from '../../../src/storage/rate-limiter.js';
import { createRedisConnection, isCluster, waitUntilConnected, type RedisConnection } from '../../../src/storage/redis-client.js';
import { RedisTotpStore } from '../../../src/storage/totp-store.js';
import { RedisFlowStore } from '../../../src/storage/flow-store.js';
import { TestRedisCluster } from '../../support/redis-cluster.js';
import { listen, type Listening } from '../http/listen.js';

/**
 * The storage on a three-master Redis Cluster: the connection the provider builds for REDIS_CLUSTER_NODES, the stores
 * whose commands touch several keys or run MULTI (each within one slot), and the reconciliation's SCAN, which must see
 * the accounts of every master. The journey suite runs on a cluster too (npm run test:cluster).
 */
let cluster: TestRedisCluster;
let connection: RedisConnection;
let admin: Cluster;
/** The readiness probe and the outage guard in front of one route, on the cluster connection. */
let probes: Listening;
let prefixes = 0;

const keysForTest = (): RedisKeys => new RedisKeys(`cluster${(prefixes += 1)}:`);

beforeAll(async () => {
  cluster = await TestRedisCluster.start();
  connection = createRedisConnection({
    topology: { kind: 'cluster', nodes: cluster.nodeAddresses.map((address) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) })) },
    commandTimeoutMs: 500,
    connectTimeoutMs: 500,
  });
  connection.on('error', () => undefined);
  admin = cluster.client();
  await Promise.all([waitUntilConnected(connection, 10_000), waitUntilConnected(admin, 10_000)]);
  const app = new Koa();
  app.use(healthRouter(connection, { pingTimeoutMs: 500 }).routes());
  app.use(failClosedWhileRedisDown(connection));
  app.use((ctx) => {
    ctx.body = { served: true };
  });
  probes = await listen(app);
});

afterAll(async () => {
  await probes?.close();
  connection?.disconnect();
  admin?.disconnect();
  await cluster?.destroy();
});

describe('the provider on Redis Cluster', () => {
  it('connects to the cluster: ready, answering PING, /readyz 200 and requests let through', async () => {
    expect(isCluster(connection)).toBe(true);
    expect(connection.status).toBe('ready');
    await expect(connection.ping()).resolves.toBe('PONG');
    expect((await fetch(`${probes.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${probes.url}/anything`)).status).toBe(200);
  });

  it('puts the keys that one script or command touches together in one slot (hash tags)', async () => {
    const keys = keysForTest();
    const accountId = randomId();
    const slotOf = async (key: string): Promise<number> => Number(await admin.call('CLUSTER', 'KEYSLOT', key));
    // The lock ledger moves a lock from open to history in one script; TOTP removal deletes both keys in one DEL.
    for (const together of [
      [keys.lockOpen(accountId), keys.lockHistory(accountId)],
      [keys.totpEnrolment(accountId), keys.totpPending(accountId)],
    ]) {
      const slots = await Promise.all(together.map(slotOf));
      expect(new Set(slots).size).toBe(1);
    }
    // Records of different accounts are spread over the masters, not piled on one slot by the prefix.
    const spread = await Promise.all(Array.from({ length: 20 }, () => slotOf(keys.account(randomId()))));
    expect(new Set(spread).size).toBeGreaterThan(1);
  });

  it('reconciles the accounts of every master: the scan walks each one and wraps once all are seen', async () => {
    const keys = keysForTest();
    const accountIds = Array.from({ length: 60 }, () => randomId());
    await Promise.all(accountIds.map((id) => admin.set(keys.account(id), '{}')));
    // Login claims share the prefix but are not account records: they must not be reported.
    await admin.set(keys.accountLogin('citizen:001190000001'), accountIds[0] ?? '');
    const mastersHolding = await Promise.all(admin.nodes('master').map(async (node) => (await node.keys(`${keys.prefix}account:{*}`)).length));
    expect(mastersHolding.filter((count) => count > 0)).toHaveLength(3);

    const scan = new RedisAccountScan(connection, keys);
    const seen = new Set<string>();
    let passes = 0;
    for (;;) {
      passes += 1;
      const { accountIds: batch, wrapped } = await scan.next(7);
      batch.forEach((id) => seen.add(id));
      if (wrapped || passes > 200) break;
    }
    expect([...seen].sort()).toEqual([...accountIds].sort());
    // One pass or more per master: each continued where the previous one stopped, from master to master.
    expect(passes).toBeGreaterThanOrEqual(3);

    // The next round starts again from the first master.
    const again = new Set<string>();
    for (let pass = 0; pass < 200; pass += 1) {
      const { accountIds: batch, wrapped } = await scan.next(50);
      batch.forEach((id) => again.add(id));
      if (wrapped) break;
    }
    expect(again.size).toBe(accountIds.length);
  });

  it('counts rate limits (MULTI on one key) and removes both TOTP keys of an account (one slot) on the cluster', async () => {
    const keys = keysForTest();
    const limiter = new RedisRateLimiter(connection, keys, 'cluster-test', { points: 2, windowSeconds: 60 });
    await expect(limiter.consume('someone')).resolves.toBe(true);
    await expect(limiter.consume('someone')).resolves.toBe(true);
    await expect(limiter.consume('someone')).resolves.toBe(false);
    await expect(limiter.allows('someone')).resolves.toBe(false);
    await expect(limiter.allows('someone else')).resolves.toBe(true);

    const totp = new RedisTotpStore(connection, keys);
    const accountId = randomId();
    await totp.savePending(accountId, 'sealed-secret', 60_000);
    await expect(totp.confirm(accountId, 'sealed-secret', 100, Date.now())).resolves.toBe(true);
    await expect(totp.remove(accountId)).resolves.toBe(true);
    await expect(totp.find(accountId)).resolves.toBeUndefined();
  });

  it('keeps compare-and-set flows working when their keys land on different masters', async () => {
    const keys = keysForTest();
    const store = new RedisFlowStore<{ id: string; step: number }>(connection, keys, 'registration');
    const flows = Array.from({ length: 12 }, () => ({ id: randomId(), step: 0 }));
    await Promise.all(flows.map((flow) => store.create(flow, 60_000)));
    for (const flow of flows) {
      await expect(store.replace({ ...flow, step: 1 }, 1, 60_000)).resolves.toBe(true);
      await expect(store.replace({ ...flow, step: 2 }, 1, 60_000)).resolves.toBe(false);
      await expect(store.load(flow.id)).resolves.toEqual({ flow: { ...flow, step: 1 }, revision: 2 });
    }
  });
});

describe('the provider when the cluster goes away', () => {
  it('fails closed: reads are refused as unavailable (never as absent), /readyz and every request answer 503', async () => {
    const keys = keysForTest();
    const store = new RedisFlowStore<{ id: string }>(connection, keys, 'registration');
    const flow = { id: randomId() };
    await store.create(flow, 60_000);
    admin.disconnect();
    await cluster.destroy();
    await expect(store.load(flow.id)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(new RedisAccountScan(connection, keys).next(10)).rejects.toBeInstanceOf(DependencyUnavailableError);
    // The probe takes the instance out of the load balancer; the guard answers 503 before any handler runs.
    expect((await fetch(`${probes.url}/readyz`)).status).toBe(503);
    const guarded = await fetch(`${probes.url}/anything`, { headers: { accept: 'application/json' } });
    expect(guarded.status).toBe(503);
    expect(guarded.headers.get('retry-after')).toEqual(expect.any(String));
  });
});
