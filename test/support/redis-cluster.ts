import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort } from '../../src/shared/free-port.js';

/** Redis Cluster divides its keyspace into 16384 slots; each master serves a contiguous third here. */
const SLOT_COUNT = 16_384;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

interface ClusterNodeProcess {
  port: number;
  /** The cluster bus port, chosen explicitly: the default (port + 10000) may be taken or beyond 65535. */
  busPort: number;
  child: ChildProcess;
}

/**
 * A throwaway Redis Cluster of three masters (no replicas) on free loopback ports, each configured as production is
 * (AOF on, noeviction). Slots are assigned and the nodes introduced with CLUSTER ADDSLOTSRANGE and CLUSTER MEET through
 * ioredis, so nothing depends on redis-cli; `start()` resolves once every node reports `cluster_state:ok`.
 */
export class TestRedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'vneid-redis-cluster-'));
  private readonly nodes: ClusterNodeProcess[] = [];

  private constructor() {}

  static async start(masters = 3): Promise<TestRedisCluster> {
    const cluster = new TestRedisCluster();
    try {
      for (let index = 0; index < masters; index += 1) await cluster.startNode(index);
      await cluster.form();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** `host:port` of every master, as REDIS_CLUSTER_NODES takes them. */
  get nodeAddresses(): string[] {
    return this.nodes.map(({ port }) => `127.0.0.1:${port}`);
  }

  /** A plain cluster client for test assertions (not the provider's fail-closed one). */
  client(): Cluster {
    return new Cluster(
      this.nodes.map(({ port }) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
  }

  /** Stops every node (by its PID, SIGTERM then SIGKILL) and removes their data. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map(({ child }) => stopProcess(child)));
    this.nodes.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startNode(index: number): Promise<void> {
    const port = await freePort();
    let busPort = await freePort();
    while (busPort === port) busPort = await freePort();
    const dir = join(this.dir, `node-${index}`);
    mkdirSync(dir);
    const child = spawn(
      process.env.REDIS_SERVER_BIN ?? 'redis-server',
      [
        '--port', String(port),
        '--cluster-port', String(busPort),
        '--bind', '127.0.0.1',
        '--dir', dir,
        '--cluster-enabled', 'yes',
        '--cluster-config-file', join(dir, 'nodes.conf'),
        '--cluster-node-timeout', '5000',
        '--appendonly', 'yes',
        '--appendfsync', 'everysec',
        '--maxmemory-policy', 'noeviction',
        '--save', '',
        '--protected-mode', 'yes',
      ],
      { stdio: 'ignore' },
    );
    this.nodes.push({ port, busPort, child });
    await waitFor(() => answersPing(port), `redis-server (cluster node) did not start on port ${port}`);
  }

  /** Gives each master its third of the slots and a distinct config epoch, introduces them, waits for agreement. */
  private async form(): Promise<void> {
    const admins = this.nodes.map(({ port }) => adminClient(port));
    try {
      const share = Math.ceil(SLOT_COUNT / admins.length);
      await Promise.all(
        admins.map(async (admin, index) => {
          const first = index * share;
          const last = Math.min(SLOT_COUNT, (index + 1) * share) - 1;
          await admin.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
          // Distinct epochs spare the nodes the collision-resolution round they would otherwise go through.
          await admin.call('CLUSTER', 'SET-CONFIG-EPOCH', String(index + 1));
        }),
      );
      const [first] = admins;
      if (!first) throw new Error('a cluster needs at least one node');
      for (const { port, busPort } of this.nodes.slice(1)) {
        await first.call('CLUSTER', 'MEET', '127.0.0.1', String(port), String(busPort));
      }
      await waitFor(
        async () => (await Promise.all(admins.map((admin) => isFormed(admin, admins.length)))).every(Boolean),
        'the test Redis Cluster did not reach cluster_state:ok',
      );
    } finally {
      for (const admin of admins) admin.disconnect();
    }
  }
}

function adminClient(port: number): Redis {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null, disconnectTimeout: 50 });
  client.on('error', () => undefined);
  return client;
}

async function isFormed(admin: Redis, expectedNodes: number): Promise<boolean> {
  const info = String(await admin.call('CLUSTER', 'INFO'));
  return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${expectedNodes}\r\n`);
}

async function answersPing(port: number): Promise<boolean> {
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
  // Refused connections are expected until the server is up.
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Polls a readiness probe of a child process (real time: the processes start on their own schedule). */
async function waitFor(ready: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(failure);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
