import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { PasswordHashConfig } from '../../../../src/config/schema.js';
import { LimitsConfig, ConsentConfig, RateLimitConfig } from '../../../../src/config/registration-config.js';
import { Argon2PasswordHasher } from '../../../../src/credentials/argon2-password-hasher.js';
import { loginKeyOf, type Account } from '../../../../src/domain/account.js';
import { DEFAULT_ELIGIBILITY_POLICY } from '../../../../src/domain/eligibility.js';
import type { Notification, NotificationSender } from '../../../../src/domain/ports.js';
import type {
  CitizenRecord,
  ForeignerRecord,
  ImmigrationRegistry,
  PopulationRegistry,
  RegistryLookup,
} from '../../../../src/domain/registry.js';
import { createRegistrationService } from '../../../../src/flows/registration/create-registration-service.js';
import type { RegistrationFlow } from '../../../../src/flows/registration/registration-flow.js';
import type { RegistrationService } from '../../../../src/flows/registration/registration-service.js';
import type {
  CitizenRegistrationInput,
  ForeignerRegistrationInput,
  RequestContext,
} from '../../../../src/flows/registration/types.js';
import { PasswordSignIn } from '../../../../src/flows/password-sign-in.js';
import { FileRegistry } from '../../../../src/registries/file/file-registry.js';
import { devPersonas, type DevPersonas } from '../../../../src/registries/synthetic/dev-personas.js';
import { writeRegistryDataset } from '../../../../src/registries/synthetic/generate-dataset.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { fail, ok, type Result } from '../../../../src/shared/result.js';
import { RedisAccountStore } from '../../../../src/storage/account-store.js';
import { RedisFlowStore } from '../../../../src/storage/flow-store.js';
import { RedisKeys } from '../../../../src/storage/keys.js';
import { createRedisClient, waitUntilConnected } from '../../../../src/storage/redis-client.js';
import { createRegistrationLimiters } from '../../../../src/storage/rate-limiter.js';
import { TestRedisServer } from '../../../support/redis-server.js';

/**
 * Registration flows against a real Redis and the file-backed registry of a small generated dataset, with a sender
 * that records messages. Every `world()` gets its own key prefix, clock and sender, so tests never share limits.
 */

/** The dataset's as-of date, and the moment the tests start: 10:00 in Vietnam that day. */
export const AS_OF = '2026-03-01';
export const START = Date.parse(`${AS_OF}T03:00:00Z`);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A NotificationSender that keeps what it was asked to send, and can be switched to fail like a gateway outage. */
export class RecordingSender implements NotificationSender {
  readonly sent: Notification[] = [];
  failing = false;
  attempts = 0;

  async send(notification: Notification): Promise<Result<void, 'sender_unavailable'>> {
    this.attempts += 1;
    if (this.failing) return fail('sender_unavailable');
    this.sent.push(notification);
    return ok(undefined);
  }

  /** The code in the last activation message sent to `to` (or to anyone). */
  lastCode(to?: string): string {
    const message = [...this.sent].reverse().find((sent) => sent.template === 'activation_code' && (to === undefined || sent.to === to));
    const code = message?.params.code;
    if (code === undefined) throw new Error('no activation code was sent');
    return code;
  }

  codesSent(): number {
    return this.sent.filter((sent) => sent.template === 'activation_code').length;
  }
}

/** The registries, with a switch that makes them unable to answer (fail closed) and a count of lookups. */
export class SwitchableRegistry implements PopulationRegistry, ImmigrationRegistry {
  down = false;
  lookups = 0;

  constructor(private readonly inner: FileRegistry) {}

  async findCitizen(idNumber: string): Promise<RegistryLookup<CitizenRecord>> {
    this.lookups += 1;
    return this.down ? fail('registry_unavailable') : this.inner.findCitizen(idNumber);
  }

  async findForeigner(passportNumber: string, nationality: string): Promise<RegistryLookup<ForeignerRecord>> {
    this.lookups += 1;
    return this.down ? fail('registry_unavailable') : this.inner.findForeigner(passportNumber, nationality);
  }
}

export interface Shared {
  server: TestRedisServer;
  redis: Redis;
  fileRegistry: FileRegistry;
  personas: DevPersonas;
  hasher: Argon2PasswordHasher;
  close(): Promise<void>;
}

