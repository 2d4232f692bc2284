import type { Redis } from 'ioredis';
import type { MemoryMeasurement } from '../report/results.js';
import type { BenchTarget } from '../support/bench-target.js';
import { bytesByKind, LONG_LIVED_KINDS } from './key-kinds.js';

async function keysWithPrefix(redis: Redis, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    for (const key of batch) keys.add(key);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match?.[1]) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}

/** MEMORY USAGE of each key (SAMPLES 0: every element counted), pipelined in batches. */
async function memoryUsage(redis: Redis, keys: string[]): Promise<Array<{ key: string; bytes: number }>> {
  const usage: Array<{ key: string; bytes: number }> = [];
  for (let start = 0; start < keys.length; start += 500) {
    const batch = keys.slice(start, start + 500);
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, bytes], index) => {
      // A key may expire between SCAN and MEMORY USAGE (a null reply); it no longer costs anything.
      if (!error && typeof bytes === 'number') usage.push({ key: batch[index] as string, bytes });
    });
  }
  return usage;
}

async function usageByKey(redis: Redis, prefix: string): Promise<Map<string, number>> {
  const keys = [...(await keysWithPrefix(redis, prefix))];
  return new Map((await memoryUsage(redis, keys)).map(({ key, bytes }) => [key, bytes]));
}

/** What `action` added under a prefix: per key created or grown, and INFO used_memory after minus before. */
export interface Growth {
  /** Keys that appeared (`created`) with their MEMORY USAGE, and keys that existed with how much they grew. */
  changes: Array<{ key: string; bytes: number; created: boolean }>;
  usedMemoryDelta: number;
}

/**
 * Runs `action` on an otherwise idle server and sizes what changed under `prefix`: MEMORY USAGE (SAMPLES 0) of every
 * key before and after, and used_memory (which adds allocator slack and the growth of Redis's own dictionaries).
 */
export async function measureGrowth<T>(redis: Redis, prefix: string, action: () => Promise<T>): Promise<{ growth: Growth; result: T }> {
  const before = await usageByKey(redis, prefix);
  const usedBefore = await usedMemory(redis);
  const result = await action();
  const usedAfter = await usedMemory(redis);
  const after = await usageByKey(redis, prefix);
  const changes = [...after].flatMap(([key, bytes]) => {
    const previous = before.get(key);
    if (previous === undefined) return [{ key, bytes, created: true }];
    return bytes === previous ? [] : [{ key, bytes: bytes - previous, created: false }];
  });
  return { growth: { changes, usedMemoryDelta: usedAfter - usedBefore }, result };
}

/**
 * Redis memory per signed-in person: runs `signIns` (each from a new browser, never logged out) while the server is
 * otherwise idle, then sizes what changed under the server's prefix, by kind of record: keys that appeared, and the
 * growth of keys that were there before (an account's index of its sessions gains an entry per sign-in).
 */
export async function measureSessionMemory(
  redis: Redis,
  target: BenchTarget,
  runSignIns: () => Promise<number>,
): Promise<MemoryMeasurement> {
  const { growth, result: sessions } = await measureGrowth(redis, target.keyPrefix, runSignIns);
  if (sessions === 0) throw new Error(`${target.name}: no sign-in completed for the memory measurement`);
  const byKind = bytesByKind(growth.changes, target.keyPrefix, sessions);
  const kinds = Object.entries(byKind);
  return {
    server: target.name,
    sessions,
    bytesPerSession: kinds.reduce((sum, [, entry]) => sum + entry.bytes, 0),
    longLivedBytesPerSession: kinds.filter(([kind]) => LONG_LIVED_KINDS.has(kind)).reduce((sum, [, entry]) => sum + entry.bytes, 0),
    usedMemoryDeltaPerSession: growth.usedMemoryDelta / sessions,
    byKind,
  };
}
