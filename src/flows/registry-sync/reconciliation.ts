import type { Account } from '../../domain/account.js';
import type { AuditTrail } from '../../domain/audit.js';
import type { AccountEnumeration, AccountStore, ImmigrationRegistry, PopulationRegistry, SingletonLease } from '../../domain/ports.js';
import { reconcileWithRecord } from '../../domain/registry-event.js';
import type { RegistryLookup, RegistryRecord } from '../../domain/registry.js';
import type { Clock } from '../../shared/clock.js';
import { uuid } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { AccountLocking } from '../locks/account-locking.js';
import type { RegistrySync } from './registry-sync.js';

export interface ReconciliationDeps {
  accounts: AccountStore;
  scan: AccountEnumeration;
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
  locking: AccountLocking;
  sync: RegistrySync;
  lease: SingletonLease;
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
}

export interface ReconciliationSettings {
  /** Time between passes. */
  intervalMs: number;
  /** Accounts looked at per pass (each costs one registry lookup). */
  accountsPerPass: number;
}

export interface PassReport {
  examined: number;
  changed: number;
  /** The registry answered that it holds no such person: nothing is changed on that basis alone. */
  notFound: number;
  /** The pass stopped early because a registry could not answer (it resumes there next time). */
  registryUnavailable: boolean;
}

const LEASE = 'registry-reconciliation';
/** Vietnam is UTC+7 all year: a document valid "until 2026-05-31" is valid through that day there. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export const vietnamDate = (epochMs: number): string => new Date(epochMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

/**
 * The periodic pass that catches registry events that were never delivered (Decision 34 Art 9.1): a bounded batch of
 * accounts per pass, each compared with the registry's current record, differences applied as the events would have.
 * One instance at a time runs it (a Redis lease); the others skip their turn.
 */
export class RegistryReconciliation {
  private readonly holder = uuid();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: ReconciliationDeps,
    private readonly settings: ReconciliationSettings,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runPass()
        .catch((error: unknown) => this.deps.logger.warn({ event: 'reconciliation.failed', error: error instanceof Error ? error.message : 'unknown' }, 'reconciliation.failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.deps.lease.release(LEASE, this.holder).catch(() => undefined);
  }

  /** One pass, if this instance holds (or takes) the lease; `not_leader` otherwise. */
  async runPass(): Promise<PassReport | 'not_leader'> {
    const { lease, scan, accounts, audit, logger } = this.deps;
    // Held a little longer than the interval, so the holder renews it before anyone else may take it.
    if (!(await lease.acquire(LEASE, this.holder, this.settings.intervalMs + 60_000))) return 'not_leader';
    const report: PassReport = { examined: 0, changed: 0, notFound: 0, registryUnavailable: false };
    const { accountIds } = await scan.next(this.settings.accountsPerPass);
    for (const accountId of accountIds.slice(0, this.settings.accountsPerPass)) {
      const account = await accounts.findById(accountId);
      if (!account || account.status !== 'active') continue;
      const lookup = await this.lookUp(account);
      if (!lookup.ok) {
        report.registryUnavailable = true;
        break;
      }
      report.examined += 1;
      if (lookup.value === null) {
        report.notFound += 1;
        continue;
      }
      const openLocks = await this.deps.locking.openLocks(account.id);
      const actions = reconcileWithRecord(account, lookup.value, openLocks, vietnamDate(this.deps.clock.now()));
      if (actions.length === 0) continue;
      await this.deps.sync.apply(account, actions, account.identity.kind === 'citizen' ? 'population' : 'immigration', {});
      report.changed += 1;
    }
    await audit.record({
      type: 'reconciliation.completed',
      actor: { kind: 'system' },
      legalBasis: 'Decision 34 Art 9.1',
      details: { examined: report.examined, changed: report.changed, notFound: report.notFound, registryUnavailable: report.registryUnavailable },
    });
    logger.info({ event: 'reconciliation.completed', ...report }, 'reconciliation.completed');
    return report;
  }

  private lookUp(account: Account): Promise<RegistryLookup<RegistryRecord>> {
    const { identity } = account;
    if (identity.kind === 'citizen') return this.deps.population.findCitizen(identity.idNumber ?? '');
    return this.deps.immigration.findForeigner(identity.passportNumber ?? '', identity.nationality ?? '');
  }
}
