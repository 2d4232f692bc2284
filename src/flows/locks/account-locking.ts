import type { AuditActor, AuditTrail } from '../../domain/audit.js';
import type { AccountLock, LiftedLock, LockActor, LockReason } from '../../domain/lock.js';
import { decideLift, decideOpen, LOCK_RULES, mayRecordRemediation, ownerMayLiftNow, type LiftRefusal, type OpenRefusal, type RegistryLiftCause } from '../../domain/lock-rules.js';
import type { AccountLockStatus, AccountSessions, AccountStore, LockLedger, NotificationSender, SessionTermination } from '../../domain/ports.js';
import type { Clock } from '../../shared/clock.js';
import { uuid } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { notifyOwner, type NoticeLocale } from './owner-notice.js';
import type { LiftOutcome, LockView, OwnerLockFailure, OwnerLockOperations, OwnerLockStatus, OwnerRequest } from './types.js';

export interface AccountLockingDeps {
  ledger: LockLedger;
  accounts: AccountStore;
  sessions: AccountSessions;
  audit: AuditTrail;
  sender: NotificationSender;
  clock: Clock;
  logger: Logger;
  newLockId?: () => string;
}

/** Who asked, with what the audit trail records of the request. */
interface Request {
  accountId: string;
  actor: LockActor;
  /** The API client that made the call, when there was one. */
  clientId?: string;
  note?: string;
  locale?: NoticeLocale;
  location?: string;
}

export interface OpenLockInput extends Request {
  reason: LockReason;
}

export interface LiftLockInput extends Request {
  lockId: string;
  /** What a registry event was (a correction or a renewal); only a registry actor gives one. */
  registryCause?: RegistryLiftCause;
}

export interface OpenLockOutcome {
  lock: AccountLock;
  /** False when the same party already had an open lock for the same reason: that one is returned (idempotent). */
  created: boolean;
  termination: SessionTermination;
}

export type OpenLockFailure = OpenRefusal | 'account_not_found';
export type LiftLockFailure = LiftRefusal | 'account_not_found';
export type RemediationFailure = 'lock_not_found' | 'not_allowed';

const auditActor = (actor: LockActor): AuditActor => ({ kind: actor.kind, id: actor.id });

/**
 * Locking and restoration (Decision 34 Art 10, 11). A lock takes effect when the ledger records it: from then on every
 * instance refuses the account (findAccount, the adapter's writes, introspection). This flow then ends its sessions,
 * revokes its grants (with back-channel logout), tells the owner and writes the audit trail. Refusals are audited too.
 */
export class AccountLocking implements OwnerLockOperations, AccountLockStatus {
  private readonly newLockId: () => string;

  constructor(private readonly deps: AccountLockingDeps) {
    this.newLockId = deps.newLockId ?? uuid;
  }

  isLocked(accountId: string): Promise<boolean> {
    return this.deps.ledger.isLocked(accountId);
  }

  openLocks(accountId: string): Promise<AccountLock[]> {
    return this.deps.ledger.openLocks(accountId);
  }

  history(accountId: string, limit: number): Promise<LiftedLock[]> {
    return this.deps.ledger.history(accountId, limit);
  }

  async open(input: OpenLockInput): Promise<Result<OpenLockOutcome, OpenLockFailure>> {
    const { ledger, accounts, audit, clock } = this.deps;
    const decision = decideOpen(input.reason, input.actor, input.accountId);
    if (!decision.ok) {
      await audit.record({
        type: 'lock.open_refused',
        accountId: input.accountId,
        actor: auditActor(input.actor),
        ...(input.clientId ? { clientId: input.clientId } : {}),
        legalBasis: LOCK_RULES[input.reason].article,
        details: { reason: input.reason, refusal: decision.error },
      });
      return fail(decision.error);
    }
    const account = await accounts.findById(input.accountId);
    if (!account) return fail('account_not_found');

    const existing = (await ledger.openLocks(input.accountId)).find(
      (lock) => lock.reason === input.reason && lock.requestedBy.kind === input.actor.kind && lock.requestedBy.id === input.actor.id,
    );
    if (existing) {
      // A retry (or a redelivered event): the lock already holds; make sure its effects are complete, say nothing twice.
      return ok({ lock: existing, created: false, termination: await this.deps.sessions.terminateAll(input.accountId) });
    }

    const lock: AccountLock = {
      id: this.newLockId(),
      accountId: input.accountId,
      reason: input.reason,
      requestedBy: input.actor,
      legalBasis: decision.value.legalBasis,
      at: clock.now(),
      ...(input.note ? { note: input.note } : {}),
    };
    // From this write on the account is unusable in every instance.
    await ledger.open(lock);
    const base = {
      type: 'account.locked' as const,
      accountId: lock.accountId,
      actor: auditActor(input.actor),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(input.location ? { location: input.location } : {}),
      legalBasis: lock.legalBasis,
      at: lock.at,
    };
    let termination: SessionTermination;
    try {
      termination = await this.deps.sessions.terminateAll(lock.accountId);
    } catch (error) {
      // The lock stands (and refuses every use); its clean-up is redone by a retry of the request.
      await audit.record({ ...base, details: { lockId: lock.id, reason: lock.reason, sessionsEnded: false } });
      throw error;
    }
    const notified = await notifyOwner(this.deps.sender, this.deps.logger, account, 'account_locked', { reason: lock.reason }, input.locale);
    await audit.record({
      ...base,
      details: {
        lockId: lock.id,
        reason: lock.reason,
        sessionsEnded: true,
        sessions: termination.sessions,
        grantsRevoked: termination.grants,
        backchannelLogouts: termination.backchannelLogouts.length,
        backchannelLogoutsDelivered: termination.backchannelLogouts.filter((logout) => logout.delivered).length,
        ownerNotified: notified,
      },
    });
    return ok({ lock, created: true, termination });
  }

