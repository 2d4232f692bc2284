import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger } from '../../../src/shared/logger.js';
import {
  EmbeddedRedisUnavailableError,
  startEmbeddedRedis,
  type EmbeddedRedis,
} from '../../../src/storage/embedded-redis.js';
import { freePort } from '../../../src/shared/free-port.js';

const dirs: string[] = [];
const running: EmbeddedRedis[] = [];
const clients: Redis[] = [];

function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'vneid-embedded-')), 'var', 'redis');
  dirs.push(dir);
  return dir;
}

function capturingLogger(): { logger: ReturnType<typeof createLogger>; messages: () => string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { logger, messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

async function start(options: Partial<Parameters<typeof startEmbeddedRedis>[0]> = {}): Promise<EmbeddedRedis> {
  const redis = await startEmbeddedRedis({ logger: capturingLogger().logger, preferredPort: await freePort(), ...options });
  running.push(redis);
  return redis;
}

function connect(url: string): Redis {
  // Some of these servers are stopped mid-test: keep ioredis from waiting 2 s on their closed sockets at the end.
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

async function serverPid(url: string): Promise<number> {
  const info = await connect(url).info('server');
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  for (const client of clients) client.disconnect();
  for (const redis of running) await redis.stop();
  for (const dir of dirs) rmSync(join(dir, '..', '..'), { recursive: true, force: true });
});

describe('embedded development Redis', () => {
  it('starts on loopback, configured like production Redis, in the data directory it creates', async () => {
    const dir = dataDir();
    const redis = await start({ dataDir: dir });
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const client = connect(redis.url);
    expect(await client.ping()).toBe('PONG');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    expect(await client.config('GET', 'dir')).toEqual(['dir', realpathSync(dir)]);
  });

  it('uses the preferred port when it is free and says so', async () => {
    const port = await freePort();
    const { logger, messages } = capturingLogger();
    const redis = await start({ dataDir: dataDir(), preferredPort: port, logger });
    expect(redis.url).toBe(`redis://127.0.0.1:${port}`);
    expect(messages().join('\n')).toContain(`port ${port}`);
  });

  it('falls back to another port when the preferred one is taken, and says which', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { logger, messages } = capturingLogger();
      const redis = await start({ dataDir: dataDir(), preferredPort: port, logger });
      expect(redis.url).not.toBe(`redis://127.0.0.1:${port}`);
      const actual = new URL(redis.url).port;
      expect(messages().join('\n')).toContain(`port ${actual} (${port} was in use)`);
      expect(await connect(redis.url).ping()).toBe('PONG');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('keeps data across restarts and stops its child process', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const pid = await serverPid(first.url);
    await connect(first.url).set('vneid:test:kept', 'yes');
    await first.stop();
    expect(isAlive(pid)).toBe(false);

    const second = await start({ dataDir: dir });
    expect(await connect(second.url).get('vneid:test:kept')).toBe('yes');
  });

  it('stops a server left running on the same data directory by a crashed earlier run', async () => {
    const dir = dataDir();
    const orphan = await start({ dataDir: dir });
    const orphanPid = await serverPid(orphan.url);
    await connect(orphan.url).set('vneid:test:orphan', 'written before the crash');

    const { logger, messages } = capturingLogger();
    const fresh = await start({ dataDir: dir, logger });
    expect(isAlive(orphanPid)).toBe(false);
    expect(messages().join('\n')).toContain('left running by an earlier run');
    // The orphan flushed its AOF on SIGTERM, so nothing written before the crash is lost.
    expect(await connect(fresh.url).get('vneid:test:orphan')).toBe('written before the crash');
    await orphan.stop();
  });

  it('explains in one paragraph how to get Redis when redis-server is not installed', async () => {
    const attempt = startEmbeddedRedis({
      dataDir: dataDir(),
      logger: capturingLogger().logger,
      binary: '/nonexistent/bin/redis-server',
    });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedRedisUnavailableError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toContain('sudo apt-get install redis-server');
    expect(message).toContain('brew install redis');
    expect(message).toContain('docker compose up');
    expect(message).toContain('REDIS_URL');
  });

  it('reports a server that exits instead of starting, rather than waiting for it', async () => {
    const attempt = startEmbeddedRedis({ dataDir: dataDir(), logger: capturingLogger().logger, binary: 'false' });
    await expect(attempt).rejects.toThrow('redis-server exited before it was ready');
  });

  it('finds redis-server on PATH by name', async () => {
    const redis = await start({ dataDir: dataDir(), binary: 'redis-server' });
    expect(await connect(redis.url).ping()).toBe('PONG');
  });
});
