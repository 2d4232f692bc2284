import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { AccountPagesConfig } from '../../../../src/config/account-pages-config.js';
import { LimitsConfig } from '../../../../src/config/registration-config.js';
import { PasswordHashConfig } from '../../../../src/config/schema.js';
import { Argon2PasswordHasher } from '../../../../src/credentials/argon2-password-hasher.js';
import { loginKeyOf, type Account } from '../../../../src/domain/account.js';
import { parseDelegatedStatistics } from '../../../../src/domain/network-location.js';
import type { AccountSessions, Notification, NotificationSender } from '../../../../src/domain/ports.js';
import type { OtherSessionsTerminator } from '../../../../src/flows/account/account-context.js';
import type { AccountSelfService } from '../../../../src/flows/account/account-self-service.js';
import { createAccountSelfService } from '../../../../src/flows/account/create-account-self-service.js';
import type { OwnerCodeFlow } from '../../../../src/flows/account/owner-code-flow.js';
import { AccountLocking } from '../../../../src/flows/locks/account-locking.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { uuid } from '../../../../src/shared/ids.js';
import { createLogger } from '../../../../src/shared/logger.js';
import { fail, ok, type Result } from '../../../../src/shared/result.js';
import { RedisAccountStore } from '../../../../src/storage/account-store.js';
import { RedisAuditTrail } from '../../../../src/storage/audit-trail.js';
import { RedisFlowStore } from '../../../../src/storage/flow-store.js';
import { RedisKeys } from '../../../../src/storage/keys.js';
import { RedisLockLedger } from '../../../../src/storage/lock-ledger.js';
import { RedisRateLimiter } from '../../../../src/storage/rate-limiter.js';
import { createRedisClient, waitUntilConnected } from '../../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../../support/redis-server.js';

/**
 * The owner's own account (Decision 34 Art 12.1.dd) as the pages use it, against a real Redis, the real lock ledger
 * and audit trail, a sender that records, and a clock moved by hand.
 */

const START = Date.UTC(2026, 2, 1, 3);
const MINUTE = 60_000;
const REQUEST = { ip: '14.160.10.20', locale: 'en' as const };
const PASSWORD = 'mây trắng bay qua đồi xanh';

class RecordingSender implements NotificationSender {
  readonly sent: Notification[] = [];
  failing = false;

  async send(notification: Notification): Promise<Result<void, 'sender_unavailable'>> {
    if (this.failing) return fail('sender_unavailable');
    this.sent.push(notification);
    return ok(undefined);
  }

  last(template: string, to?: string): Notification | undefined {
    return [...this.sent].reverse().find((message) => message.template === template && (to === undefined || message.to === to));
  }

  code(template: string, to?: string): string {
    const code = this.last(template, to)?.params.code;
    if (!code) throw new Error(`no ${template} sent`);
    return code;
  }
}