/** One Redis and one registry per test file (beforeAll); close() in afterAll. */
export async function startShared(): Promise<Shared> {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-registration-'));
  const datasetPath = join(dir, 'registry.ndjson');
  await writeRegistryDataset(datasetPath, { seed: 'registration', citizens: 40, foreigners: 15, asOf: AS_OF });
  const fileRegistry = await FileRegistry.load(datasetPath, { environment: 'test' });
  const server = await TestRedisServer.start();
  const redis = createRedisClient({ url: server.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  await waitUntilConnected(redis, 5000);
  return {
    server,
    redis,
    fileRegistry,
    personas: devPersonas(AS_OF),
    hasher: new Argon2PasswordHasher(new PasswordHashConfig()),
    close: async () => {
      redis.disconnect();
      await fileRegistry.close();
      await server.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let worlds = 0;

export interface World {
  service: RegistrationService;
  clock: ManualClock;
  sender: RecordingSender;
  registry: SwitchableRegistry;
  keys: RedisKeys;
  accounts: RedisAccountStore;
  flows: RedisFlowStore<RegistrationFlow>;
  signIn: PasswordSignIn;
  limits: LimitsConfig;
}

const rule = (points: number, windowSeconds: number, blockSeconds = 0): RateLimitConfig =>
  Object.assign(new RateLimitConfig(), { points, windowSeconds, blockSeconds });

/** A fresh registration service; `limits` overrides the configured defaults. */
export function world(shared: Shared, limits: Partial<LimitsConfig> = {}): World {
  const keys = new RedisKeys(`reg${(worlds += 1)}:`);
  const clock = new ManualClock(START);
  const sender = new RecordingSender();
  const registry = new SwitchableRegistry(shared.fileRegistry);
  const accounts = new RedisAccountStore(shared.redis, keys, clock);
  const flows = new RedisFlowStore<RegistrationFlow>(shared.redis, keys, 'registration');
  const configured = Object.assign(new LimitsConfig(), limits);
  const service = createRegistrationService(
    {
      accounts,
      flows,
      limiters: createRegistrationLimiters(shared.redis, keys, configured),
      population: registry,
      immigration: registry,
      sender,
      hasher: shared.hasher,
      clock,
      secrets: async () => ['test-secret-for-registration-0123456789abcdef'],
    },
    {
      limits: configured,
      consent: new ConsentConfig(),
      eligibility: DEFAULT_ELIGIBILITY_POLICY,
      completedFlowTtlMs: keys.completedFlowTtlMs,
    },
  );
  return { service, clock, sender, registry, keys, accounts, flows, signIn: new PasswordSignIn(accounts, shared.hasher), limits: configured };
}

/** Generous registry limits, for tests about something else than those limits. */
export const GENEROUS: Partial<LimitsConfig> = {
  registryMatchesPerIdentity: rule(1000, 3600),
  registryMatchesPerIp: rule(1000, 3600),
};
export { rule };

export const REQUEST: RequestContext = { ip: '203.0.113.7', locale: 'vi' };
export const CONSENT = { acceptedTerms: true, acceptedDataProcessing: true };

/** The form a citizen fills in for themselves, from the registry record (so it matches unless overridden). */
export function citizenForm(record: CitizenRecord, overrides: Partial<CitizenRegistrationInput> = {}): CitizenRegistrationInput {
  return {
    idNumber: record.idNumber,
    fullName: record.fullName,
    birthDate: record.birthDate,
    gender: record.gender,
    phone: '0901234567',
    email: 'registrant@example.vn',
    channel: 'sms',
    consent: CONSENT,
    ...overrides,
  };
}

export function foreignerForm(
  record: ForeignerRecord,
  overrides: Partial<ForeignerRegistrationInput> = {},
): ForeignerRegistrationInput {
  return {
    passportNumber: record.passportNumber,
    nationality: record.nationality,
    fullName: record.fullName,
    birthDate: record.birthDate,
    gender: record.gender,
    phone: '+33612345678',
    email: 'registrant@example.fr',
    channel: 'email',
    consent: CONSENT,
    ...overrides,
  };
}

export const GOOD_PASSWORD = 'mây trắng bay qua đồi';

/** Registers, enters the code and sets the password: an active account, as a journey step. */
export async function registerAndActivate(w: World, form: CitizenRegistrationInput, password = GOOD_PASSWORD): Promise<Account> {
  const started = await w.service.startCitizen(form, REQUEST);
  if (!started.ok) throw new Error(`registration refused: ${started.error}`);
  const verified = await w.service.verifyCode(started.value.flow.id, w.sender.lastCode());
  if (!verified.ok) throw new Error(`code refused: ${verified.error}`);
  const completed = await w.service.setPassword(started.value.flow.id, password);
  if (!completed.ok) throw new Error(`password refused: ${completed.error}`);
  const account = await w.accounts.findById(completed.value.accountId);
  if (!account) throw new Error('activated account not found');
  return account;
}

/** An active account for a registry person, written directly (a parent or guardian who registered long ago). */
export async function existingAccount(w: World, shared: Shared, record: CitizenRecord | ForeignerRecord, level: 1 | 2): Promise<Account> {
  const now = w.clock.now();
  const account: Account = {
    id: `acct-${record.kind}-${record.kind === 'citizen' ? record.idNumber : record.passportNumber}-${level}-${now}`,
    identity: {
      kind: record.kind,
      ...(record.kind === 'citizen'
        ? { idNumber: record.idNumber }
        : { passportNumber: record.passportNumber, nationality: record.nationality }),
      fullName: record.fullName,
      birthDate: record.birthDate,
      gender: record.gender,
    },
    level,
    status: 'active',
    phone: '+84987654321',
    email: 'parent@example.vn',
    passwordHash: await shared.hasher.hash('parent password 123'),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await w.accounts.create(account, loginKeyOf(account.identity)))) throw new Error('account exists');
  return account;
}
