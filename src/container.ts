import type { ClientEntry } from './config/clients.js';
import { loadClients } from './config/clients.js';
import type { AppConfig } from './config/schema.js';
import { Argon2PasswordHasher } from './credentials/argon2-password-hasher.js';
import type { AcrNames } from './domain/levels.js';
import type { AccountStore, PasswordHasher } from './domain/ports.js';
import { PasswordSignIn } from './flows/password-sign-in.js';
import { Metrics } from './http/metrics.js';
import type { Clock } from './shared/clock.js';
import { systemClock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { RedisAccountStore } from './storage/account-store.js';
import { RedisKeys } from './storage/keys.js';
import { createRedisAdapterFactory } from './storage/oidc-adapter.js';
import { createRedisClient, type Redis } from './storage/redis-client.js';
import { SigningKeyStore } from './storage/signing-key-store.js';

/**
 * The only place that constructs adapters and wires them together. Everything else receives what it needs.
 */
export interface Container {
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  redis: Redis;
  keys: RedisKeys;
  clients: ClientEntry[];
  acrNames: AcrNames;
  accounts: AccountStore;
  hasher: PasswordHasher;
  signingKeys: SigningKeyStore;
  signIn: PasswordSignIn;
  metrics: Metrics;
  oidcAdapter: ReturnType<typeof createRedisAdapterFactory>;
  /** Closes connections; the HTTP server is drained by main.ts before this. */
  close(): Promise<void>;
}

export interface ContainerOptions {
  config: AppConfig;
  logger: Logger;
  /** The Redis URL to use (config.redis.url, or the embedded development server's). */
  redisUrl: string;
  clock?: Clock;
}

export function buildContainer({ config, logger, redisUrl, clock = systemClock }: ContainerOptions): Container {
  const metrics = new Metrics();
  const redis = createRedisClient({
    url: redisUrl,
    commandTimeoutMs: config.redis.commandTimeoutMs,
    connectTimeoutMs: config.redis.connectTimeoutMs,
  });
  // Without a listener ioredis would print every reconnect failure as an unhandled error event.
  redis.on('error', (error: Error) => {
    metrics.redisError();
    logger.warn({ err: { message: error.message } }, 'redis.error');
  });
  const keys = new RedisKeys(config.redis.keyPrefix);
  const acrNames = [config.acr.values[0], config.acr.values[1]] as unknown as AcrNames;
  const accounts = new RedisAccountStore(redis, keys);
  const hasher = new Argon2PasswordHasher(config.passwordHash);
  return {
    config,
    logger,
    clock,
    redis,
    keys,
    clients: loadClients(config.clientsFile, config.env, config.acr.values),
    acrNames,
    accounts,
    hasher,
    signingKeys: new SigningKeyStore(redis, keys, clock),
    signIn: new PasswordSignIn(accounts, hasher),
    metrics,
    oidcAdapter: createRedisAdapterFactory(redis, keys),
    close: async () => {
      redis.disconnect();
    },
  };
}