let server: TestRedisServer;
let redis: Redis;
const hasher = new Argon2PasswordHasher(new PasswordHashConfig());
let worlds = 0;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = createRedisClient({ url: server.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  await waitUntilConnected(redis, 5000);
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

interface World {
  service: AccountSelfService;
  locking: AccountLocking;
  accounts: RedisAccountStore;
  audit: RedisAuditTrail;
  sender: RecordingSender;
  clock: ManualClock;
  ended: { accountId: string; kept: string | undefined }[];
}

function world(): World {
  const keys = new RedisKeys(`self${(worlds += 1)}:`);
  const clock = new ManualClock(START);
  const sender = new RecordingSender();
  const logger = createLogger({ level: 'silent' });
  const accounts = new RedisAccountStore(redis, keys, clock);
  const audit = new RedisAuditTrail(redis, keys, { retentionDays: 30, clock });
  const sessions: AccountSessions = { terminateAll: async () => ({ sessions: 1, grants: 0, backchannelLogouts: [] }) };
  const locking = new AccountLocking({ ledger: new RedisLockLedger(redis, keys), accounts, sessions, audit, sender, clock, logger });
  const ended: World['ended'] = [];
  const others: OtherSessionsTerminator = {
    terminateOthers: async (accountId, kept) => {
      ended.push({ accountId, kept });
      return 2;
    },
  };
  const pages = new AccountPagesConfig();
  const limiter = (name: string, points: number) => new RedisRateLimiter(redis, keys, name, { points, windowSeconds: 3600 });
  const service = createAccountSelfService(
    {
      accounts,
      hasher,
      sender,
      locks: locking,
      audit,
      sessions: others,
      flows: new RedisFlowStore<OwnerCodeFlow>(redis, keys, 'owner-code'),
      limiters: {
        wrongPasswordsPerAccount: limiter('wrong-password', 3),
        codeStepsPerIp: limiter('code-steps-ip', 100),
        codeSendsPerContact: limiter('code-contact', 100),
        wrongCodesPerAccount: limiter('wrong-code', 100),
      },
      secrets: async () => ['test-secret-for-the-account-pages-0123456789'],
      clock,
      logger,
    },
    {
      limits: new LimitsConfig(),
      accountPages: pages,
      homeRanges: parseDelegatedStatistics('apnic|VN|ipv4|14.160.0.0|1048576|20080409|allocated'),
    },
  );
  return { service, locking, accounts, audit, sender, clock, ended };
}

let sequence = 0;
async function owner(w: World, overrides: Partial<Account> = {}): Promise<Account> {
  sequence += 1;
  const account: Account = {
    id: uuid(),
    identity: { kind: 'citizen', idNumber: `079190${String(sequence).padStart(6, '0')}`, fullName: 'Trần Thị Thu', birthDate: '1990-04-12', gender: 'female' },
    level: 1,
    status: 'active',
    phone: '+84901234567',
    email: 'thu@example.vn',
    passwordHash: await hasher.hash(PASSWORD),
    createdAt: START,
    updatedAt: START,
    ...overrides,
  };
  await w.accounts.create(account, loginKeyOf(account.identity));
  return account;
}

const loginOf = (account: Account) => ({ kind: 'citizen' as const, idNumber: account.identity.idNumber ?? '' });

describe('the overview (Art 12.1.dd)', () => {
  it('shows the status, the recent sign-ins with service, level and coarse location, and the dependants', async () => {
    const w = world();
    const parent = await owner(w, { level: 2 });
    const child = await owner(w, { representativeAccountId: parent.id, identity: { kind: 'citizen', idNumber: '001215900008', fullName: 'Lê Minh Khôi', birthDate: '2015-09-03', gender: 'male' } });
    await w.audit.record({ type: 'sign_in.succeeded', accountId: parent.id, actor: { kind: 'owner', id: parent.id }, clientId: 'portal', location: '14.160.3.0/24', details: { level: 2 }, at: START - 2 * MINUTE });
    await w.audit.record({ type: 'sign_in.failed', accountId: parent.id, actor: { kind: 'anonymous' }, details: { reason: 'invalid_credentials' }, at: START - MINUTE });
    await w.audit.record({ type: 'sign_in.succeeded', accountId: parent.id, actor: { kind: 'owner', id: parent.id }, clientId: 'tax', location: '133.1.2.0/24', details: { level: 1 }, at: START });

    const overview = await w.service.overview(parent.id);
    expect(overview?.lockStatus).toEqual({ locked: false, locks: [] });
    expect(overview?.recentSignIns).toEqual([
      { at: START, clientId: 'tax', level: 1, location: 'abroad' },
      { at: START - 2 * MINUTE, clientId: 'portal', level: 2, location: 'vietnam' },
    ]);
    expect(overview?.dependants).toEqual([{ fullName: child.identity.fullName, birthDate: '2015-09-03', status: 'active', level: 1 }]);
    expect(await w.service.overview(uuid())).toBeUndefined();
  });
});

describe('changing the password', () => {
  it('needs the current password, follows the policy, ends the other sessions and tells the owner', async () => {
    const w = world();
    const account = await owner(w);
    const change = (currentPassword: string, newPassword: string) =>
      w.service.changePassword(account.id, { currentPassword, newPassword, keepSessionId: 'this-session' }, REQUEST);

    await expect(change('wrong password', 'hoa sen nở giữa hồ')).resolves.toEqual(fail('current_password_wrong'));
    await expect(change(PASSWORD, 'password123')).resolves.toEqual(fail('password_too_common'));
    await expect(change(PASSWORD, '19900412')).resolves.toEqual(fail('password_is_personal_data'));
    await expect(change(PASSWORD, PASSWORD)).resolves.toEqual(fail('new_password_unchanged'));
    expect(w.ended).toEqual([]);

    await expect(change(PASSWORD, 'hoa sen nở giữa hồ')).resolves.toEqual(ok({ sessionsEnded: 2 }));
    expect(w.ended).toEqual([{ accountId: account.id, kept: 'this-session' }]);
    const stored = await w.accounts.findById(account.id);
    expect(await hasher.verify(stored?.passwordHash ?? '', 'hoa sen nở giữa hồ')).toBe(true);
    expect(await hasher.verify(stored?.passwordHash ?? '', PASSWORD)).toBe(false);
    expect(w.sender.sent.filter((message) => message.template === 'password_changed').map((message) => message.to)).toEqual([
      '+84901234567',
      'thu@example.vn',
    ]);
  });

  it('stops guessing the current password after the limit, even with the right one', async () => {
    const w = world();
    const account = await owner(w);
    for (let i = 0; i < 3; i += 1) {
      await w.service.changePassword(account.id, { currentPassword: `guess ${i}`, newPassword: 'hoa sen nở giữa hồ' }, REQUEST);
    }
    await expect(w.service.changePassword(account.id, { currentPassword: PASSWORD, newPassword: 'hoa sen nở giữa hồ' }, REQUEST)).resolves.toEqual(
      fail('rate_limited'),
    );
  });
});

describe('changing the phone number or email', () => {
  it('sends the code to the new contact, changes the account once it is typed, and tells the previous contact', async () => {
    const w = world();
    const account = await owner(w);
    const started = await w.service.startContactChange(account.id, { kind: 'email', value: 'Thu.Tran@Example.VN' }, REQUEST);
    if (!started.ok) throw new Error(started.error);
    expect(started.value).toMatchObject({ purpose: 'contact_change', channel: 'email', maskedContact: 'Th******@example.vn', state: 'awaiting_code' });
    const code = w.sender.code('contact_change_code', 'Thu.Tran@example.vn');
    expect(w.sender.last('contact_change_code')?.params.fullName).toBe('Trần Thị Thu');

    const wrong = code === '000000' ? '111111' : '000000';
    await expect(w.service.confirmContactChange(account.id, started.value.id, wrong)).resolves.toEqual(fail('code_invalid'));
    // Another account cannot use this step, even with the right code.
    await expect(w.service.confirmContactChange(uuid(), started.value.id, code)).resolves.toEqual(fail('flow_not_found'));
    await expect(w.service.confirmContactChange(account.id, started.value.id, code)).resolves.toEqual(ok({ kind: 'email', previousNotified: true }));

    const stored = await w.accounts.findById(account.id);
    expect(stored).toMatchObject({ email: 'Thu.Tran@example.vn', emailVerifiedAt: START, phone: '+84901234567' });
    expect(w.sender.last('contact_changed')).toMatchObject({ to: 'thu@example.vn', channel: 'email', params: { contact: 'email' } });
    // Single use.
    await expect(w.service.confirmContactChange(account.id, started.value.id, code)).resolves.toEqual(fail('invalid_state'));
  });

  it('refuses an unusable or unchanged contact, and an expired code', async () => {
    const w = world();
    const account = await owner(w);
    await expect(w.service.startContactChange(account.id, { kind: 'phone', value: '12' }, REQUEST)).resolves.toEqual(fail('invalid_phone'));
    await expect(w.service.startContactChange(account.id, { kind: 'phone', value: '0901 234 567' }, REQUEST)).resolves.toEqual(fail('same_contact'));
    const started = await w.service.startContactChange(account.id, { kind: 'phone', value: '0912 000 111' }, REQUEST);
    if (!started.ok) throw new Error(started.error);
    const code = w.sender.code('contact_change_code', '+84912000111');
    w.clock.advance(6 * MINUTE);
    await expect(w.service.confirmContactChange(account.id, started.value.id, code)).resolves.toEqual(fail('code_expired'));
    expect((await w.accounts.findById(account.id))?.phone).toBe('+84901234567');
  });

  it('tells the phone when an email is added to an account that had none', async () => {
    const w = world();
    const account = await owner(w, { email: undefined });
    const started = await w.service.startContactChange(account.id, { kind: 'email', value: 'added@example.vn' }, REQUEST);
    if (!started.ok) throw new Error(started.error);
    const done = await w.service.confirmContactChange(account.id, started.value.id, w.sender.code('contact_change_code', 'added@example.vn'));
    expect(done).toEqual(ok({ kind: 'email', previousNotified: true }));
    expect(w.sender.last('contact_changed')).toMatchObject({ to: '+84901234567', channel: 'sms', params: { contact: 'email' } });
  });

  it('leaves nothing behind when the code cannot be sent', async () => {
    const w = world();
    const account = await owner(w);
    w.sender.failing = true;
    await expect(w.service.startContactChange(account.id, { kind: 'phone', value: '0912 000 222' }, REQUEST)).resolves.toEqual(
      fail('sender_unavailable'),
    );
  });
});

describe('lifting one own lock (Art 11.1)', () => {
  it('answers wrong credentials the same whether the account exists or not', async () => {
    const w = world();
    const account = await owner(w);
    const attempt = (idNumber: string, password: string) =>
      w.service.startUnlock({ login: { kind: 'citizen', idNumber }, password, channel: 'sms' }, REQUEST);
    await expect(attempt(account.identity.idNumber ?? '', 'not the password')).resolves.toEqual(fail('invalid_credentials'));
    await expect(attempt('001099999999', PASSWORD)).resolves.toEqual(fail('invalid_credentials'));
  });

  it('says there is nothing to lift when the account is not locked', async () => {
    const w = world();
    const account = await owner(w);
    const started = await w.service.startUnlock({ login: loginOf(account), password: PASSWORD, channel: 'sms' }, REQUEST);
    expect(started).toEqual(ok({ kind: 'nothing_to_lift', lockStatus: { locked: false, locks: [] } }));
  });

  it('lifts the owner lock with the password and a code to the registered phone', async () => {
    const w = world();
    const account = await owner(w);
    await w.locking.lockOwnAccount({ accountId: account.id, locale: 'en' });
    const started = await w.service.startUnlock({ login: loginOf(account), password: PASSWORD, channel: 'sms' }, REQUEST);
    if (!started.ok || started.value.kind !== 'code_sent') throw new Error('expected a code');
    expect(started.value.lockStatus.locks.map((lock) => lock.reason)).toEqual(['owner_request']);
    const code = w.sender.code('unlock_code', '+84901234567');
    const done = await w.service.confirmUnlock(started.value.flow.id, code, REQUEST);
    expect(done).toEqual(ok({ lifted: 1, accountUsable: true, lockStatus: { locked: false, locks: [] } }));
  });

  it('lifts only what the owner may lift and says which locks remain', async () => {
    const w = world();
    const account = await owner(w, { phone: undefined });
    await w.locking.lockOwnAccount({ accountId: account.id, locale: 'en' });
    await w.locking.open({ accountId: account.id, reason: 'agency_request', actor: { kind: 'agency', id: 'police-hanoi' } });
    // No phone: the code goes to the email instead.
    const started = await w.service.startUnlock({ login: loginOf(account), password: PASSWORD, channel: 'sms' }, REQUEST);
    if (!started.ok || started.value.kind !== 'code_sent') throw new Error('expected a code');
    expect(started.value.flow.channel).toBe('email');
    const done = await w.service.confirmUnlock(started.value.flow.id, w.sender.code('unlock_code', 'thu@example.vn'), REQUEST);
    if (!done.ok) throw new Error(done.error);
    expect(done.value).toMatchObject({ lifted: 1, accountUsable: false });
    expect(done.value.lockStatus.locks.map((lock) => [lock.reason, lock.howToLift])).toEqual([['agency_request', 'requesting_party']]);

    const again = await w.service.startUnlock({ login: loginOf(account), password: PASSWORD, channel: 'sms' }, REQUEST);
    expect(again.ok && again.value.kind).toBe('nothing_to_lift');
  });

  it('stops after too many wrong codes', async () => {
    const w = world();
    const account = await owner(w);
    await w.locking.lockOwnAccount({ accountId: account.id, locale: 'en' });
    const started = await w.service.startUnlock({ login: loginOf(account), password: PASSWORD, channel: 'sms' }, REQUEST);
    if (!started.ok || started.value.kind !== 'code_sent') throw new Error('expected a code');
    const code = w.sender.code('unlock_code');
    const wrong = code === '000000' ? '111111' : '000000';
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const outcome = await w.service.confirmUnlock(started.value.flow.id, wrong, REQUEST);
      outcomes.push(outcome.ok ? 'ok' : outcome.error);
    }
    expect(outcomes).toEqual(['code_invalid', 'code_invalid', 'code_invalid', 'code_invalid', 'code_expired']);
    await expect(w.service.confirmUnlock(started.value.flow.id, code, REQUEST)).resolves.toEqual(fail('code_expired'));
    expect((await w.locking.statusOf(account.id)).locked).toBe(true);
  });
});
