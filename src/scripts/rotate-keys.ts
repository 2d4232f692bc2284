import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/loader.js';
import { redisModeOf } from '../config/redis-config.js';
import type { AppConfig } from '../config/schema.js';
import { ConfigError } from '../config/validation.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { DEFAULT_EMBEDDED_REDIS_PORT } from '../storage/embedded-redis.js';
import { RedisKeys } from '../storage/keys.js';
import { createRedisConnection, redisConnectionSettings, type RedisConnection } from '../storage/redis-client.js';
import { SigningKeyStore, type SigningKeySummary } from '../storage/signing-key-store.js';

/**
 * `npm run keys:rotate [-- --keep-old-seconds N]`: makes new signing keys current. The old keys stay published until
 * every token they signed has expired; running instances keep signing with what they loaded at start until they are
 * restarted, so a rotation is always followed by a rolling restart.
 */

const USAGE = 'usage: npm run keys:rotate [-- --keep-old-seconds <seconds>]';

/**
 * How long the old keys stay published when not told: the longest lifetime of anything they may have signed or that
 * may come back to us signed by them (an ID token used as id_token_hint lives as long as the session or refresh token).
 */
export function defaultKeepOldSeconds(config: AppConfig): number {
  return Math.max(...Object.values(config.ttl).filter((value): value is number => typeof value === 'number'));
}

/** `--keep-old-seconds N` from the command line; undefined when absent; throws with the usage on anything else. */
export function parseKeepOldSeconds(argv: readonly string[]): number | undefined {
  if (argv.length === 0) return undefined;
  const [flag, value] = argv;
  if (argv.length !== 2 || flag !== '--keep-old-seconds' || value === undefined || !/^\d+$/.test(value)) {
    throw new Error(USAGE);
  }
  return Number(value);
}

export interface RotateKeysRun {
  config: AppConfig;
  redis: RedisConnection;
  keepOldForSeconds?: number;
  clock?: Clock;
  print: (line: string) => void;
}

/** Rotates the configured algorithms' keys and prints the resulting key set. */
export async function rotateKeys(run: RotateKeysRun): Promise<SigningKeySummary[]> {
  const { config, print } = run;
  const keepOldForSeconds = run.keepOldForSeconds ?? defaultKeepOldSeconds(config);
  const store = new SigningKeyStore(run.redis, new RedisKeys(config.redis.keyPrefix), run.clock ?? systemClock);
  const keys = await store.rotate(config.keys.signingAlgorithms, keepOldForSeconds);
  print('Signing keys rotated. Published key set:');
  for (const key of keys) {
    const until = key.publishedUntil === undefined ? '' : ` (published until ${new Date(key.publishedUntil).toISOString()})`;
    print(`  ${key.status.padEnd(7)} ${key.alg.padEnd(6)} ${key.kid}${until}`);
  }
  print('');
  print('Running instances still sign with the keys they loaded at start: do a rolling restart of every instance now.');
  return keys;
}

/** The configured Redis (URL, cluster or sentinels), or in development the embedded one `npm start` runs on its usual port. */
function redisOf(config: AppConfig): RedisConnection {
  const embeddedUrl = config.env === 'development' ? `redis://127.0.0.1:${DEFAULT_EMBEDDED_REDIS_PORT}` : undefined;
  if (redisModeOf(config.redis) === 'embedded' && !embeddedUrl) {
    throw new ConfigError('environment', ['redis.url: required (set REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS)']);
  }
  // One attempt: a command-line tool reports an unreachable Redis instead of retrying in the background.
  return createRedisConnection(redisConnectionSettings(config.redis, embeddedUrl), { connectOnce: true });
}

async function main(): Promise<void> {
  const keepOldForSeconds = parseKeepOldSeconds(process.argv.slice(2));
  const config = loadConfig();
  const redis = redisOf(config);
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (error) {
      const hint = redisModeOf(config.redis) === 'embedded' ? ' (is `npm start` running? or set REDIS_URL)' : '';
      throw new Error(`cannot reach Redis${hint}: ${(error as Error).message}`);
    }
    await rotateKeys({
      config,
      redis,
      ...(keepOldForSeconds === undefined ? {} : { keepOldForSeconds }),
      print: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    redis.disconnect();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  });
}
