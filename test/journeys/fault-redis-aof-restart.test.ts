import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import * as oidc from 'openid-client';
import type { RegistryRecord } from '../../src/domain/registry.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { roundMs, writeFaultFigures } from '../support/fault-figures.js';
import { signInWithFields, type SignInOutcome } from '../support/fault-steps.js';
import { createCitizen, startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import {
  activate,
  choosePassword,
  citizenFields,
  declare,
  enterCode,
  foreignerFields,
  freshContact,
  loginFieldsOf,
  NEW_PASSWORD,
  openRegistration,
  personas,
  readCodeFromOutbox,
  recipientOf,
  registrationClock,
  shown,
} from '../support/registration-steps.js';
import { discoverAsRelyingParty } from '../support/relying-party.js';
import { UserAgent, type Page } from '../support/user-agent.js';

/**
 * Issue 6: Redis restarted with AOF (appendfsync everysec, as production and docker-compose.yml run it) loses no
 * account, lock or activation. Two restarts: a graceful one (SIGTERM: Redis writes and fsyncs the AOF before it exits)
 * and a crash (SIGKILL at once after the last write, without waiting for the once-a-second fsync). A process crash
 * loses nothing acknowledged, because Redis hands each write to the kernel (write(2)) before it answers; only a crash
 * of the machine itself can lose the last second not yet fsynced (docs/configuration.md, "Redis durability").
 */
interface SavedState {
  /** Registered and activated through the pages. */
  activated: RegistryRecord;
  /** Registered, waiting for the code the person received. */
  pending: { record: RegistryRecord; agent: UserAgent; codePage: Page; code: string };
  /** Locked at the owner's request (Decision 34 Art 10.1). */
  locked: { loginFields: Record<string, string>; accountId: string };
}

describe('Redis restarted with its append-only file', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let clock: ManualClock;
  let rp: oidc.Configuration;
  const restarts: Record<string, unknown>[] = [];

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    clock = registrationClock();
    running = await startProvider(redis, {}, { clock });
    rp = await discoverAsRelyingParty(running.issuer);
  });
  afterAll(async () => {
    writeFaultFigures('redis-aof-restart', { appendfsync: 'everysec', restarts });
    await running?.stop();
    await redis?.destroy();
  });

  async function register(kind: 'citizen' | 'foreigner', record: RegistryRecord): Promise<{ agent: UserAgent; codePage: Page; recipient: string }> {
    const agent = new UserAgent();
    const contact = freshContact();
    const fields = record.kind === 'citizen' ? citizenFields(record, contact) : foreignerFields(record, contact, 'sms');
    const codePage = await declare(agent, await openRegistration(agent, `${running.issuer}/register`), kind, fields);
    expect(codePage.url).toMatch(/\/register\/code$/);
    return { agent, codePage, recipient: recipientOf(contact, 'sms') };
  }

  async function saveState(activatedRecord: RegistryRecord, pendingRecord: RegistryRecord): Promise<SavedState> {
    const first = await register(activatedRecord.kind, activatedRecord);
    const done = await activate(first.agent, running.issuer, first.codePage, first.recipient);
    expect(done.html).toContain(shown('registration.done.title'));

    const second = await register(pendingRecord.kind, pendingRecord);
    const code = await readCodeFromOutbox(running.issuer, second.recipient);

    const owner = await createCitizen(running.container);
    const lock = await running.container.locks.lockOwnAccount({ accountId: owner.account.id, locale: 'en' });
    expect(lock.ok).toBe(true);
    return {
      activated: activatedRecord,
      pending: { record: pendingRecord, agent: second.agent, codePage: second.codePage, code },
      locked: { loginFields: owner.loginFields, accountId: owner.account.id },
    };
  }

  /** Stops Redis with `signal`, starts it on the same port and data directory, and waits until the provider is ready. */
  async function restartRedis(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const stoppedAt = performance.now();
    await redis.stop(signal);
    await redis.start();
    const upAt = performance.now();
    let readyAt: number | undefined;
    for (let attempt = 0; attempt < 100 && readyAt === undefined; attempt += 1) {
      if ((await fetch(`${running.issuer}/readyz`)).status === 200) readyAt = performance.now();
      else await delay(100);
    }
    if (readyAt === undefined) throw new Error('the provider did not become ready after the Redis restart');
    const keys = Number((await running.container.redis.dbsize()) ?? 0);
    restarts.push({
      signal,
      redisDownAndUpMs: roundMs(upAt - stoppedAt),
      providerReadyAfterRedisUpMs: roundMs(readyAt - upAt),
      keysAfterRestart: keys,
    });
  }

  const signIn = (loginFields: Record<string, string>): Promise<SignInOutcome> => signInWithFields(rp, loginFields, { scope: 'openid identity' });

  async function expectEverythingKept(state: SavedState): Promise<void> {
    // The activated account signs in with the password chosen at activation.
    const activated = await signIn(loginFieldsOf(state.activated));
    expect(activated.tokens?.claims()?.acr).toBe('urn:vn:eid:loa:1');

    // The lock still refuses the right password.
    const locked = await signIn(state.locked.loginFields);
    expect(locked.page.status).toBe(403);
    // The sign-in pages speak Vietnamese unless asked otherwise.
    expect(locked.page.html).toContain(shown('signIn.locked.title', undefined, 'vi'));
    expect((await running.container.locks.statusOf(state.locked.accountId)).locked).toBe(true);
  }

  async function expectPendingActivationContinues(state: SavedState): Promise<void> {
    // The registration waiting for its code accepts the code the person received before the restart.
    const { record, agent, codePage, code } = state.pending;
    const passwordPage = await enterCode(agent, codePage, code);
    expect(passwordPage.url).toMatch(/\/register\/password$/);
    const done = await choosePassword(agent, passwordPage, NEW_PASSWORD);
    expect(done.html).toContain(shown('registration.done.title'));
    const signedIn = await signIn(loginFieldsOf(record));
    expect(signedIn.tokens?.claims()?.acr).toBe('urn:vn:eid:loa:1');
  }

  it('keeps accounts, locks and a pending activation through a graceful restart (SIGTERM)', async () => {
    const state = await saveState(personas.citizens.adult, personas.foreigners.resident);
    await restartRedis('SIGTERM');
    await expectEverythingKept(state);
    await expectPendingActivationContinues(state);
  });

  it('keeps them through a crash (SIGKILL right after the last write, inside the fsync second)', async () => {
    const state = await saveState(personas.citizens.teenager, personas.foreigners.longTermVisa);
    await restartRedis('SIGKILL');
    await expectEverythingKept(state);
    await expectPendingActivationContinues(state);
  });
});
