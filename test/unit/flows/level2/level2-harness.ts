import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { Level2Config } from '../../../../src/config/level2-config.js';
import { loginKeyOf, type Account, type Identity } from '../../../../src/domain/account.js';
import type { AuditEventInput, AuditTrail } from '../../../../src/domain/audit.js';
import type { BiometricVerifier, PortraitCheck, PortraitCheckFailure } from '../../../../src/domain/ports.js';
import type {
  CitizenRecord,
  ForeignerRecord,
  ImmigrationRegistry,
  PopulationRegistry,
  RegistryLookup,
} from '../../../../src/domain/registry.js';
import { createLevel2Service } from '../../../../src/flows/level2/create-level2-service.js';
import type { Level2Service } from '../../../../src/flows/level2/level2-service.js';
import { uuid } from '../../../../src/shared/ids.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { fail, ok, type Result } from '../../../../src/shared/result.js';
import { RedisAccountStore } from '../../../../src/storage/account-store.js';
import { RedisAttemptWindow } from '../../../../src/storage/attempt-window.js';
import { RedisKeys } from '../../../../src/storage/keys.js';

/**
 * The level-2 flows against a real Redis (accounts, attempt windows), registries held in memory, and a scripted
 * BiometricVerifier that records what it was given. Each world has its own key prefix and clock.
 */

