import { readFileSync } from 'node:fs';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseHostAndPort, redisModeOf, type HostAndPort, type RedisConfig } from '../config/redis-config.js';

export type { Redis, Cluster };

/**
 * The provider's connection to its Redis, whatever the topology: one node or a master found through Sentinel (both a
 * `Redis`), or Redis Cluster. The storage classes take this; every key they touch together shares a hash tag
 * (storage/keys.ts), so each of their commands and scripts lands on one slot.
 */
export type RedisConnection = Redis | Cluster;

/** Where the data lives. A single node's URL also decides its TLS (rediss://) and credentials. */
export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: HostAndPort[] }
  | { kind: 'sentinel'; sentinels: HostAndPort[]; masterName: string };

export interface RedisClientSettings {
  url: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface RedisConnectionSettings {
  topology: RedisTopology;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** Data nodes' ACL user and password (cluster and sentinel; a single node has them in its URL). */
  username?: string;
  password?: string;
  /** The sentinels' own ACL user and password. */
  sentinelUsername?: string;
  sentinelPassword?: string;
  /** TLS to every node (cluster; sentinel: the sentinels and the master), with the CA when it is a private one. */
  tls?: { ca?: string };
}

/** Keep trying to reconnect, backing off to at most 2 s between attempts, so service resumes by itself. */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 2000);

/**
 * What every connection shares to fail closed (ARCHITECTURE convention 8): one retry per command and a command
 * timeout, so that while Redis is down every request fails within about a second instead of hanging, and nothing is
 * issued from stale memory. The offline queue is turned off by the callers (Cluster takes it at its own level).
 */
function failClosedNodeOptions(settings: Pick<RedisConnectionSettings, 'commandTimeoutMs' | 'connectTimeoutMs'>) {
  return {
    maxRetriesPerRequest: 1,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    enableReadyCheck: true,
  } satisfies Partial<RedisOptions>;
}

/**
 * A single-node Redis client that fails closed: no offline queue, one retry per command and a command timeout.
 * Reconnection continues in the background.
 */
export function createRedisClient(settings: RedisClientSettings, overrides: Partial<RedisOptions> = {}): Redis {
  return new Redis(settings.url, {
    enableOfflineQueue: false,
    // Commands issued in the same tick leave in one socket write, in the order issued (a write per command was the
    // largest cost of the token endpoints, bench/ --cpu-prof). Only while connected: offline, commands still fail.
    enableAutoPipelining: true,
    ...failClosedNodeOptions(settings),
    retryStrategy: reconnectDelay,
    lazyConnect: false,
    ...overrides,
  });
}

/** The ioredis options of a Redis Cluster connection that fails closed like the single-node client. */
export function clusterOptions(settings: RedisConnectionSettings): ClusterOptions {
  return {
    // Commands issued while the cluster is (re)connecting fail at once instead of waiting in memory.
    enableOfflineQueue: false,
    enableReadyCheck: true,
    // Reads go to masters: a replica may lag, and a lock or a consumed code read from one could be stale.
    scaleReads: 'master',
    clusterRetryStrategy: reconnectDelay,
    // A slot map that cannot be fetched in time counts as a failure, like a command that does not answer.
    slotsRefreshTimeout: settings.connectTimeoutMs,
    lazyConnect: false,
    redisOptions: {
      ...failClosedNodeOptions(settings),
      ...(settings.username ? { username: settings.username } : {}),
      ...(settings.password ? { password: settings.password } : {}),
      ...(settings.tls ? { tls: { ...settings.tls } } : {}),
    },
  };
}

