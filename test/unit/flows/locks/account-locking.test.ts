import { describe, expect, it } from '@jest/globals';
import type { Account } from '../../../../src/domain/account.js';
import type { AuditEventInput, AuditTrail } from '../../../../src/domain/audit.js';
import type { AccountLock, LiftedLock } from '../../../../src/domain/lock.js';
import type { AccountSessions, AccountStore, LockLedger, Notification, NotificationSender, SessionTermination } from '../../../../src/domain/ports.js';
import { AccountLocking } from '../../../../src/flows/locks/account-locking.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { fail, ok } from '../../../../src/shared/result.js';

/** The locking flow's own promises, with every port faked in memory (the Redis and provider parts have journeys). */

class MemoryLedger implements LockLedger {
  readonly open_ = new Map<string, AccountLock>();
  readonly lifted: LiftedLock[] = [];
  async isLocked(accountId: string): Promise<boolean> {
    return [...this.open_.values()].some((lock) => lock.accountId === accountId);
  }
  async open(lock: AccountLock): Promise<void> {
    this.open_.set(lock.id, lock);
  }
  async openLocks(accountId: string): Promise<AccountLock[]> {
    return [...this.open_.values()].filter((lock) => lock.accountId === accountId);
  }
  async lift(lifted: LiftedLock): Promise<boolean> {
    if (!this.open_.delete(lifted.id)) return false;
    this.lifted.unshift(lifted);
    return true;
  }
  async update(lock: AccountLock): Promise<boolean> {
    if (!this.open_.has(lock.id)) return false;
    this.open_.set(lock.id, lock);
    return true;
  }
  async history(): Promise<LiftedLock[]> {
    return this.lifted;
  }
}

const account: Account = {
  id: 'acc-1',
  identity: { kind: 'citizen', idNumber: '001090900006', fullName: 'Nguyễn Văn An', birthDate: '1990-09-03', gender: 'male' },
  level: 1,
  status: 'active',
  phone: '+84912345678',
  email: 'an@example.vn',
  passwordHash: 'x',
  createdAt: 0,
  updatedAt: 0,
};

function setUp(options: { senderDown?: boolean; sessionsFail?: number } = {}) {
  const ledger = new MemoryLedger();
  const events: AuditEventInput[] = [];
  const sent: Notification[] = [];
  let sessionFailures = options.sessionsFail ?? 0;
  let terminations = 0;
  const accounts = { findById: async (id: string) => (id === account.id ? account : undefined) } as unknown as AccountStore;
  const audit = { record: async (event: AuditEventInput) => void events.push(event) } as unknown as AuditTrail;
  const sessions: AccountSessions = {
    terminateAll: async (): Promise<SessionTermination> => {
      terminations += 1;
      if (sessionFailures > 0) {
        sessionFailures -= 1;
        throw new Error('redis down');
      }
      return { sessions: 2, grants: 3, backchannelLogouts: [{ clientId: 'rp', delivered: true }] };
    },
  };
  const sender: NotificationSender = {
    send: async (notification) => {
      if (options.senderDown) return fail('sender_unavailable');
      sent.push(notification);
      return ok(undefined);
    },
  };
  let ids = 0;
  const locking = new AccountLocking({
    ledger,
    accounts,
    sessions,
    audit,
    sender,
    clock: new ManualClock(1_780_000_000_000),
    logger: createLogger({ level: 'silent' }),
    newLockId: () => `lock-${(ids += 1)}`,
  });
  return { locking, ledger, events, sent, terminations: () => terminations };
}

const agencyA = { kind: 'agency' as const, id: 'agency-a' };

