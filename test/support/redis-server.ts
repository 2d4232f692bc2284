import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/shared/free-port.js';
import { TestRedisCluster } from './redis-cluster.js';

/**
 * `VNEID_TEST_REDIS=cluster` (npm run test:cluster) backs every TestRedisServer with a three-master TestRedisCluster, so
 * the journeys run unchanged against Redis Cluster. Suites that stop and restart their Redis cannot run there.
 */
const TEST_REDIS_TOPOLOGY_VARIABLE = 'VNEID_TEST_REDIS';
const usesCluster = (): boolean => process.env[TEST_REDIS_TOPOLOGY_VARIABLE] === 'cluster';


/**
 * A throwaway redis-server on a free loopback port with its own data directory, configured as production is
 * (AOF on, noeviction). `stop()` and `start()` let fault tests take Redis away and bring it back on the same port.
 */
export class TestRedisServer {
  private child?: ChildProcess;
  private cluster?: TestRedisCluster;
  readonly dir = mkdtempSync(join(tmpdir(), 'vneid-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedisServer> {
    if (usesCluster()) {
      const backed = new TestRedisServer(0);
      backed.cluster = await TestRedisCluster.start();
      return backed;
    }
    const server = new TestRedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    this.refuseOnCluster('url');
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The environment that points the provider at this Redis: REDIS_URL, or REDIS_CLUSTER_NODES on the cluster run. */
  providerEnvironment(): Record<string, string> {
    if (this.cluster) return { REDIS_CLUSTER_NODES: this.cluster.nodeAddresses.join(',') };
    return { REDIS_URL: this.url };
  }

  async start(): Promise<void> {
    this.refuseOnCluster('start');
    const child = spawn(
      process.env.REDIS_SERVER_BIN ?? 'redis-server',
      [
        '--port', String(this.port),
        '--bind', '127.0.0.1',
        '--dir', this.dir,
        '--appendonly', 'yes',
        '--appendfsync', 'everysec',
        '--maxmemory-policy', 'noeviction',
        '--save', '',
        '--protected-mode', 'yes',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    await this.waitUntilReady();
  }

  /** Kills the server (SIGKILL by default, as a crash would). */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.refuseOnCluster('stop');
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    this.child = undefined;
  }

  async destroy(): Promise<void> {
    await this.cluster?.destroy();
    if (!this.cluster) await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A plain client for test assertions (not the provider's fail-closed one). */
  client(): Redis {
    this.refuseOnCluster('client');
    return new Redis(this.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  /** A single-node operation asked of the cluster run: the suite belongs in test:cluster's exclusions (package.json). */
  private refuseOnCluster(operation: string): void {
    if (this.cluster) {
      throw new Error(`TestRedisServer.${operation}() needs a single redis-server; exclude this suite from the cluster run`);
    }
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
      // Refused connections are expected until the server is up; the loop below retries.
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }
}
