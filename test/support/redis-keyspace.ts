import type { Redis } from 'ioredis';
import { isCluster, type RedisConnection } from '../../src/storage/redis-client.js';

/**
 * Keyspace look-ups for test assertions that work on one node and on Redis Cluster alike. On a cluster SCAN and KEYS
 * only see the node they are sent to, and a DEL of several keys is refused unless they share a slot (CROSSSLOT), so
 * these walk every master and delete key by key.
 */

function nodesOf(connection: RedisConnection): Redis[] {
  return isCluster(connection) ? connection.nodes('master') : [connection];
}

/** Every key matching the glob `pattern`, from every master. */
export async function keysMatching(connection: RedisConnection, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of nodesOf(connection)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...new Set(found)];
}

/** Deletes every key matching `pattern` (one DEL per key, so keys of different slots are fine); returns how many. */
export async function deleteKeysMatching(connection: RedisConnection, pattern: string): Promise<number> {
  const keys = await keysMatching(connection, pattern);
  const deleted = await Promise.all(keys.map((key) => connection.del(key)));
  return deleted.reduce((sum, count) => sum + count, 0);
}
