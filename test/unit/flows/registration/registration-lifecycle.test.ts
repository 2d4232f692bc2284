import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loginKeyOf } from '../../../../src/domain/account.js';
import { maskContact } from '../../../../src/domain/contact.js';
import { DependencyUnavailableError } from '../../../../src/domain/errors.js';
import { createRegistrationService } from '../../../../src/flows/registration/create-registration-service.js';
import { ConsentConfig, LimitsConfig } from '../../../../src/config/registration-config.js';
import { DEFAULT_ELIGIBILITY_POLICY } from '../../../../src/domain/eligibility.js';
import { createRegistrationLimiters } from '../../../../src/storage/rate-limiter.js';
import { RedisAccountStore } from '../../../../src/storage/account-store.js';
import { RedisFlowStore } from '../../../../src/storage/flow-store.js';
import { RedisKeys } from '../../../../src/storage/keys.js';
import { createRedisClient } from '../../../../src/storage/redis-client.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import {
  citizenForm,
  DAY,
  GENEROUS,
  GOOD_PASSWORD,
  HOUR,
  MINUTE,
  registerAndActivate,
  REQUEST,
  rule,
  START,
  startShared,
  world,
  type Shared,
} from './registration-harness.js';

let shared: Shared;

beforeAll(async () => {
  shared = await startShared();
});

afterAll(async () => {
  await shared.close();
});

describe('one identity, one account under load (Decision 34 Art 4, 6)', () => {
  it('lets exactly one of 50 simultaneous registrations of one number succeed, and sends one code', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        w.service.startCitizen(citizenForm(adult, { phone: `09090${String(i).padStart(5, '0')}` }), REQUEST),
      ),
    );
    // Every registrant sees a started registration (none may learn that the identity is taken), but one account exists
    // and one code was sent: the others are registrations that can never be activated, and the holder is told.
    expect(results.every((result) => result.ok)).toBe(true);
    expect(w.sender.codesSent()).toBe(1);
    expect(await shared.redis.keys(`${w.keys.prefix}account:{*`)).toHaveLength(1);
    const codeRecipient = w.sender.sent.find((sent) => sent.template === 'activation_code')?.to ?? '';
    const winner = results.find((result) => result.ok && result.value.flow.maskedContact === maskContact(codeRecipient));
    expect(winner).toBeDefined();
    if (!winner?.ok) return;
    await w.service.verifyCode(winner.value.flow.id, w.sender.lastCode());
    await expect(w.service.setPassword(winner.value.flow.id, GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });
  });
});

describe('limits on registry matching (limits.registryMatchesPerIdentity, limits.registryMatchesPerIp)', () => {
  it('limits attempts per number, whether or not the data matched, without telling which', async () => {
    const w = world(shared, { registryMatchesPerIdentity: rule(3, 86_400), registryMatchesPerIp: rule(100, 3_600) });
    const adult = shared.personas.citizens.adult;
    for (let i = 0; i < 3; i += 1) {
      await expect(w.service.startCitizen(citizenForm(adult, { fullName: `Nguyễn Văn Sai ${'a'.repeat(i)}` }), REQUEST)).resolves.toEqual({
        ok: false,
        error: 'no_match',
      });
    }
    // Even the right data is now refused for this number, without asking the registry.
    const lookups = w.registry.lookups;
    await expect(w.service.startCitizen(citizenForm(adult), REQUEST)).resolves.toEqual({ ok: false, error: 'rate_limited' });
    expect(w.registry.lookups).toBe(lookups);
    // A number nobody holds is limited after the same number of attempts (nothing tells the two apart).
    const nobody = citizenForm(adult, { idNumber: `${adult.idNumber.slice(0, 6)}000000` });
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await w.service.startCitizen(nobody, REQUEST));
    expect(answers.map((answer) => !answer.ok && answer.error)).toEqual(['no_match', 'no_match', 'no_match', 'rate_limited']);
  });

  it('limits attempts per IP address across numbers', async () => {
    const w = world(shared, { registryMatchesPerIdentity: rule(100, 86_400), registryMatchesPerIp: rule(2, 3_600) });
    const { adult, teenager, expiredCard } = shared.personas.citizens;
    await expect(w.service.startCitizen(citizenForm(adult), REQUEST)).resolves.toMatchObject({ ok: true });
    await expect(w.service.startCitizen(citizenForm(teenager), REQUEST)).resolves.toMatchObject({ ok: true });
    await expect(w.service.startCitizen(citizenForm(expiredCard), REQUEST)).resolves.toEqual({ ok: false, error: 'rate_limited' });
    await expect(w.service.startCitizen(citizenForm(expiredCard), { ...REQUEST, ip: '198.51.100.1' })).resolves.toMatchObject({
      ok: true,
    });
  });
});

