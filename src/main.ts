import 'reflect-metadata';
import { createServer as createHttpServer } from 'node:http';
import { MAX_REQUEST_HEADER_BYTES } from './http/request-limits.js';
import { loadConfig } from './config/loader.js';
import { redisModeOf } from './config/redis-config.js';
import { ConfigError } from './config/validation.js';
import { buildContainer } from './container.js';
import { seedDevelopmentAccounts } from './flows/development-accounts.js';
import { devAccountSeeds } from './registries/synthetic/dev-accounts.js';
import { DEV_DATASET_AS_OF } from './registries/synthetic/generate-dataset.js';
import { drainHttpServer, trackInFlightRequests } from './http/drain.js';
import { createServer } from './server.js';
import { createLogger } from './shared/logger.js';
import { startEmbeddedRedis } from './storage/embedded-redis.js';
import { waitUntilConnected } from './storage/redis-client.js';

/** How long start-up waits for Redis before giving up (an orchestrator restarts the process). */
const STARTUP_REDIS_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });

  // Development with no Redis configured (URL, cluster or sentinels): run a local redis-server child so `npm start`
  // needs no set-up. Production refuses to start without one (config/redis-config.ts).
  const embedded =
    redisModeOf(config.redis) === 'embedded' ? await startEmbeddedRedis({ dataDir: config.redis.embeddedDataDir, logger }) : undefined;

  const container = await buildContainer({ config, logger, ...(embedded ? { redisUrl: embedded.url } : {}) });
  await waitUntilConnected(container.redis, STARTUP_REDIS_TIMEOUT_MS);
  // The face models load in the background (a few hundred ms per worker), so the first person does not wait for them
  // and a missing model shows in the log at start rather than on someone's level-2 attempt (docs/biometrics.md).
  void container.biometrics.warmUp().then((warmed) => {
    if (warmed.ok) logger.info({ event: 'biometrics.ready' }, 'biometrics.ready');
    else logger.error({ event: 'biometrics.warm_up_failed', reason: warmed.error }, 'biometrics.warm_up_failed');
  });
  if (config.env === 'development') {
    const created = await seedDevelopmentAccounts(config.env, devAccountSeeds(DEV_DATASET_AS_OF), container);
    if (created > 0) logger.info({ created }, 'development_accounts.created');
  }
  const { app } = await createServer(container);
  const server = createHttpServer({ maxHeaderSize: MAX_REQUEST_HEADER_BYTES }, app.callback());
  const requests = trackInFlightRequests(server);
  server.listen(config.port, () => {
    logger.info({ issuer: config.issuer, port: config.port, env: config.env }, 'server.started');
    if (config.env === 'development') {
      process.stdout.write(`\nvn-eid is running: ${config.issuer}\n  discovery: ${config.issuer}/.well-known/openid-configuration\n  demo:      ${config.issuer}/demo\n\n`);
    }
  });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: requests.count }, 'server.stopping');
    const drained = await drainHttpServer(server, config.drainTimeoutMs, requests);
    await container.close();
    await embedded?.stop();
    logger.info({ ...drained }, 'server.stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`vn-eid failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
