import type { Redis } from 'ioredis';
import type { AccountEnumeration } from '../domain/ports.js';
import type { RedisKeys } from './keys.js';
import { isCluster, type RedisConnection } from './redis-client.js';
import { failClosed } from './redis-unavailable.js';

/** SCAN calls per `next()`: sparse keyspaces return few matches per call, and one pass must stay short. */
const MAX_SCAN_CALLS = 100;

/** One master of the walk: its connection and the lowest slot it serves, which names it in the stored cursor. */
interface ScannedNode {
  firstSlot: number;
  node: Redis;
}

/**
 * Walks the account records with SCAN (never KEYS: it would block Redis), keeping the cursor in Redis so that each
 * reconciliation pass continues where the previous one stopped, whichever instance runs it. SCAN may return a key
 * twice across a walk; reconciling an account twice is harmless.
 *
 * SCAN only sees the keys of the node it is sent to. On Redis Cluster the walk therefore visits every master in turn,
 * ordered by the lowest slot each serves, and the stored cursor is `<slot>:<cursor>`: a master is named by a slot it
 * serves rather than by its address, so a fail-over (a replica taking over the same slots) continues the walk where it
 * was. After a resharding moves that slot, the master now serving it is walked from its start; the walk then wraps a
 * little late, never early, so no account is skipped for a whole round.
 */
export class RedisAccountScan implements AccountEnumeration {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async next(count: number): Promise<{ accountIds: string[]; wrapped: boolean }> {
    const cursorKey = this.keys.registryReconcileCursor();
    const stored = (await failClosed(this.redis.get(cursorKey))) ?? '0';
    const walk = isCluster(this.redis) ? await this.clusterWalk(stored) : { nodes: [{ firstSlot: 0, node: this.redis }], index: 0, cursor: stored };
    const accountIds: string[] = [];
    let { index, cursor } = walk;
    let wrapped = false;
    for (let call = 0; call < MAX_SCAN_CALLS && accountIds.length < count; call += 1) {
      const current = walk.nodes[index];
      if (!current) break;
      const [nextCursor, found] = await failClosed(current.node.scan(cursor, 'MATCH', this.keys.accountRecordPattern(), 'COUNT', Math.max(count, 100)));
      accountIds.push(...this.accountIdsOf(found));
      cursor = nextCursor;
      if (cursor !== '0') continue;
      // This node is done: go on with the next master, or the whole keyspace has been seen.
      if (index + 1 < walk.nodes.length) {
        index += 1;
      } else {
        index = 0;
        wrapped = true;
        break;
      }
    }
    const position = isCluster(this.redis) ? `${walk.nodes[index]?.firstSlot ?? 0}:${cursor}` : cursor;
    await failClosed(this.redis.set(cursorKey, position));
    return { accountIds, wrapped };
  }

  private accountIdsOf(keys: readonly string[]): string[] {
    const pattern = this.keys.accountRecordPattern();
    const prefix = pattern.slice(0, pattern.indexOf('{') + 1);
    return keys.filter((key) => key.startsWith(prefix) && key.endsWith('}')).map((key) => key.slice(prefix.length, -1));
  }

  /** The masters in slot order, and where in them the stored `<slot>:<cursor>` says the walk stands. */
  private async clusterWalk(stored: string): Promise<{ nodes: ScannedNode[]; index: number; cursor: string }> {
    const cluster = this.redis;
    if (!isCluster(cluster)) throw new Error('clusterWalk needs a cluster connection');
    const owners = cluster.slots;
    const nodes = cluster
      .nodes('master')
      .map((node) => ({ node, firstSlot: owners.findIndex((owner) => owner?.[0] === `${node.options.host}:${node.options.port}`) }))
      .filter((entry) => entry.firstSlot >= 0)
      .sort((a, b) => a.firstSlot - b.firstSlot);
    // Without a slot map the cluster is not serving: fail closed rather than report an empty keyspace.
    if (nodes.length === 0) await failClosed(Promise.reject(new Error('the cluster has no master serving slots')));

    const match = /^(\d+):(\d+)$/.exec(stored);
    if (!match) return { nodes, index: 0, cursor: '0' };
    const slot = Number(match[1]);
    const owner = owners[slot]?.[0];
    const index = nodes.findIndex((entry) => `${entry.node.options.host}:${entry.node.options.port}` === owner);
    if (index < 0) return { nodes, index: 0, cursor: '0' };
    // The cursor belongs to the master that served `slot` when it was stored; a master that now starts elsewhere
    // (resharded) has its own cursor space, so it is walked from its beginning.
    return { nodes, index, cursor: nodes[index]?.firstSlot === slot ? (match[2] ?? '0') : '0' };
  }
}
