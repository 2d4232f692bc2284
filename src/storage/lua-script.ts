import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis-client.js';

/**
 * A server-side Lua script: the one way to make a read-then-write on a single key atomic (ARCHITECTURE convention 7).
 * Runs by SHA1 and sends the source only when the server does not know it yet (first call, or after a restart or
 * SCRIPT FLUSH), so that the hot path costs one short command.
 */
export class LuaScript {
  private readonly sha1: string;

  constructor(private readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}