describe('failing closed', () => {
  it('registry unavailable: registry_unavailable, nothing created, and the same data work once it is back', async () => {
    const w = world(shared, { registryMatchesPerIdentity: rule(2, 86_400), registryMatchesPerIp: rule(2, 3_600) });
    const adult = shared.personas.citizens.adult;
    w.registry.down = true;
    // Retrying during the outage does not use up the limits: nothing was matched.
    for (let i = 0; i < 4; i += 1) {
      await expect(w.service.startCitizen(citizenForm(adult), REQUEST)).resolves.toEqual({ ok: false, error: 'registry_unavailable' });
    }
    expect(await shared.redis.keys(`${w.keys.prefix}account*`)).toEqual([]);
    expect(await shared.redis.keys(`${w.keys.prefix}flow*`)).toEqual([]);
    expect(w.sender.attempts).toBe(0);
    w.registry.down = false;
    await expect(w.service.startCitizen(citizenForm(adult), REQUEST)).resolves.toMatchObject({ ok: true });
  });

  it('sender unavailable at registration: nothing sent, the registration waits for a resend, allowed at once', async () => {
    const w = world(shared);
    const adult = shared.personas.citizens.adult;
    w.sender.failing = true;
    const started = await w.service.startCitizen(citizenForm(adult), REQUEST);
    expect(started).toMatchObject({
      ok: true,
      value: { codeDelivery: 'failed', flow: { state: 'awaiting_code', codeAttemptsRemaining: 0, nextSendAt: START } },
    });
    if (!started.ok) return;
    const flowId = started.value.flow.id;
    expect(w.sender.sent).toHaveLength(0);
    // No code exists that anyone could guess.
    expect((await w.flows.load(flowId))?.flow).toMatchObject({ sends: [] });
    expect((await w.flows.load(flowId))?.flow.codeHash).toBeUndefined();
    await expect(w.service.verifyCode(flowId, '000000')).resolves.toEqual({ ok: false, error: 'code_expired' });

    // Still down: still nothing sent and nothing counted.
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'sender_unavailable' });
    w.sender.failing = false;
    await expect(w.service.sendCode(flowId)).resolves.toMatchObject({ ok: true, value: { codeAttemptsRemaining: 5 } });
    await w.service.verifyCode(flowId, w.sender.lastCode());
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });
  });

  it('sender unavailable on a resend: the previous code keeps working and the send is not counted', async () => {
    const w = world(shared, { ...GENEROUS, codeSendsPerContact: rule(2, 3_600) });
    const flowId = await (async () => {
      const started = await w.service.startCitizen(citizenForm(shared.personas.citizens.adult), REQUEST);
      if (!started.ok) throw new Error(started.error);
      return started.value.flow.id;
    })();
    const first = w.sender.lastCode();
    w.clock.advance(MINUTE);
    w.sender.failing = true;
    for (let i = 0; i < 3; i += 1) {
      await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'sender_unavailable' });
    }
    w.sender.failing = false;
    // Neither the registration's resends nor the per-contact limit (2) were spent by the failures.
    await expect(w.service.sendCode(flowId)).resolves.toMatchObject({ ok: true });
    const second = w.sender.lastCode();
    expect(w.sender.codesSent()).toBe(2);
    if (first !== second) await expect(w.service.verifyCode(flowId, first)).resolves.toEqual({ ok: false, error: 'code_invalid' });
    await expect(w.service.verifyCode(flowId, second)).resolves.toMatchObject({ ok: true });
  });

  it('a sender that cannot even reach its own store: the page still gets the flow, to ask for the code again', async () => {
    const w = world(shared);
    const send = w.sender.send.bind(w.sender);
    w.sender.send = async () => {
      throw new DependencyUnavailableError('redis');
    };
    const started = await w.service.startCitizen(citizenForm(shared.personas.citizens.adult), REQUEST);
    expect(started).toMatchObject({ ok: true, value: { codeDelivery: 'failed', flow: { state: 'awaiting_code' } } });
    if (!started.ok) return;
    w.sender.send = send;
    await expect(w.service.sendCode(started.value.flow.id)).resolves.toMatchObject({ ok: true });
  });

  it('the previous code still works while the sender is down', async () => {
    const w = world(shared);
    const started = await w.service.startCitizen(citizenForm(shared.personas.citizens.adult), REQUEST);
    if (!started.ok) throw new Error(started.error);
    const code = w.sender.lastCode();
    w.clock.advance(MINUTE);
    w.sender.failing = true;
    await w.service.sendCode(started.value.flow.id);
    await expect(w.service.verifyCode(started.value.flow.id, code)).resolves.toMatchObject({ ok: true });
  });

  it('Redis unreachable: DependencyUnavailableError (503), never a refusal or a success', async () => {
    const keys = new RedisKeys('down:');
    const clock = new ManualClock(START);
    const closed = createRedisClient({ url: shared.server.url, commandTimeoutMs: 200, connectTimeoutMs: 200 }, { lazyConnect: true });
    const limits = Object.assign(new LimitsConfig(), GENEROUS);
    const w = world(shared);
    const service = createRegistrationService(
      {
        accounts: new RedisAccountStore(closed, keys, clock),
        flows: new RedisFlowStore(closed, keys, 'registration'),
        limiters: createRegistrationLimiters(closed, keys, limits),
        population: w.registry,
        immigration: w.registry,
        sender: w.sender,
        hasher: shared.hasher,
        clock,
        secrets: async () => ['test-secret-for-registration-0123456789abcdef'],
      },
      { limits, consent: new ConsentConfig(), eligibility: DEFAULT_ELIGIBILITY_POLICY, completedFlowTtlMs: keys.completedFlowTtlMs },
    );
    await expect(service.startCitizen(citizenForm(shared.personas.citizens.adult), REQUEST)).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    await expect(service.verifyCode('A'.repeat(22), '123456')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(w.sender.attempts).toBe(0);
    closed.disconnect();
  });
});

