import type { Identity } from '../../domain/account.js';
import type { AuditEventInput, AuditTrail } from '../../domain/audit.js';
import type {
  AccountStore,
  AttemptWindow,
  BiometricVerifier,
  ImmigrationRegistry,
  PopulationRegistry,
} from '../../domain/ports.js';
import type { RegistryLookup, RegistryRecord } from '../../domain/registry.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';

export interface Level2Dependencies {
  accounts: AccountStore;
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
  verifier: BiometricVerifier;
  /** Comparisons per account (matched or not): config `level2.attempts`. */
  attempts: AttemptWindow;
  /** Unusable photos per account: config `level2.photoRejections`. */
  photoRejections: AttemptWindow;
  clock: Clock;
  logger?: Logger;
  /** The audit trail, when wired: level changes and consents are recorded there too (never scores or images). */
  audit?: AuditTrail;
}

export interface Level2Settings {
  consentVersion: string;
  consentMaxAgeMs: number;
  inPersonMaxAgeMs: number;
}

/** What every step of this folder shares: the adapters, the settings, and the registry look-up of an account. */
export class Level2Context {
  constructor(
    readonly deps: Level2Dependencies,
    readonly settings: Level2Settings,
  ) {}

  now(): number {
    return this.deps.clock.now();
  }

  /**
   * The registry's current record of the account's identity (Decision 34 Art 5.1.a: citizens in the population
   * database, 5.1.b foreigners in the immigration database); the portrait reference is read from it each time, never
   * kept on the account.
   */
  currentRecord(identity: Identity): Promise<RegistryLookup<RegistryRecord>> {
    if (identity.kind === 'citizen') return this.deps.population.findCitizen(identity.idNumber ?? '');
    return this.deps.immigration.findForeigner(identity.passportNumber ?? '', identity.nationality ?? '');
  }

  /** A log line with the event name and facts that identify nobody (account ids are opaque); never an image or a score in clear text beyond 3 decimals. */
  log(event: string, fields: Record<string, string | number | boolean | undefined>): void {
    this.deps.logger?.info({ event, ...fields }, event);
  }

  /** Appends to the audit trail when one is wired; a trail that cannot be written fails the step (fail closed). */
  async audit(event: AuditEventInput): Promise<void> {
    if (this.deps.audit) await this.deps.audit.record(event);
  }
}
