import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/loader.js';
import { parseHostAndPort, redisModeOf } from '../../../src/config/redis-config.js';
import { ConfigError } from '../../../src/config/validation.js';

/** Redis topology settings: one node, Cluster or Sentinel, exactly one, nothing meant for the connection ignored. */

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'vneid-config-'));
const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, emptyDir());

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis topology configuration', () => {
  it('reads a cluster from REDIS_CLUSTER_NODES, host:port entries separated by commas', () => {
    const config = load({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,redis-3.internal:7002' });
    expect(config.redis.clusterNodes).toEqual(['10.0.0.1:7000', '10.0.0.2:7001', 'redis-3.internal:7002']);
    expect(redisModeOf(config.redis)).toBe('cluster');
  });

  it('reads sentinels, the master name and the credentials of both, with passwords from files as other secrets', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'sentinel-password'), 'sentinel-secret-value\n');
    const config = load({
      REDIS_SENTINELS: '10.0.0.5:26379,[fd00::6]:26379',
      REDIS_SENTINEL_MASTER: 'vneid',
      REDIS_USERNAME: 'vneid',
      REDIS_PASSWORD: 'data-secret-value',
      REDIS_SENTINEL_USERNAME: 'watcher',
      REDIS_SENTINEL_PASSWORD_FILE: join(dir, 'sentinel-password'),
      REDIS_TLS: 'true',
    });
    expect(redisModeOf(config.redis)).toBe('sentinel');
    expect(config.redis).toMatchObject({
      sentinels: ['10.0.0.5:26379', '[fd00::6]:26379'],
      sentinelMaster: 'vneid',
      username: 'vneid',
      password: 'data-secret-value',
      sentinelUsername: 'watcher',
      sentinelPassword: 'sentinel-secret-value',
      tls: true,
    });
    expect(config.redis.sentinels.map(parseHostAndPort)).toEqual([
      { host: '10.0.0.5', port: 26379 },
      { host: 'fd00::6', port: 26379 },
    ]);
  });

  it('keeps one node from REDIS_URL, and no topology at all in development (the embedded redis-server)', () => {
    expect(redisModeOf(load({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis)).toBe('single');
    expect(redisModeOf(loadConfig({ NODE_ENV: 'development' }, emptyDir()).redis)).toBe('embedded');
  });

  it('refuses two topologies at once', () => {
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toEqual([
      expect.stringMatching(/^redis: set exactly one of redis\.url .*, redis\.clusterNodes/),
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_MASTER: 'm' })).toEqual([
      expect.stringContaining('redis: set exactly one of'),
    ]);
  });

  it.each([
    ['127.0.0.1', 'each entry must be host:port'],
    ['127.0.0.1:port', 'each entry must be host:port'],
    ['127.0.0.1:7000:1', 'each entry must be host:port'],
    ['127.0.0.1:0', 'redis.clusterNodes[0]: port must be 1-65535 (got 0)'],
    ['127.0.0.1:99999', 'redis.clusterNodes[0]: port must be 1-65535 (got 99999)'],
  ])('refuses the cluster node %s', (entry, message) => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: entry }).join('\n')).toContain(message);
  });

  it('names the sentinel entry whose port is out of range', () => {
    expect(problemsOf({ REDIS_SENTINELS: '10.0.0.5:26379,10.0.0.6:70000', REDIS_SENTINEL_MASTER: 'vneid' })).toEqual([
      'redis.sentinels[1]: port must be 1-65535 (got 70000)',
    ]);
  });

  it('needs the master name with sentinels, and refuses it without them', () => {
    expect(problemsOf({ REDIS_SENTINELS: '10.0.0.5:26379' })).toEqual([
      'redis.sentinelMaster: required with redis.sentinels (set REDIS_SENTINEL_MASTER)',
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_SENTINEL_MASTER: 'vneid', REDIS_SENTINEL_PASSWORD: 'x' })).toEqual([
      'redis.sentinelMaster: only used with redis.sentinels',
      'redis.sentinelPassword: only used with redis.sentinels',
    ]);
  });

  it('refuses credentials and TLS settings the chosen topology would not use, rather than dropping them', () => {
    const problems = problemsOf({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PASSWORD: 'a-password-nobody-would-use',
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: '/etc/ssl/redis-ca.pem',
    });
    expect(problems).toEqual([
      expect.stringContaining('redis.password: only used with redis.clusterNodes or redis.sentinels'),
      expect.stringContaining('redis.tls: only used with redis.clusterNodes or redis.sentinels (use a rediss:// URL)'),
      expect.stringContaining('redis.tlsCaFile: needs TLS'),
    ]);
    expect(problems.join('\n')).not.toContain('a-password-nobody-would-use');
    expect(problemsOf({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_TLS_CA_FILE: '/etc/ssl/redis-ca.pem' })).toEqual([
      'redis.tlsCaFile: needs redis.tls',
    ]);
    // A private CA with a rediss:// URL is what it is for.
    expect(load({ REDIS_URL: 'rediss://redis.internal:6380', REDIS_TLS_CA_FILE: '/etc/ssl/redis-ca.pem' }).redis.tlsCaFile).toBe('/etc/ssl/redis-ca.pem');
  });

  it('never echoes a Redis password in a validation error', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'test.json'), JSON.stringify({ redis: { clusterNodes: ['10.0.0.1:7000'], password: 12345678 } }));
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'test' }, dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('redis.password');
    expect(message).toContain('[redacted]');
    expect(message).not.toContain('12345678');
  });

  it('refuses to start production without a Redis, and accepts any one of the three topologies there', () => {
    const production = {
      NODE_ENV: 'production',
      ISSUER: 'https://id.example.vn',
      COOKIE_KEYS: 'k'.repeat(48),
    };
    const redisProblems = (env: Record<string, string>): string[] => {
      try {
        loadConfig({ ...production, ...env }, emptyDir());
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems.filter((problem) => problem.startsWith('redis'));
      }
    };
    expect(redisProblems({})).toEqual([expect.stringContaining('redis.url: required in production')]);
    expect(redisProblems({ REDIS_URL: 'rediss://redis.internal:6380' })).toEqual([]);
    expect(redisProblems({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7000' })).toEqual([]);
    expect(redisProblems({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_SENTINEL_MASTER: 'vneid' })).toEqual([]);
  });
});
