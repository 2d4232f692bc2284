import 'reflect-metadata';
import { IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

/** `host:port`, the host a name, IPv4 address or bracketed IPv6 address; the port's range is checked in redisProblems. */
const HOST_AND_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;
const hostAndPortMessage = { each: true, message: '$property: each entry must be host:port' };

/**
 * Where the provider keeps its state. Exactly one of three topologies: one node (`url`), Redis Cluster
 * (`clusterNodes`) or a master found through Sentinel (`sentinels` + `sentinelMaster`). None outside production starts
 * the embedded development redis-server (storage/embedded-redis.ts).
 */
export class RedisConfig {
  /** redis:// or rediss:// URL of one node. Empty in development = start an embedded redis-server under ./var/redis. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] })
  url?: string;

  /** Redis Cluster: some of its nodes (host:port); the client discovers the others and the slot map from them. */
  @IsArray()
  @Matches(HOST_AND_PORT, hostAndPortMessage)
  clusterNodes: string[] = [];

  /** Sentinel: the sentinels (host:port) that name the current master of `sentinelMaster`. */
  @IsArray()
  @Matches(HOST_AND_PORT, hostAndPortMessage)
  sentinels: string[] = [];

  /** The master's name in the sentinels' configuration (`sentinel monitor <name> ...`). */
  @IsOptional() @IsString() @MinLength(1) sentinelMaster?: string;

  /** ACL user and password of the data nodes in cluster and sentinel modes (a single node takes them in its URL). */
  @IsOptional() @IsString() @MinLength(1) username?: string;
  @IsOptional() @IsString() @MinLength(1) password?: string;

  /** ACL user and password of the sentinels themselves, when they require one. */
  @IsOptional() @IsString() @MinLength(1) sentinelUsername?: string;
  @IsOptional() @IsString() @MinLength(1) sentinelPassword?: string;

  /** TLS to every node in cluster and sentinel modes (a single node chooses it with rediss://). */
  @IsBoolean()
  tls = false;

  /** PEM file of the CA that signed the Redis servers' certificates, when it is not a public one. */
  @IsOptional() @IsString() @MinLength(1) tlsCaFile?: string;

  /** Fail closed: a command that has not answered in this time fails instead of queueing. */
  @IsInt()
  @Min(50)
  @Max(10_000)
  commandTimeoutMs = 1000;

  @IsInt()
  @Min(100)
  @Max(30_000)
  connectTimeoutMs = 1000;

  /** Prefix of every key this provider writes, so one Redis can host several environments. */
  @IsString()
  @MinLength(1)
  keyPrefix = 'vneid:';

  /** Where the embedded development Redis keeps its AOF and RDB files. */
  @IsString()
  embeddedDataDir = 'var/redis';
}

export interface HostAndPort {
  host: string;
  port: number;
}

/** Splits a validated `host:port` entry; brackets around an IPv6 address are dropped. */
export function parseHostAndPort(entry: string): HostAndPort {
  const match = HOST_AND_PORT.exec(entry);
  if (!match) throw new Error(`not host:port: ${entry}`);
  const [, host = '', port = ''] = match;
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(port) };
}

/** Which topology the settings name: none (development's embedded Redis), or the one that was chosen. */
export function redisModeOf(config: RedisConfig): 'embedded' | 'single' | 'cluster' | 'sentinel' {
  if (config.url) return 'single';
  if (config.clusterNodes.length > 0) return 'cluster';
  if (config.sentinels.length > 0) return 'sentinel';
  return 'embedded';
}

/**
 * Rules across the redis keys. A setting that the chosen topology would not use is refused rather than ignored, so that
 * a password or TLS meant for the connection is never silently dropped; production needs a Redis of its own.
 */
export function redisProblems(config: RedisConfig, environment: string): string[] {
  const problems: string[] = [];
  const chosen = [
    config.url ? 'redis.url (REDIS_URL)' : '',
    config.clusterNodes.length > 0 ? 'redis.clusterNodes (REDIS_CLUSTER_NODES)' : '',
    config.sentinels.length > 0 ? 'redis.sentinels (REDIS_SENTINELS)' : '',
  ].filter(Boolean);
  if (chosen.length > 1) problems.push(`redis: set exactly one of ${chosen.join(', ')}`);
  if (chosen.length === 0 && environment === 'production') {
    problems.push('redis.url: required in production (set REDIS_URL, or REDIS_CLUSTER_NODES, or REDIS_SENTINELS)');
  }
  for (const [key, entries] of [['clusterNodes', config.clusterNodes], ['sentinels', config.sentinels]] as const) {
    entries.forEach((entry, index) => {
      if (!HOST_AND_PORT.test(entry)) return; // reported by the schema
      const { port } = parseHostAndPort(entry);
      if (port < 1 || port > 65_535) problems.push(`redis.${key}[${index}]: port must be 1-65535 (got ${port})`);
    });
  }
  // With two topologies named, which settings belong to which is unknowable: the conflict is the one problem to fix.
  if (chosen.length > 1) return problems;
  const mode = redisModeOf(config);
  if (mode === 'sentinel' && !config.sentinelMaster) {
    problems.push('redis.sentinelMaster: required with redis.sentinels (set REDIS_SENTINEL_MASTER)');
  }
  if (mode !== 'sentinel') {
    for (const key of ['sentinelMaster', 'sentinelUsername', 'sentinelPassword'] as const) {
      if (config[key] !== undefined) problems.push(`redis.${key}: only used with redis.sentinels`);
    }
  }
  if (mode === 'single' || mode === 'embedded') {
    for (const key of ['username', 'password'] as const) {
      if (config[key] !== undefined) problems.push(`redis.${key}: only used with redis.clusterNodes or redis.sentinels (give it in redis.url)`);
    }
    if (config.tls) problems.push('redis.tls: only used with redis.clusterNodes or redis.sentinels (use a rediss:// URL)');
    if (config.tlsCaFile !== undefined && !config.url?.startsWith('rediss://')) {
      problems.push('redis.tlsCaFile: needs TLS (a rediss:// URL, or redis.tls with a cluster or sentinels)');
    }
  } else if (config.tlsCaFile !== undefined && !config.tls) {
    problems.push('redis.tlsCaFile: needs redis.tls');
  }
  return problems;
}
