import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ourClientSecretsEnv, ourClientsFile } from '../bench-clients.js';
import type { BenchTarget } from '../support/bench-target.js';
import { ServerProcess } from './server-process.js';

/*
 * Ours runs as deployed: the built dist/src/main.js with NODE_ENV=production behind a TLS-terminating proxy (whose
 * X-Forwarded-* headers the load generator adds), so templates are cached, request logs are written and every
 * production check applies.
 */
export const OUR_PUBLIC_HOST = 'id.bench.test';
export const OUR_PUBLIC_ORIGIN = `https://${OUR_PUBLIC_HOST}`;
export const OUR_KEY_PREFIX = 'vneid:';

export interface OurEnvironmentOptions {
  redisUrl: string;
  port: number;
  workDir: string;
  logLevel: string;
}

/**
 * The production environment ours starts with (also loaded by the orchestrator, so that the baseline copies the very
 * lifetimes and algorithms ours runs with). The registry, notification and biometric endpoints are required by
 * production configuration but never called by the scenarios: they point at a closed loopback port. When production
 * configuration gains a required setting, the run stops at start-up naming it: add it here.
 */
export function ourServerEnvironment(options: OurEnvironmentOptions): Record<string, string> {
  const clientsFile = join(options.workDir, 'ours-clients.json');
  writeFileSync(clientsFile, JSON.stringify(ourClientsFile(), null, 2));
  const unused = '127.0.0.1:9';
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? options.workDir,
    NODE_ENV: 'production',
    PORT: String(options.port),
    ISSUER: OUR_PUBLIC_ORIGIN,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: OUR_KEY_PREFIX,
    COOKIE_KEYS: `${randomBytes(32).toString('base64url')},${randomBytes(32).toString('base64url')}`,
    CLIENTS_FILE: clientsFile,
    LOG_LEVEL: options.logLevel,
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    REGISTRY_MODE: 'http',
    POPULATION_REGISTRY_URL: `http://${unused}/population`,
    IMMIGRATION_REGISTRY_URL: `http://${unused}/immigration`,
    REGISTRY_API_KEY: randomBytes(24).toString('base64url'),
    NOTIFICATIONS_MODE: 'deliver',
    SMTP_HOST: '127.0.0.1',
    SMTP_FROM: 'vn-eid benchmark <no-reply@bench.test>',
    SMS_URL: `https://${unused}/sms`,
    SMS_SENDER_ID: 'VNEID',
    BIOMETRICS_MODE: 'http',
    ABIS_URL: `https://${unused}/abis`,
    ABIS_API_KEY: randomBytes(24).toString('base64url'),
    REGISTRY_EVENT_HMAC_KEYS: randomBytes(32).toString('base64url'),
    ...ourClientSecretsEnv(),
  };
}

export interface OurServerOptions {
  /** Checkout whose dist/src/main.js runs (normally this one). */
  root: string;
  env: Record<string, string>;
  port: number;
  workDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags: string[];
  /** Called as soon as the process exists, so that a failure while it starts still stops it. */
  onSpawn: (server: ServerProcess) => void;
}

export async function startOurServer(options: OurServerOptions): Promise<{ server: ServerProcess; target: BenchTarget }> {
  const server = ServerProcess.spawn({
    label: 'ours',
    // The preload comes from this checkout's build, main.js from the checkout under test.
    nodeArgs: [...options.nodeFlags, '--import', new URL('./loopback-listen.js', import.meta.url).href, join(options.root, 'dist/src/main.js')],
    cwd: options.root,
    env: options.env,
    logFile: join(options.workDir, 'ours.log'),
  });
  options.onSpawn(server);
  const origin = `http://127.0.0.1:${options.port}`;
  const target: BenchTarget = {
    name: 'ours',
    pid: server.pid,
    origin,
    publicOrigin: OUR_PUBLIC_ORIGIN,
    headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': OUR_PUBLIC_HOST },
    keyPrefix: OUR_KEY_PREFIX,
  };
  await server.waitUntilAnswering(`${origin}/readyz`, target.headers);
  return { server, target };
}
