import { readFileSync } from 'node:fs';
import type { ClientEntry } from './config/clients.js';
import type { AgencyEndpointConfig } from './config/registries-config.js';
import { loadClients } from './config/clients.js';
import type { AppConfig } from './config/schema.js';
import { Argon2PasswordHasher } from './credentials/argon2-password-hasher.js';
import type { AcrNames } from './domain/levels.js';
import type { AccountLockStatus, AccountStore, ImmigrationRegistry, PasswordHasher, PopulationRegistry, PortraitSource } from './domain/ports.js';
import { PasswordSignIn } from './flows/password-sign-in.js';
import { createSignInService, type SignInService } from './flows/sign-in/create-sign-in-service.js';
import type { SignInCodeState } from './flows/sign-in/phone-code-factor.js';
import { ConsentService } from './flows/consent/consent-service.js';
import { createLevel2Service } from './flows/level2/create-level2-service.js';
import type { Level2Api } from './flows/level2/types.js';
import { createRegistrationService } from './flows/registration/create-registration-service.js';
import type { RegistrationApi } from './flows/registration/types.js';
import { createBiometricVerifier, type BiometricVerifierService } from './biometrics/create-biometric-verifier.js';
import { DevSamplePortraitSource } from './biometrics/dev-sample-portraits.js';
import { FilePortraitSource } from './biometrics/file-portrait-source.js';
import { createNotificationSender, type NotificationSenders } from './notifications/create-notification-sender.js';
import { FileRegistry } from './registries/file/file-registry.js';
import { AgencyHttpClient } from './registries/http/agency-http-client.js';
import { HttpImmigrationRegistry } from './registries/http/http-immigration-registry.js';
import { HttpPopulationRegistry } from './registries/http/http-population-registry.js';
import { DEV_DATASET_AS_OF, ensureDevRegistryDataset } from './registries/synthetic/generate-dataset.js';
import { devPersonas } from './registries/synthetic/dev-personas.js';
import { Metrics } from './http/metrics.js';
import type { Clock } from './shared/clock.js';
import { systemClock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { RedisAccountStore } from './storage/account-store.js';
import { RedisFlowStore } from './storage/flow-store.js';
import { RedisFailureThrottle } from './storage/failure-throttle.js';
import { RedisLockLedger } from './storage/lock-ledger.js';
import { RedisRateLimiter } from './storage/rate-limiter.js';
import { RedisTotpStore } from './storage/totp-store.js';
import { createRegistrationLimiters } from './storage/rate-limiter.js';
import { RedisKeys } from './storage/keys.js';
import { RedisAccountOidcIndex } from './storage/account-oidc-index.js';
import type { AccountSelfService } from './flows/account/account-self-service.js';
import { createAccountSelfService } from './flows/account/create-account-self-service.js';
import type { OwnerCodeFlow } from './flows/account/owner-code-flow.js';
import { parseDelegatedStatistics } from './domain/network-location.js';
import type { RateLimiter } from './domain/ports.js';
import { RedisAttemptWindow } from './storage/attempt-window.js';
import { RedisConsentGrants } from './storage/consent-grants.js';
import { createRedisAdapterFactory } from './storage/oidc-adapter.js';
import { createRedisConnection, redisConnectionSettings, type RedisConnection } from './storage/redis-client.js';
import { SigningKeyStore } from './storage/signing-key-store.js';
import type { AuditTrail } from './domain/audit.js';
import type { ClientSuspensions, LockLedger } from './domain/ports.js';
import { AccountLocking } from './flows/locks/account-locking.js';
import { RegistryReconciliation } from './flows/registry-sync/reconciliation.js';
import { RegistrySync } from './flows/registry-sync/registry-sync.js';
import { ProviderAccountSessions } from './oidc/account-sessions.js';
import { RedisAccountScan } from './storage/account-scan.js';
import { RedisAuditTrail } from './storage/audit-trail.js';
import { RedisClientSuspensions } from './storage/client-suspension-store.js';
import { RedisProcessedEvents } from './storage/processed-event-store.js';
import { RedisSingletonLease } from './storage/singleton-lease.js';

/**
 * The only place that constructs adapters and wires them together. Everything else receives what it needs.
 */
export interface Container {
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  redis: RedisConnection;
  keys: RedisKeys;
  clients: ClientEntry[];
  acrNames: AcrNames;
  accounts: AccountStore;
  hasher: PasswordHasher;
  signingKeys: SigningKeyStore;
  signIn: PasswordSignIn;
  metrics: Metrics;
  oidcAdapter: ReturnType<typeof createRedisAdapterFactory>;
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
  /** SMS and email (Decision 34 Art 7); `outbox` only in the development outbox mode, for /dev/outbox. */
  notifications: NotificationSenders;
  /** Registration and activation (Decision 34 Art 6, 7). */
  registration: RegistrationApi;
  /** Whether an account has an open lock (Decision 34 Art 10): read at every sign-in, authorization and token use. */
  lockStatus: AccountLockStatus;
  /** Sign-in: password with throttling, then a phone code or TOTP app for level 2 (Decision 34 Art 5; NIST SP 800-63B). */
  signInService: SignInService;
  /** The level-2 portrait check (docs/biometrics.md); main.ts warms it up, close() stops its workers. */
  biometrics: BiometricVerifierService;
  /** The upgrade to level 2: remote portrait match, in-person record (Decision 34 Art 5.1.b; docs/level2.md). */
  level2: Level2Api;
  /** Consents given to relying parties, and their withdrawal (`consents.revokeConsent(accountId, clientId)`). */
  consents: ConsentService;
  /** The lock ledger (Decision 34 Art 10, 11): open locks and history; `lockStatus` is the same object. */
  lockLedger: LockLedger;
  /** Locking and restoration with their effects (Decision 34 Art 10, 11); the owner's operations of flows/locks/types.ts. */
  locks: AccountLocking;
  /** The owner's own account (Decision 34 Art 12.1.dd): overview, password, contacts, unlocking (flows/account). */
  accountSelf: AccountSelfService;
  /** Ends an account's sessions but one, after a password change; server.ts attaches the provider. */
  /** Signed-in changes on the account pages per account (`accountPages.changesPerAccount`). */
  accountChanges: RateLimiter;
  /** Requests per API client on /api/v1 (`api.requestsPerClient`). */
  apiRequests: RateLimiter;
  /** Ends an account's sessions and grants with back-channel logout; server.ts attaches the provider. */
  accountSessions: ProviderAccountSessions;
  /** The audit trail (Redis Streams; docs/audit.md): `audit.record(event)`. */
  audit: AuditTrail;
  /** Relying parties suspended by the operator (Decision 34 Art 13.5). */
  clientSuspensions: ClientSuspensions;
  /** Registry events applied to the accounts (Decision 34 Art 9.1). */
  registrySync: RegistrySync;
  /** The periodic pass for missed registry events (started here when enabled, stopped by close()). */
  reconciliation: RegistryReconciliation;
  /** Closes connections; the HTTP server is drained by main.ts before this. */
  close(): Promise<void>;
}

interface Registries {
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
  close(): Promise<void>;
}

export interface ContainerOptions {
  config: AppConfig;
  logger: Logger;
  /** The embedded development redis-server's URL, used when config.redis names no Redis (url, cluster or sentinels). */
  redisUrl?: string;
  clock?: Clock;
}

/** The population and immigration registries the configuration names; the file registry only outside production. */
async function buildRegistries(config: AppConfig, logger: Logger, clock: Clock): Promise<Registries> {
  const settings = config.registries;
  if (settings.mode === 'file') {
    if (config.env === 'development') {
      const { generated } = await ensureDevRegistryDataset(settings.filePath, { today: DEV_DATASET_AS_OF });
      if (generated) logger.info({ path: settings.filePath }, 'registry_dataset.generated');
    }
    const registry = await FileRegistry.load(settings.filePath, { environment: config.env, logger });
    return { population: registry, immigration: registry, close: async () => registry.close() };
  }
  const read = (file: string | undefined): string | undefined => (file ? readFileSync(file, 'utf8') : undefined);
  const certificate = read(settings.clientCertificateFile);
  const key = read(settings.clientKeyFile);
  const agencyClient = (agency: 'population' | 'immigration', endpoint: AgencyEndpointConfig | undefined): AgencyHttpClient => {
    if (!endpoint) throw new Error(`registries.${agency} is not configured`);
    return new AgencyHttpClient(
      {
        agency,
        baseUrl: endpoint.baseUrl,
        timeoutMs: endpoint.timeoutMs,
        retries: endpoint.retries,
        backoffBaseMs: endpoint.backoffBaseMs,
        backoffMaxMs: endpoint.backoffMaxMs,
        apiKey: settings.apiKey,
        mutualTls: certificate && key ? { cert: certificate, key } : undefined,
        caCertificate: read(settings.caCertificateFile),
        circuitBreaker: { failureThreshold: endpoint.failureThreshold, openMs: endpoint.openMs },
      },
      { clock, logger },
    );
  };
  const population = agencyClient('population', settings.population);
  const immigration = agencyClient('immigration', settings.immigration);
  return {
    population: new HttpPopulationRegistry(population),
    immigration: new HttpImmigrationRegistry(immigration),
    close: async () => {
      await Promise.all([population.close(), immigration.close()]);
    },
  };
}

/**
 * The registry's portraits for the local face matcher: the development file store, where one persona (Phạm Thị Lan,
 * level 1) has the sample photo of @vladmandic/human's author as portrait (README "Try level 2"). The http mode's ABIS
 * holds the portraits itself.
 */
function developmentPortraits(config: AppConfig): PortraitSource {
  const files = new FilePortraitSource(config.biometrics.portraitsDirectory);
  if (config.env === 'production' || config.registries.mode !== 'file') return files;
  return new DevSamplePortraitSource(files, devPersonas(DEV_DATASET_AS_OF).citizens.mother.biometrics.portraitRef ?? '');
}

export async function buildContainer({ config, logger, redisUrl, clock = systemClock }: ContainerOptions): Promise<Container> {
  const registries = await buildRegistries(config, logger, clock);
  const metrics = new Metrics();
  const redis = createRedisConnection(redisConnectionSettings(config.redis, redisUrl));
  // Without a listener ioredis would print every reconnect failure as an unhandled error event.
  redis.on('error', (error: Error) => {
    metrics.redisError();
    logger.warn({ err: { message: error.message } }, 'redis.error');
  });
  const keys = new RedisKeys(config.redis.keyPrefix);
  const acrNames = [config.acr.values[0], config.acr.values[1]] as unknown as AcrNames;
  const accounts = new RedisAccountStore(redis, keys, clock);
  const hasher = new Argon2PasswordHasher(config.passwordHash);
  const signingKeys = new SigningKeyStore(redis, keys, clock);
  const notifications = createNotificationSender(config, { redis, keys, logger, clock });
  // Decision 34 Art 10: the ledger is read by the adapter too, so no record is kept for a locked account.
  const lockLedger = new RedisLockLedger(redis, keys);
  const audit = new RedisAuditTrail(redis, keys, { retentionDays: config.lifecycle.audit.retentionDays, clock });
  const oidcAdapter = createRedisAdapterFactory(redis, keys, { lockStatus: lockLedger });
  const biometrics = createBiometricVerifier(config.biometrics, { logger, portraits: developmentPortraits(config) });
  const level2 = createLevel2Service(
    {
      accounts,
      population: registries.population,
      immigration: registries.immigration,
      verifier: biometrics.verifier,
      attempts: new RedisAttemptWindow(redis, keys, 'level2-attempts', config.level2.attempts),
      photoRejections: new RedisAttemptWindow(redis, keys, 'level2-photo-rejections', config.level2.photoRejections),
      clock,
      logger,
      audit,
    },
    config.level2,
  );
  const consents = new ConsentService({ grants: new RedisConsentGrants(new RedisAccountOidcIndex(redis, keys), oidcAdapter), clock, logger, audit });
  const registration = createRegistrationService(
    {
      accounts,
      flows: new RedisFlowStore(redis, keys, 'registration'),
      limiters: createRegistrationLimiters(redis, keys, config.limits),
      population: registries.population,
      immigration: registries.immigration,
      sender: notifications.sender,
      hasher,
      clock,
      logger,
      // Codes are hashed and limit keys pseudonymised with the cookie secrets (generated and kept in Redis in development).
      secrets: async () => (config.keys.cookieKeys.length > 0 ? config.keys.cookieKeys : signingKeys.ensureDevCookieKeys()),
    },
    { limits: config.limits, consent: config.consent, eligibility: config.eligibility, completedFlowTtlMs: keys.completedFlowTtlMs },
  );
  const signIn = new PasswordSignIn(accounts, hasher);
  const lockStatus = lockLedger;
  const throttle = (name: string, rule: AppConfig['signIn']['passwordFailures']) => new RedisFailureThrottle(redis, keys, name, rule);
  const signInService = createSignInService(
    {
      signIn,
      locks: lockStatus,
      codeFlows: new RedisFlowStore<SignInCodeState>(redis, keys, 'sign-in-code'),
      totpStore: new RedisTotpStore(redis, keys),
      sender: notifications.sender,
      codeSendsPerPhone: new RedisRateLimiter(redis, keys, 'sign-in-code-phone', config.signIn.code.sendsPerPhone),
      throttles: {
        password: throttle('sign-in-password', config.signIn.passwordFailures),
        ip: throttle('sign-in-ip', config.signIn.ipFailures),
        phoneCode: throttle('sign-in-sms', config.signIn.secondFactorFailures),
        totp: throttle('sign-in-totp', config.signIn.secondFactorFailures),
      },
      clock,
      logger,
      // The same server secrets as registration: code hashes, limit-key pseudonyms, and the sealing of TOTP secrets.
      secrets: async () => (config.keys.cookieKeys.length > 0 ? config.keys.cookieKeys : signingKeys.ensureDevCookieKeys()),
    },
    config.signIn,
  );
  const lifecycle = config.lifecycle;
  const clientSuspensions = new RedisClientSuspensions(redis, keys);
  const accountSessions = new ProviderAccountSessions({ adapter: oidcAdapter, index: new RedisAccountOidcIndex(redis, keys), logger });
  const locks = new AccountLocking({ ledger: lockLedger, accounts, sessions: accountSessions, audit, sender: notifications.sender, clock, logger });
  const pagesConfig = config.accountPages;
  const accountSelf = createAccountSelfService(
    {
      accounts,
      hasher,
      sender: notifications.sender,
      locks,
      audit,
      sessions: accountSessions,
      flows: new RedisFlowStore<OwnerCodeFlow>(redis, keys, 'owner-code'),
      limiters: {
        wrongPasswordsPerAccount: new RedisRateLimiter(redis, keys, 'account-wrong-password', pagesConfig.wrongPasswordsPerAccount),
        codeStepsPerIp: new RedisRateLimiter(redis, keys, 'account-code-steps-ip', pagesConfig.codeStepsPerIp),
        // The same counters as registration's: codes to one phone number or address, whatever sent them.
        codeSendsPerContact: new RedisRateLimiter(redis, keys, 'code-contact', config.limits.codeSendsPerContact),
        wrongCodesPerAccount: new RedisRateLimiter(redis, keys, 'account-wrong-code', pagesConfig.wrongCodesPerAccount),
      },
      secrets: async () => (config.keys.cookieKeys.length > 0 ? config.keys.cookieKeys : signingKeys.ensureDevCookieKeys()),
      clock,
      logger,
    },
    {
      limits: config.limits,
      accountPages: pagesConfig,
      // Read once at start-up; a missing or unreadable file stops the start (the operator named it).
      ...(pagesConfig.ipCountryFile ? { homeRanges: parseDelegatedStatistics(readFileSync(pagesConfig.ipCountryFile, 'utf8')) } : {}),
    },
  );
  const accountChanges = new RedisRateLimiter(redis, keys, 'account-changes', pagesConfig.changesPerAccount);
  const apiRequests = new RedisRateLimiter(redis, keys, 'api-client', config.api.requestsPerClient);
  const registrySync = new RegistrySync({
    accounts,
    locking: locks,
    audit,
    sender: notifications.sender,
    processed: new RedisProcessedEvents(redis, keys, lifecycle.registryEvents.processedEventRetentionDays * 86_400_000),
    clock,
    logger,
  });
  const reconciliation = new RegistryReconciliation(
    {
      accounts,
      scan: new RedisAccountScan(redis, keys),
      population: registries.population,
      immigration: registries.immigration,
      locking: locks,
      sync: registrySync,
      lease: new RedisSingletonLease(redis, keys),
      audit,
      clock,
      logger,
    },
    { intervalMs: lifecycle.reconciliation.intervalMinutes * 60_000, accountsPerPass: lifecycle.reconciliation.accountsPerPass },
  );
  if (lifecycle.reconciliation.enabled) reconciliation.start();
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
    signingKeys,
    signIn,
    lockStatus,
    signInService,
    metrics,
    oidcAdapter,
    population: registries.population,
    immigration: registries.immigration,
    notifications,
    registration,
    biometrics,
    level2,
    consents,
    lockLedger,
    locks,
    accountSelf,
    accountChanges,
    apiRequests,
    accountSessions,
    audit,
    clientSuspensions,
    registrySync,
    reconciliation,
    close: async () => {
      await reconciliation.stop();
      await Promise.all([registries.close(), notifications.close(), biometrics.close()]);
      redis.disconnect();
    },
  };
}
