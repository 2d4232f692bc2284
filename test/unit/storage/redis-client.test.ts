import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { loadConfig } from '../../../src/config/loader.js';
import {
  clusterOptions,
  createRedisConnection,
  isCluster,
  redisConnectionSettings,
  sentinelOptions,
  type RedisConnectionSettings,
} from '../../../src/storage/redis-client.js';

/**
 * The connection each topology gets: the same fail-closed behaviour (no offline queue, one retry, a command timeout)
 * whether the provider talks to one node, a cluster or the master that sentinels name.
 */

const configFrom = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, mkdtempSync(join(tmpdir(), 'vneid-config-')));

const sentinelSettings: RedisConnectionSettings & { topology: { kind: 'sentinel' } } = {
  topology: { kind: 'sentinel', sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: '10.0.0.6', port: 26380 }], masterName: 'vneid' },
  commandTimeoutMs: 700,
  connectTimeoutMs: 900,
  username: 'vneid',
  password: 'data-secret',
  sentinelUsername: 'watcher',
  sentinelPassword: 'sentinel-secret',
};

describe('the Redis connection of each topology', () => {
  it('asks the sentinels for the master, fails closed on it, and authenticates to both', () => {
    const options = sentinelOptions(sentinelSettings);
    expect(options).toMatchObject({
      sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: '10.0.0.6', port: 26380 }],
      name: 'vneid',
      role: 'master',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 700,
      connectTimeout: 900,
      sentinelCommandTimeout: 900,
      failoverDetector: true,
      username: 'vneid',
      password: 'data-secret',
      sentinelUsername: 'watcher',
      sentinelPassword: 'sentinel-secret',
    });
    expect(options.tls).toBeUndefined();
    expect(options.enableTLSForSentinelMode).toBeUndefined();
    // Backs off to at most 2 s and never gives up, so service resumes by itself.
    expect([1, 5, 100].map((attempt) => options.retryStrategy?.(attempt))).toEqual([100, 500, 2000]);
    expect(options.sentinelRetryStrategy?.(100)).toBe(2000);
    // After a fail-over the old master refuses writes: reconnect (to the new master) and resend.
    expect(options.reconnectOnError?.(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(options.reconnectOnError?.(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('uses TLS to the sentinels and to the master alike, with the private CA', () => {
    const options = sentinelOptions({ ...sentinelSettings, tls: { ca: 'PEM' } });
    expect(options).toMatchObject({ tls: { ca: 'PEM' }, sentinelTLS: { ca: 'PEM' }, enableTLSForSentinelMode: true });
  });

  it('fails closed on a cluster: no offline queue, masters only, bounded slot refresh, one retry per node command', () => {
    const options = clusterOptions({
      topology: { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }] },
      commandTimeoutMs: 700,
      connectTimeoutMs: 900,
      password: 'data-secret',
      tls: {},
    });
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      enableReadyCheck: true,
      scaleReads: 'master',
      slotsRefreshTimeout: 900,
      redisOptions: { maxRetriesPerRequest: 1, commandTimeout: 700, connectTimeout: 900, password: 'data-secret', tls: {} },
    });
    expect(options.clusterRetryStrategy?.(3)).toBe(300);
  });

  it('builds the settings from the configuration, reading the CA file at start-up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vneid-ca-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const cluster = configFrom({
      REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001',
      REDIS_PASSWORD: 'data-secret',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
    });
    expect(redisConnectionSettings(cluster.redis)).toEqual({
      topology: { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }] },
      commandTimeoutMs: 1000,
      connectTimeoutMs: 1000,
      password: 'data-secret',
      tls: { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
    });
    const sentinel = configFrom({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_MASTER: 'vneid' });
    expect(redisConnectionSettings(sentinel.redis).topology).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: '10.0.0.5', port: 26379 }],
      masterName: 'vneid',
    });
    // No topology configured: the embedded development server's URL.
    const development = loadConfig({ NODE_ENV: 'development' }, mkdtempSync(join(tmpdir(), 'vneid-config-')));
    expect(redisConnectionSettings(development.redis, 'redis://127.0.0.1:6390').topology).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6390' });
    expect(() => redisConnectionSettings(development.redis)).toThrow('no Redis configured');
    const missingCa = configFrom({ REDIS_URL: 'rediss://redis.internal:6380', REDIS_TLS_CA_FILE: join(dir, 'absent.pem') });
    expect(() => redisConnectionSettings(missingCa.redis)).toThrow(/absent\.pem/);
  });

  it('gives a rediss:// node the private CA while its URL keeps choosing TLS', () => {
    const node = createRedisConnection(
      { topology: { kind: 'single', url: 'rediss://redis.internal:6380' }, commandTimeoutMs: 200, connectTimeoutMs: 200, tls: { ca: 'PEM' } },
      { connectOnce: true },
    );
    try {
      expect(node.options).toMatchObject({ host: 'redis.internal', port: 6380, tls: { ca: 'PEM' } });
    } finally {
      node.disconnect();
    }
  });

  it('creates a Cluster for a cluster and a Redis otherwise, not connecting before asked when it connects once', () => {
    const common = { commandTimeoutMs: 200, connectTimeoutMs: 200 };
    const cluster = createRedisConnection({ topology: { kind: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }] }, ...common }, { connectOnce: true });
    const sentinel = createRedisConnection({ ...sentinelSettings, ...common }, { connectOnce: true });
    const single = createRedisConnection({ topology: { kind: 'single', url: 'redis://127.0.0.1:1' }, ...common }, { connectOnce: true });
    try {
      expect(cluster).toBeInstanceOf(Cluster);
      expect(isCluster(cluster)).toBe(true);
      expect(sentinel).toBeInstanceOf(Redis);
      expect(isCluster(sentinel)).toBe(false);
      expect(single).toBeInstanceOf(Redis);
      // Nothing was attempted yet: the command-line tool connects, once, when it is ready to report a failure.
      for (const connection of [cluster, sentinel, single]) expect(connection.status).toBe('wait');
      expect(single.options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 200 });
    } finally {
      cluster.disconnect();
      sentinel.disconnect();
      single.disconnect();
    }
  });
});