describe('locking an account (Decision 34 Art 10)', () => {
  it('records the lock, ends sessions, tells the owner by SMS and email, and audits actor and article', async () => {
    const { locking, events, sent } = setUp();
    const opened = await locking.open({ accountId: account.id, reason: 'agency_request', actor: agencyA, clientId: 'agency-a', note: 'case 7' });
    expect(opened).toMatchObject({ ok: true, value: { created: true, lock: { id: 'lock-1', legalBasis: 'Decision 34 Art 10.2', note: 'case 7' } } });
    expect(await locking.isLocked(account.id)).toBe(true);
    expect(sent.map((message) => [message.channel, message.template, message.params.reason])).toEqual([
      ['sms', 'account_locked', 'agency_request'],
      ['email', 'account_locked', 'agency_request'],
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'account.locked',
        actor: agencyA,
        clientId: 'agency-a',
        legalBasis: 'Decision 34 Art 10.2',
        details: expect.objectContaining({ sessions: 2, grantsRevoked: 3, backchannelLogoutsDelivered: 1, ownerNotified: true }),
      }),
    ]);
  });

  it('keeps the lock when the owner cannot be told (the sender is down), and says so in the trail', async () => {
    const { locking, events } = setUp({ senderDown: true });
    expect((await locking.open({ accountId: account.id, reason: 'agency_request', actor: agencyA })).ok).toBe(true);
    expect(await locking.isLocked(account.id)).toBe(true);
    expect(events[0]?.details).toMatchObject({ ownerNotified: false });
  });

  it('keeps the lock when its clean-up fails, and finishes the clean-up when the request is retried', async () => {
    const { locking, events, sent, terminations } = setUp({ sessionsFail: 1 });
    await expect(locking.open({ accountId: account.id, reason: 'agency_request', actor: agencyA })).rejects.toThrow('redis down');
    expect(await locking.isLocked(account.id)).toBe(true);
    expect(events[0]).toMatchObject({ type: 'account.locked', details: { sessionsEnded: false } });
    const retried = await locking.open({ accountId: account.id, reason: 'agency_request', actor: agencyA });
    expect(retried).toMatchObject({ ok: true, value: { created: false, lock: { id: 'lock-1' } } });
    expect(terminations()).toBe(2);
    expect(sent).toHaveLength(0);
  });

  it('refuses and audits a lock the caller may not open', async () => {
    const { locking, events } = setUp();
    expect(await locking.open({ accountId: account.id, reason: 'death', actor: agencyA })).toEqual({ ok: false, error: 'not_allowed_to_open' });
    expect(await locking.isLocked(account.id)).toBe(false);
    expect(events).toEqual([expect.objectContaining({ type: 'lock.open_refused', actor: agencyA, details: { reason: 'death', refusal: 'not_allowed_to_open' } })]);
  });

  it('refuses and audits a lift by another party, then lifts for the requester and tells the owner', async () => {
    const { locking, events, sent } = setUp();
    await locking.open({ accountId: account.id, reason: 'agency_request', actor: agencyA });
    const byB = await locking.lift({ accountId: account.id, lockId: 'lock-1', actor: { kind: 'agency', id: 'agency-b' } });
    expect(byB).toEqual({ ok: false, error: 'not_requesting_party' });
    expect(events.at(-1)).toMatchObject({ type: 'lock.lift_refused', actor: { kind: 'agency', id: 'agency-b' }, details: { lockId: 'lock-1', refusal: 'not_requesting_party' } });
    expect(await locking.lift({ accountId: account.id, lockId: 'missing', actor: agencyA })).toEqual({ ok: false, error: 'lock_not_found' });

    const byA = await locking.lift({ accountId: account.id, lockId: 'lock-1', actor: agencyA, note: 'case closed' });
    expect(byA).toMatchObject({ ok: true, value: { accountUsable: true, lifted: { liftBasis: 'Decision 34 Art 11.2', liftNote: 'case closed' } } });
    expect(sent.filter((message) => message.template === 'account_restored').map((message) => message.params.stillLocked)).toEqual(['no', 'no']);
    expect(events.at(-1)).toMatchObject({ type: 'account.restored', legalBasis: 'Decision 34 Art 11.2' });
  });

  it('reports the account still unusable while another lock is open', async () => {
    const { locking } = setUp();
    await locking.open({ accountId: account.id, reason: 'agency_request', actor: agencyA });
    await locking.lockOwnAccount({ accountId: account.id, locale: 'vi' });
    const lifted = await locking.liftOwnLock({ accountId: account.id, lockId: 'lock-2', locale: 'vi' });
    expect(lifted).toMatchObject({ ok: true, value: { accountUsable: false } });
    expect(await locking.statusOf(account.id)).toMatchObject({ locked: true, locks: [{ reason: 'agency_request', howToLift: 'requesting_party', ownerMayLiftNow: false }] });
  });
});