export const START = Date.UTC(2026, 2, 1, 3, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

type Outcome = Result<PortraitCheck, PortraitCheckFailure>;

/** Answers from a script (default: matched), keeps the refs asked for and a copy of each probe AS RECEIVED. */
export class ScriptedVerifier implements BiometricVerifier {
  readonly script: Outcome[] = [];
  readonly calls: { portraitRef: string; probeAtCall: Uint8Array; probe: Uint8Array }[] = [];

  async verifyPortrait(input: { probe: Uint8Array; portraitRef: string }): Promise<Outcome> {
    // The copy shows what the verifier got; `probe` is the caller's buffer, to see whether it was wiped afterwards.
    this.calls.push({ portraitRef: input.portraitRef, probeAtCall: new Uint8Array(input.probe), probe: input.probe });
    return this.script.shift() ?? ok({ matched: true, score: 0.72, method: 'face' });
  }

  next(...outcomes: Outcome[]): void {
    this.script.push(...outcomes);
  }
}

export const matched = (score = 0.7): Outcome => ok({ matched: true, score, method: 'face' });
export const notMatched = (score = 0.31): Outcome => ok({ matched: false, score, method: 'face' });
export const failed = (failure: PortraitCheckFailure): Outcome => fail(failure);

/** Population and immigration registries in memory, switchable to "cannot answer". */
export class MemoryRegistries implements PopulationRegistry, ImmigrationRegistry {
  readonly citizens = new Map<string, CitizenRecord>();
  readonly foreigners = new Map<string, ForeignerRecord>();
  down = false;

  async findCitizen(idNumber: string): Promise<RegistryLookup<CitizenRecord>> {
    if (this.down) return fail('registry_unavailable');
    return ok(this.citizens.get(idNumber) ?? null);
  }

  async findForeigner(passportNumber: string, nationality: string): Promise<RegistryLookup<ForeignerRecord>> {
    if (this.down) return fail('registry_unavailable');
    return ok(this.foreigners.get(`${nationality}:${passportNumber}`) ?? null);
  }
}

/** An audit trail that keeps what it was given. */
export class RecordingAudit implements AuditTrail {
  readonly events: AuditEventInput[] = [];
  async record(event: AuditEventInput): Promise<void> {
    this.events.push(event);
  }
  async listForAccount(): Promise<{ events: never[] }> {
    return { events: [] };
  }
  async *exportForAccount(): AsyncIterable<never> {
    // Nothing to export in these tests.
  }
}

let serial = 0;

export interface World {
  clock: ManualClock;
  accounts: RedisAccountStore;
  registries: MemoryRegistries;
  verifier: ScriptedVerifier;
  audit: RecordingAudit;
  service: Level2Service;
  config: Level2Config;
  keys: RedisKeys;
  /** Every log line written, as text. */
  logs: string[];
  /** A citizen with an active level-1 account and a registry record with a portrait. */
  citizen(overrides?: Partial<Account> & { portraitRef?: string | null; record?: Partial<CitizenRecord> }): Promise<Account>;
  foreigner(overrides?: Partial<Account>): Promise<Account>;
}

export function world(redis: Redis): World {
  serial += 1;
  const keys = new RedisKeys(`t${process.pid}-${serial}:`);
  const clock = new ManualClock(START);
  const accounts = new RedisAccountStore(redis, keys, clock);
  const registries = new MemoryRegistries();
  const verifier = new ScriptedVerifier();
  const audit = new RecordingAudit();
  const config = new Level2Config();
  const logs: string[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  const service = createLevel2Service(
    {
      accounts,
      population: registries,
      immigration: registries,
      verifier,
      attempts: new RedisAttemptWindow(redis, keys, 'level2-attempts', config.attempts),
      photoRejections: new RedisAttemptWindow(redis, keys, 'level2-photo-rejections', config.photoRejections),
      clock,
      logger,
      audit,
    },
    config,
  );

  async function create(identity: Identity, overrides: Partial<Account>): Promise<Account> {
    const account: Account = {
      id: uuid(),
      identity,
      level: 1,
      status: 'active',
      passwordHash: 'not-used-here',
      createdAt: clock.now(),
      updatedAt: clock.now(),
      ...overrides,
    };
    if (!(await accounts.create(account, loginKeyOf(account.identity)))) throw new Error('fixture account exists');
    return account;
  }

  return {
    clock,
    accounts,
    registries,
    verifier,
    audit,
    service,
    config,
    keys,
    logs,
    async citizen(overrides = {}) {
      serial += 1;
      const idNumber = `00119${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(4, '0')}`;
      const { portraitRef = `pt_${idNumber}`, record = {}, ...accountOverrides } = overrides;
      const identity: Identity = { kind: 'citizen', idNumber, fullName: 'Trần Thị Mai', birthDate: '1990-05-17', gender: 'female' };
      registries.citizens.set(idNumber, {
        kind: 'citizen',
        idNumber,
        idNumberStatus: 'valid',
        replacedBy: null,
        idCard: { expiresOn: '2035-05-17' },
        fullName: identity.fullName,
        birthDate: identity.birthDate,
        gender: identity.gender,
        lifeStatus: 'alive',
        parents: [],
        guardians: [],
        underGuardianship: false,
        biometrics: { portraitRef, fingerprintRef: null },
        ...record,
      });
      return create(identity, accountOverrides);
    },
    async foreigner(overrides = {}) {
      serial += 1;
      const passportNumber = `K${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(5, '0')}`;
      const identity: Identity = {
        kind: 'foreigner',
        passportNumber,
        nationality: 'KOR',
        fullName: 'KIM MIN JUN',
        birthDate: '1991-09-03',
        gender: 'male',
      };
      registries.foreigners.set(`KOR:${passportNumber}`, {
        kind: 'foreigner',
        passportNumber,
        nationality: 'KOR',
        passportExpiresOn: '2031-01-01',
        residenceDocument: null,
        visaKind: null,
        fullName: identity.fullName,
        birthDate: identity.birthDate,
        gender: identity.gender,
        lifeStatus: 'alive',
        parents: [],
        guardians: [],
        underGuardianship: false,
        biometrics: { portraitRef: `pt_${passportNumber}`, fingerprintRef: null },
      });
      return create(identity, overrides);
    },
  };
}

/** The text shown on the consent page, for the tests: any non-empty text is recorded by its digest. */
export const CONSENT_TEXT = 'Tôi đồng ý để ảnh khuôn mặt của tôi được so sánh với ảnh chân dung của tôi.';

export async function consent(w: World, account: Account): Promise<void> {
  const recorded = await w.service.recordConsent(account.id, { accepted: true, text: CONSENT_TEXT, locale: 'vi' });
  if (!recorded.ok) throw new Error(`consent refused: ${recorded.error}`);
}

/** A photo whose bytes are easy to look for: a JPEG signature, then a recognisable random-looking body. */
export function photo(size = 4096): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  for (let index = 4; index < size; index += 1) bytes[index] = (index * 131 + 17) % 251;
  return bytes;
}