describe('unactivated registrations expire (later rules: 7 days, limits.pendingActivationDays)', () => {
  it('keeps the pending account, its login claim and the flow in Redis for exactly the activation period', async () => {
    const w = world(shared);
    const adult = shared.personas.citizens.adult;
    const started = await w.service.startCitizen(citizenForm(adult), REQUEST);
    if (!started.ok) throw new Error(started.error);
    const account = await w.accounts.findByLoginKey(loginKeyOf(adult));
    const keys = [
      w.keys.account(account?.id ?? ''),
      w.keys.accountLogin(loginKeyOf(adult)),
      w.keys.flow('registration', started.value.flow.id),
    ];
    for (const key of keys) {
      const ttl = await shared.redis.pttl(key);
      expect(ttl).toBeGreaterThan(7 * DAY - 10_000);
      expect(ttl).toBeLessThanOrEqual(7 * DAY);
    }
    // Activation makes the account and its login name permanent.
    await w.service.verifyCode(started.value.flow.id, w.sender.lastCode());
    await w.service.setPassword(started.value.flow.id, GOOD_PASSWORD);
    expect(await shared.redis.pttl(keys[0] ?? '')).toBe(-1);
    expect(await shared.redis.pttl(keys[1] ?? '')).toBe(-1);
  });

  it('after 7 days the registration is gone and the person can register again', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    const started = await w.service.startCitizen(citizenForm(adult), REQUEST);
    if (!started.ok) throw new Error(started.error);
    const flowId = started.value.flow.id;
    w.clock.advance(7 * DAY - 1);
    await expect(w.service.load(flowId)).resolves.toMatchObject({ state: 'awaiting_code' });
    w.clock.advance(1);
    await expect(w.service.load(flowId)).resolves.toBeUndefined();
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'flow_not_found' });
    await expect(w.service.verifyCode(flowId, '123456')).resolves.toEqual({ ok: false, error: 'flow_not_found' });
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toEqual({ ok: false, error: 'flow_not_found' });

    const again = await w.service.startCitizen(citizenForm(adult, { phone: '0912345678' }), REQUEST);
    expect(again).toMatchObject({ ok: true, value: { codeDelivery: 'sent' } });
    if (!again.ok) return;
    expect(again.value.flow.id).not.toBe(flowId);
    await w.service.verifyCode(again.value.flow.id, w.sender.lastCode('+84912345678'));
    await expect(w.service.setPassword(again.value.flow.id, GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });
    expect(await shared.redis.keys(`${w.keys.prefix}account:{*`)).toHaveLength(1);
  });

  it('a registration with a mistyped phone can be started afresh after an hour; the old one then stops', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    const typo = await w.service.startCitizen(citizenForm(adult, { phone: '0911111111' }), REQUEST);
    if (!typo.ok) throw new Error(typo.error);
    const typoCode = w.sender.lastCode('+84911111111');
    w.clock.advance(HOUR - 1);
    const tooEarly = await w.service.startCitizen(citizenForm(adult), REQUEST);
    expect(tooEarly).toMatchObject({ ok: true });
    expect(w.sender.sent.at(-1)).toMatchObject({ template: 'registration_attempted', to: '+84911111111' });
    w.clock.advance(1);
    const fixed = await w.service.startCitizen(citizenForm(adult), REQUEST);
    expect(fixed).toMatchObject({ ok: true });
    if (!fixed.ok) return;
    // The replaced registration can do nothing any more, even with its code.
    await expect(w.service.load(typo.value.flow.id)).resolves.toBeUndefined();
    await expect(w.service.verifyCode(typo.value.flow.id, typoCode)).resolves.toEqual({ ok: false, error: 'flow_not_found' });
    await w.service.verifyCode(fixed.value.flow.id, w.sender.lastCode('+84901234567'));
    await expect(w.service.setPassword(fixed.value.flow.id, GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });
    expect(await shared.redis.keys(`${w.keys.prefix}account:{*`)).toHaveLength(1);
  });

  it('never replaces an activated account, however old', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    await registerAndActivate(w, citizenForm(adult));
    w.clock.advance(30 * DAY);
    const codesBefore = w.sender.codesSent();
    await expect(w.service.startCitizen(citizenForm(adult), REQUEST)).resolves.toMatchObject({ ok: true });
    expect(w.sender.codesSent()).toBe(codesBefore);
    expect(await shared.redis.keys(`${w.keys.prefix}account:{*`)).toHaveLength(1);
  });
});
