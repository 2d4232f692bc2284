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