/** The ioredis options of a connection to the master that the sentinels name, failing closed like the others. */
export function sentinelOptions(settings: RedisConnectionSettings & { topology: { kind: 'sentinel' } }): RedisOptions {
  const { topology } = settings;
  return {
    sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
    name: topology.masterName,
    role: 'master',
    enableOfflineQueue: false,
    ...failClosedNodeOptions(settings),
    // Asking the sentinels is part of connecting: bounded by the same timeout.
    sentinelCommandTimeout: settings.connectTimeoutMs,
    // After a fail-over the old master answers READONLY; reconnecting asks the sentinels for the new one.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    retryStrategy: reconnectDelay,
    sentinelRetryStrategy: reconnectDelay,
    // Listen to the sentinels' +switch-master, so a fail-over is followed at once rather than at the next error.
    failoverDetector: true,
    lazyConnect: false,
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.sentinelUsername ? { sentinelUsername: settings.sentinelUsername } : {}),
    ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
    ...(settings.tls ? { tls: { ...settings.tls }, sentinelTLS: { ...settings.tls }, enableTLSForSentinelMode: true } : {}),
  };
}

export interface RedisConnectionBehaviour {
  /**
   * Connect only when `connect()` is called, once, and never retry in the background: a command-line tool reports an
   * unreachable Redis instead of waiting for it.
   */
  connectOnce?: boolean;
}

/** The fail-closed connection for the configured topology (the only place the provider's connection is built). */
export function createRedisConnection(settings: RedisConnectionSettings, behaviour: RedisConnectionBehaviour = {}): RedisConnection {
  const { topology } = settings;
  const once = behaviour.connectOnce === true;
  switch (topology.kind) {
    case 'single':
      return createRedisClient(
        { ...settings, url: topology.url },
        { ...(settings.tls ? { tls: { ...settings.tls } } : {}), ...(once ? { lazyConnect: true, retryStrategy: () => null } : {}) },
      );
    case 'cluster':
      return new Cluster(
        topology.nodes.map(({ host, port }) => ({ host, port })),
        { ...clusterOptions(settings), ...(once ? { lazyConnect: true, clusterRetryStrategy: () => null } : {}) },
      );
    case 'sentinel':
      return new Redis({
        ...sentinelOptions({ ...settings, topology }),
        ...(once ? { lazyConnect: true, retryStrategy: () => null, sentinelRetryStrategy: () => null } : {}),
      });
  }
}

/**
 * The connection settings the configuration names. `embeddedUrl` is the development redis-server's, used when no
 * topology is configured. Reads the CA file, so a missing one stops start-up.
 */
export function redisConnectionSettings(config: RedisConfig, embeddedUrl?: string): RedisConnectionSettings {
  const common = { commandTimeoutMs: config.commandTimeoutMs, connectTimeoutMs: config.connectTimeoutMs };
  const credentials = {
    ...(config.username ? { username: config.username } : {}),
    ...(config.password ? { password: config.password } : {}),
  };
  const ca = config.tlsCaFile ? readFileSync(config.tlsCaFile, 'utf8') : undefined;
  const tls = config.tls ? { tls: ca ? { ca } : {} } : {};
  const mode = redisModeOf(config);
  switch (mode) {
    case 'single':
    case 'embedded': {
      const url = config.url ?? embeddedUrl;
      if (!url) throw new Error('no Redis configured: set REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS');
      // rediss:// with a private CA: the URL turns TLS on, the CA comes from the file.
      return { topology: { kind: 'single', url }, ...common, ...(ca ? { tls: { ca } } : {}) };
    }
    case 'cluster':
      return { topology: { kind: 'cluster', nodes: config.clusterNodes.map(parseHostAndPort) }, ...common, ...credentials, ...tls };
    case 'sentinel':
      return {
        topology: { kind: 'sentinel', sentinels: config.sentinels.map(parseHostAndPort), masterName: config.sentinelMaster ?? '' },
        ...common,
        ...credentials,
        ...(config.sentinelUsername ? { sentinelUsername: config.sentinelUsername } : {}),
        ...(config.sentinelPassword ? { sentinelPassword: config.sentinelPassword } : {}),
        ...tls,
      };
  }
}

/** True for a Redis Cluster connection (its keyspace is spread over several masters). */
export function isCluster(redis: RedisConnection): redis is Cluster {
  return redis instanceof Cluster;
}

/**
 * Resolves once the connection is ready (for a cluster: the slot map is known). Start-up waits for this, because a
 * fail-closed connection refuses commands instead of queueing them while it connects.
 */
export async function waitUntilConnected(redis: RedisConnection, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
