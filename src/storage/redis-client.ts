import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export interface RedisClientSettings {
  url: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * A Redis client that fails closed (ARCHITECTURE convention 8): no offline queue, one retry per command and a command
 * timeout, so that while Redis is down every request fails within about a second instead of hanging, and nothing is
 * issued from stale memory. Reconnection continues in the background, so service resumes by itself.
 */
export function createRedisClient(settings: RedisClientSettings, overrides: Partial<RedisOptions> = {}): Redis {
  return new Redis(settings.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    // Keep trying to reconnect, backing off to at most 2 s between attempts.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    enableReadyCheck: true,
    lazyConnect: false,
    ...overrides,
  });
}

/**
 * Resolves once the client is connected. Start-up waits for this, because a fail-closed client refuses commands
 * instead of queueing them while it connects.
 */
export async function waitUntilConnected(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
