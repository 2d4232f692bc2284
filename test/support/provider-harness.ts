import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import { loadConfig } from '../../src/config/loader.js';
import type { AppConfig } from '../../src/config/schema.js';
import { buildContainer, type Container } from '../../src/container.js';
import { loginKeyOf, type Account, type AccountStatus, type Identity } from '../../src/domain/account.js';
import type { AssuranceLevel } from '../../src/domain/levels.js';
import { MAX_REQUEST_HEADER_BYTES } from '../../src/http/request-limits.js';
import { createServer } from '../../src/server.js';
import { ensureDevRegistryDataset } from '../../src/registries/synthetic/generate-dataset.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { waitUntilConnected } from '../../src/storage/redis-client.js';
import { uuid } from '../../src/shared/ids.js';
import { TestRedisServer } from './redis-server.js';

export const TEST_CLIENT = {
  id: 'test-rp',
  secret: 'test-rp-secret-0123456789abcdef0123456789',
  redirectUri: 'http://127.0.0.1:1/callback',
  postLogoutRedirectUri: 'http://127.0.0.1:1/signed-out',
};
export const TEST_RS256_CLIENT = { id: 'test-rp-rs256', secret: 'test-rp-rs256-secret-0123456789abcdef012345' };
export const TEST_SERVICE_CLIENT = { id: 'test-service', secret: 'test-service-secret-0123456789abcdef012345' };

/** The registry dataset of the test run: personas (docs/registry/dataset.md) plus a few hundred generated people. */
export const TEST_REGISTRY_AS_OF = '2026-01-01';

async function testRegistryDataset(): Promise<string> {
  // One file per jest worker: workers run in parallel and would otherwise race to write the same file.
  const path = join(tmpdir(), `vneid-test-registry-${process.pid}.ndjson`);
  await ensureDevRegistryDataset(path, { today: TEST_REGISTRY_AS_OF, citizens: 300, foreigners: 60 });
  return path;
}

export interface RunningProvider {
  issuer: string;
  config: AppConfig;
  container: Container;
  provider: Provider;
  /** The Koa application (its routers are read by test/support/route-inventory.ts). */
  app: Koa;
  http: HttpServer;
  stop(): Promise<void>;
}

/**
 * Starts the real application on a free loopback port against the given Redis: the HTTP server listens first so the
 * provider is built with its real issuer URL (STACK.md).
 */
export async function startProvider(
  redis: TestRedisServer,
  env: Record<string, string> = {},
  /**
   * `clock`: the flows' clock (registration, codes, sign-in times, the level-2 window); the provider's own protocol
   * time stays real. `config`: nested settings written to the test run's config/test.json (e.g. `signIn` thresholds).
   */
  options: { clock?: Clock; config?: Record<string, unknown> } = {},
): Promise<RunningProvider> {
  // As src/main.ts builds it, so the request-head limit (431) is the production one.
  const http = createHttpServer({ maxHeaderSize: MAX_REQUEST_HEADER_BYTES });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const configDir = mkdtempSync(join(tmpdir(), 'vneid-test-config-'));
  if (options.config) writeFileSync(join(configDir, 'test.json'), JSON.stringify(options.config));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      ISSUER: issuer,
      ...redis.providerEnvironment(),
      LOG_LEVEL: 'silent',
      CLIENTS_FILE: 'test/support/clients.test.json',
      REGISTRY_FILE: await testRegistryDataset(),
      ...env,
    },
    configDir,
  );
  const logger = createLogger({ level: config.logLevel });
  const container = await buildContainer({ config, logger, ...(options.clock ? { clock: options.clock } : {}) });
  await waitUntilConnected(container.redis, 5000);
  const { app, provider } = await createServer(container);
  http.on('request', app.callback());
  return {
    issuer,
    config,
    container,
    provider,
    app,
    http,
    stop: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await container.close();
    },
  };
}

export interface AccountFixture {
  account: Account;
  password: string;
  /** Form fields of the sign-in page for this account. */
  loginFields: Record<string, string>;
}

let citizenSequence = 100_000;

/**
 * Creates a citizen account directly in the store (registration has its own journeys): active unless `status` says
 * `pending_activation` (then it expires like an unactivated registration, 7 days from now).
 */
export async function createCitizen(
  container: Container,
  overrides: { level?: AssuranceLevel; password?: string; identity?: Partial<Identity>; status?: AccountStatus; phone?: string } = {},
): Promise<AccountFixture> {
  citizenSequence += 1;
  const password = overrides.password ?? 'correct horse battery staple';
  const identity: Identity = {
    kind: 'citizen',
    idNumber: `001190${String(citizenSequence).padStart(6, '0')}`,
    fullName: 'Lê Thị Hồng Nhung',
    birthDate: '1990-05-17',
    gender: 'female',
    ...overrides.identity,
  };
  const now = Date.now();
  const account: Account = {
    id: uuid(),
    identity,
    level: overrides.level ?? 1,
    status: overrides.status ?? 'active',
    ...(overrides.status === 'pending_activation' ? { activationExpiresAt: now + 7 * 86_400_000 } : {}),
    phone: overrides.phone ?? '+84901234567',
    // As if activated with the code sent to that phone (Decision 34 Art 7): the phone is proven, so it receives sign-in codes.
    phoneVerifiedAt: now,
    email: 'nhung@example.vn',
    passwordHash: await container.hasher.hash(password),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await container.accounts.create(account, loginKeyOf(identity)))) throw new Error('fixture account exists');
  return { account, password, loginFields: { kind: 'citizen', idNumber: identity.idNumber ?? '', password } };
}