  async lift(input: LiftLockInput): Promise<Result<LiftOutcome, LiftLockFailure>> {
    const { ledger, accounts, audit, clock } = this.deps;
    const account = await accounts.findById(input.accountId);
    if (!account) return fail('account_not_found');
    const lock = (await ledger.openLocks(input.accountId)).find((candidate) => candidate.id === input.lockId);
    const decision = lock ? decideLift(lock, input.actor, input.registryCause) : fail('lock_not_found' as const);
    if (!lock || !decision.ok) {
      const refusal = decision.ok ? 'lock_not_found' : decision.error;
      await audit.record({
        type: 'lock.lift_refused',
        accountId: input.accountId,
        actor: auditActor(input.actor),
        ...(input.clientId ? { clientId: input.clientId } : {}),
        ...(input.location ? { location: input.location } : {}),
        ...(lock ? { legalBasis: LOCK_RULES[lock.reason].liftArticle } : {}),
        details: { lockId: input.lockId, refusal, ...(lock ? { reason: lock.reason } : {}) },
      });
      return fail(refusal);
    }
    const lifted: LiftedLock = {
      ...lock,
      liftedBy: input.actor,
      liftedAt: clock.now(),
      liftBasis: decision.value.liftBasis,
      ...(input.note ? { liftNote: input.note } : {}),
    };
    // Two concurrent lifts of one lock: one moves it, the other finds it gone.
    if (!(await ledger.lift(lifted))) return fail('lock_not_found');
    const accountUsable = !(await ledger.isLocked(input.accountId));
    const notified = await notifyOwner(
      this.deps.sender,
      this.deps.logger,
      account,
      'account_restored',
      { reason: lock.reason, stillLocked: accountUsable ? 'no' : 'yes' },
      input.locale,
    );
    await audit.record({
      type: 'account.restored',
      accountId: input.accountId,
      actor: auditActor(input.actor),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      ...(input.location ? { location: input.location } : {}),
      legalBasis: lifted.liftBasis,
      at: lifted.liftedAt,
      details: { lockId: lock.id, reason: lock.reason, accountUsable, ownerNotified: notified },
    });
    return ok({ lifted, accountUsable });
  }

  /** Decision 34 Art 11.3: the operator records that a terms violation was remedied; the owner may then ask to lift. */
  async recordRemediation(input: Request & { lockId: string }): Promise<Result<AccountLock, RemediationFailure>> {
    const { ledger, audit, clock } = this.deps;
    const lock = (await ledger.openLocks(input.accountId)).find((candidate) => candidate.id === input.lockId);
    if (!lock) return fail('lock_not_found');
    if (!mayRecordRemediation(lock, input.actor)) return fail('not_allowed');
    const remedied: AccountLock = {
      ...lock,
      remediation: { recordedBy: input.actor, at: clock.now(), ...(input.note ? { note: input.note } : {}) },
    };
    if (!(await ledger.update(remedied))) return fail('lock_not_found');
    await audit.record({
      type: 'lock.remediation_recorded',
      accountId: input.accountId,
      actor: auditActor(input.actor),
      ...(input.clientId ? { clientId: input.clientId } : {}),
      legalBasis: 'Decision 34 Art 11.3',
      details: { lockId: lock.id, reason: lock.reason },
    });
    return ok(remedied);
  }

  // --- the owner's pages (flows/locks/types.ts) ---------------------------------------------------------------------

  async statusOf(accountId: string): Promise<OwnerLockStatus> {
    const locks = (await this.deps.ledger.openLocks(accountId)).map(lockView);
    return { locked: locks.length > 0, locks };
  }

  async lockOwnAccount(request: OwnerRequest & { note?: string }): Promise<Result<AccountLock, OwnerLockFailure>> {
    const opened = await this.open({
      accountId: request.accountId,
      reason: 'owner_request',
      actor: { kind: 'owner', id: request.accountId },
      locale: request.locale,
      ...(request.note ? { note: request.note } : {}),
      ...(request.location ? { location: request.location } : {}),
    });
    // decideOpen always allows the owner's own request on their own account; the only failure left is a missing account.
    return opened.ok ? ok(opened.value.lock) : fail('account_not_found');
  }

  liftOwnLock(request: OwnerRequest & { lockId: string }): Promise<Result<LiftOutcome, LiftRefusal | OwnerLockFailure>> {
    return this.lift({
      accountId: request.accountId,
      lockId: request.lockId,
      actor: { kind: 'owner', id: request.accountId },
      locale: request.locale,
      ...(request.location ? { location: request.location } : {}),
    });
  }
}

/** What the owner sees of a lock (Decision 34 Art 12.1.dd): why, since when, and how it is lifted. */
export function lockView(lock: AccountLock): LockView {
  return {
    id: lock.id,
    reason: lock.reason,
    legalBasis: lock.legalBasis,
    requestedByKind: lock.requestedBy.kind,
    at: lock.at,
    ...(lock.note ? { note: lock.note } : {}),
    howToLift: LOCK_RULES[lock.reason].liftPath,
    ownerMayLiftNow: ownerMayLiftNow(lock),
  };
}
