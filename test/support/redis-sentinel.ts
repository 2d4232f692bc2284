import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/shared/free-port.js';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * One throwaway Redis Sentinel (`redis-server --sentinel`) on a free loopback port, monitoring a master that is
 * already running under `masterName`, so the provider can be pointed at REDIS_SENTINELS instead of REDIS_URL.
 * Resolves once the sentinel names the master; `destroy()` stops it by its PID.
 */
export class TestRedisSentinel {
  private readonly dir = mkdtempSync(join(tmpdir(), 'vneid-sentinel-'));
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly masterName: string,
  ) {}

  static async start(masterPort: number, masterName = 'vneid-test'): Promise<TestRedisSentinel> {
    const sentinel = new TestRedisSentinel(await freePort(), masterName);
    // Sentinel rewrites its configuration file as it learns: it must be a file of its own, writable.
    const configFile = join(sentinel.dir, 'sentinel.conf');
    writeFileSync(
      configFile,
      [
        `port ${sentinel.port}`,
        'bind 127.0.0.1',
        `dir ${sentinel.dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 5000`,
        '',
      ].join('\n'),
    );
    sentinel.child = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', [configFile, '--sentinel'], { stdio: 'ignore' });
    try {
      await sentinel.waitUntilItNames(masterPort);
    } catch (error) {
      await sentinel.destroy();
      throw error;
    }
    return sentinel;
  }

  /** `host:port` as REDIS_SENTINELS takes it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async destroy(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitUntilItNames(masterPort: number): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const probe = new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
      // Refused connections are expected until the sentinel is up.
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        const master = await probe.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName);
        if (Array.isArray(master) && String(master[1]) === String(masterPort)) return;
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis sentinel did not start on port ${this.port}`);
  }
}
