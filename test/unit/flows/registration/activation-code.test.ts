import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  citizenForm,
  GENEROUS,
  GOOD_PASSWORD,
  HOUR,
  MINUTE,
  REQUEST,
  rule,
  startShared,
  world,
  type Shared,
  type World,
} from './registration-harness.js';

/** Decision 34 Art 7.1: the one-time activation code (6 digits, 5 minutes, single use, limited tries and resends). */
let shared: Shared;

beforeAll(async () => {
  shared = await startShared();
});

afterAll(async () => {
  await shared.close();
});

async function started(w: World, persona: keyof Shared['personas']['citizens'] = 'adult'): Promise<string> {
  const result = await w.service.startCitizen(citizenForm(shared.personas.citizens[persona]), REQUEST);
  if (!result.ok) throw new Error(result.error);
  return result.value.flow.id;
}

/** A 6-digit code that is not the right one. */
const wrong = (right: string): string => String((Number(right) + 1) % 1_000_000).padStart(6, '0');

describe('the activation code (Decision 34 Art 7.1)', () => {
  it('works once: the same code cannot be entered twice', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const code = w.sender.lastCode();
    await expect(w.service.verifyCode(flowId, code)).resolves.toMatchObject({ ok: true });
    await expect(w.service.verifyCode(flowId, code)).resolves.toEqual({ ok: false, error: 'invalid_state' });
  });

  it('accepts the code typed with spaces, and does not count input that is not 6 digits as a try', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const code = w.sender.lastCode();
    await expect(w.service.verifyCode(flowId, '12345')).resolves.toEqual({ ok: false, error: 'code_invalid' });
    await expect(w.service.verifyCode(flowId, 'abcdef')).resolves.toEqual({ ok: false, error: 'code_invalid' });
    expect((await w.service.load(flowId))?.codeAttemptsRemaining).toBe(5);
    await expect(w.service.verifyCode(flowId, `${code.slice(0, 3)} ${code.slice(3)}`)).resolves.toMatchObject({ ok: true });
  });

  it('stops working after 5 minutes', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const code = w.sender.lastCode();
    w.clock.advance(5 * MINUTE);
    await expect(w.service.verifyCode(flowId, code)).resolves.toEqual({ ok: false, error: 'code_expired' });
    expect(await w.service.load(flowId)).toMatchObject({ state: 'awaiting_code', codeAttemptsRemaining: 0 });
    // A new code works.
    await expect(w.service.sendCode(flowId)).resolves.toMatchObject({ ok: true });
    await expect(w.service.verifyCode(flowId, w.sender.lastCode())).resolves.toMatchObject({ ok: true });
  });

  it('is used up by 5 wrong tries, even if the right one comes next', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const code = w.sender.lastCode();
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await w.service.verifyCode(flowId, wrong(code)));
    expect(answers.map((answer) => !answer.ok && answer.error)).toEqual([
      'code_invalid',
      'code_invalid',
      'code_invalid',
      'code_invalid',
      'code_expired',
    ]);
    await expect(w.service.verifyCode(flowId, code)).resolves.toEqual({ ok: false, error: 'code_expired' });
  });

  it('says how many tries are left', async () => {
    const w = world(shared);
    const flowId = await started(w);
    await w.service.verifyCode(flowId, wrong(w.sender.lastCode()));
    await w.service.verifyCode(flowId, wrong(w.sender.lastCode()));
    expect((await w.service.load(flowId))?.codeAttemptsRemaining).toBe(3);
  });

  it('counts every one of simultaneous wrong tries: 20 at once cannot get more than 5 compared', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const code = w.sender.lastCode();
    const answers = await Promise.all(Array.from({ length: 20 }, () => w.service.verifyCode(flowId, wrong(code))));
    const errors = answers.map((answer) => (answer.ok ? 'ok' : answer.error));
    expect(errors.filter((error) => error === 'code_invalid')).toHaveLength(4);
    expect(errors.filter((error) => error === 'code_expired')).toHaveLength(16);
    const stored = await w.flows.load(flowId);
    expect(stored?.flow).toMatchObject({ codeAttempts: 5, codeFailures: 5 });
  });

  it('never resets the failure count with a new code, and locks the registration after 10 wrong codes in total', async () => {
    const w = world(shared);
    const flowId = await started(w);
    for (let i = 0; i < 5; i += 1) await w.service.verifyCode(flowId, wrong(w.sender.lastCode()));
    w.clock.advance(MINUTE);
    await expect(w.service.sendCode(flowId)).resolves.toMatchObject({ ok: true, value: { codeAttemptsRemaining: 5 } });
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await w.service.verifyCode(flowId, wrong(w.sender.lastCode())));
    expect(answers.map((answer) => !answer.ok && answer.error).at(-1)).toBe('registration_locked');
    expect(await w.service.load(flowId)).toMatchObject({ state: 'locked', codeAttemptsRemaining: 0 });
    await expect(w.service.verifyCode(flowId, w.sender.lastCode())).resolves.toEqual({ ok: false, error: 'registration_locked' });
    w.clock.advance(MINUTE);
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'invalid_state' });
  });

  it('limits wrong codes per identity across its registrations (limits.wrongCodesPerAccount)', async () => {
    const w = world(shared, { ...GENEROUS, wrongCodesPerAccount: rule(3, 86_400), pendingReplaceableAfterSeconds: 60 });
    const flowId = await started(w);
    for (let i = 0; i < 3; i += 1) await w.service.verifyCode(flowId, wrong(w.sender.lastCode()));
    await expect(w.service.verifyCode(flowId, w.sender.lastCode())).resolves.toEqual({ ok: false, error: 'rate_limited' });
    // Starting the registration again does not give fresh tries for the same identity.
    w.clock.advance(2 * MINUTE);
    const again = await started(w);
    expect(again).not.toBe(flowId);
    await expect(w.service.verifyCode(again, w.sender.lastCode())).resolves.toEqual({ ok: false, error: 'rate_limited' });
  });

  it('is stored only as a keyed hash: no code appears anywhere in Redis', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const code = w.sender.lastCode();
    const keys = await shared.redis.keys(`${w.keys.prefix}*`);
    for (const key of keys) {
      const type = await shared.redis.type(key);
      const values = type === 'hash' ? Object.values(await shared.redis.hgetall(key)) : type === 'string' ? [await shared.redis.get(key)] : [];
      for (const value of values) expect(value ?? '').not.toContain(code);
    }
    // The limits are keyed by pseudonyms: no ID number, phone number or IP address in their key names.
    const limitKeys = keys.filter((key) => key.startsWith(w.keys.rateLimit(''))).join(' ');
    expect(limitKeys).toContain('registry-identity');
    expect(limitKeys).not.toContain(shared.personas.citizens.adult.idNumber);
    expect(limitKeys).not.toContain('84901234567');
    expect(limitKeys).not.toContain(REQUEST.ip);
    expect((await w.flows.load(flowId))?.flow.codeHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is a fresh random code on every send', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const codes = new Set([w.sender.lastCode()]);
    for (let i = 0; i < 3; i += 1) {
      w.clock.advance(MINUTE);
      await w.service.sendCode(flowId);
      codes.add(w.sender.lastCode());
    }
    expect(codes.size).toBeGreaterThanOrEqual(3);
  });
});

describe('sending codes again (limits.codeResendsPerHour, codeResendIntervalSeconds, codeSendsPerContact)', () => {
  it('waits 60 s between codes, then lets 3 resends an hour, then waits for the hour', async () => {
    const w = world(shared);
    const flowId = await started(w);
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'resend_too_soon' });
    w.clock.advance(59_000);
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'resend_too_soon' });
    for (let i = 0; i < 3; i += 1) {
      w.clock.advance(MINUTE);
      await expect(w.service.sendCode(flowId)).resolves.toMatchObject({ ok: true });
    }
    w.clock.advance(MINUTE);
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'send_limit_reached' });
    const view = await w.service.load(flowId);
    // The first code was sent at the start; the next one fits when it is an hour old.
    expect(view?.nextSendAt).toBe(view === undefined ? 0 : view.expiresAt - 7 * 24 * HOUR + HOUR);
    w.clock.advance(HOUR);
    await expect(w.service.sendCode(flowId)).resolves.toMatchObject({ ok: true });
    expect(w.sender.codesSent()).toBe(5);
  });

  it('makes the previous code stop working when a new one is sent', async () => {
    const w = world(shared);
    const flowId = await started(w);
    const first = w.sender.lastCode();
    w.clock.advance(MINUTE);
    await w.service.sendCode(flowId);
    const second = w.sender.lastCode();
    if (first !== second) await expect(w.service.verifyCode(flowId, first)).resolves.toEqual({ ok: false, error: 'code_invalid' });
    await expect(w.service.verifyCode(flowId, second)).resolves.toMatchObject({ ok: true });
  });

  it('sends one code when the resend button is pressed twice at once', async () => {
    const w = world(shared);
    const flowId = await started(w);
    w.clock.advance(MINUTE);
    const results = await Promise.all(Array.from({ length: 5 }, () => w.service.sendCode(flowId)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(w.sender.codesSent()).toBe(2);
    await expect(w.service.verifyCode(flowId, w.sender.lastCode())).resolves.toMatchObject({ ok: true });
  });

  it('limits codes to one phone number across registrations', async () => {
    const w = world(shared, { ...GENEROUS, codeSendsPerContact: rule(2, 3_600) });
    const form = (persona: 'adult' | 'teenager' | 'expiredCard') => citizenForm(shared.personas.citizens[persona], { phone: '0909000111' });
    await expect(w.service.startCitizen(form('adult'), REQUEST)).resolves.toMatchObject({ ok: true, value: { codeDelivery: 'sent' } });
    await expect(w.service.startCitizen(form('teenager'), REQUEST)).resolves.toMatchObject({ ok: true, value: { codeDelivery: 'sent' } });
    const third = await w.service.startCitizen(form('expiredCard'), REQUEST);
    expect(third).toMatchObject({ ok: true, value: { codeDelivery: 'rate_limited', flow: { state: 'awaiting_code' } } });
    if (!third.ok) return;
    await expect(w.service.sendCode(third.value.flow.id)).resolves.toEqual({ ok: false, error: 'rate_limited' });
    expect(w.sender.codesSent()).toBe(2);
  });

  it('refuses a resend once the code was accepted', async () => {
    const w = world(shared);
    const flowId = await started(w);
    await w.service.verifyCode(flowId, w.sender.lastCode());
    w.clock.advance(MINUTE);
    await expect(w.service.sendCode(flowId)).resolves.toEqual({ ok: false, error: 'invalid_state' });
  });
});

describe('the password step (Decision 34 Art 7.1; NIST SP 800-63B 5.1.1.2)', () => {
  async function verified(w: World): Promise<string> {
    const flowId = await started(w);
    const result = await w.service.verifyCode(flowId, w.sender.lastCode());
    if (!result.ok) throw new Error(result.error);
    return flowId;
  }

  it.each([
    ['password_too_short', 'ngắn'],
    ['password_too_long', 'x'.repeat(65)],
    ['password_too_common', 'anhyeuem'],
    ['password_too_common', 'matkhau123'],
    ['password_is_personal_data', '0901234567'],
  ])('refuses %s and lets the registrant try again', async (error, password) => {
    const w = world(shared);
    const flowId = await verified(w);
    await expect(w.service.setPassword(flowId, password)).resolves.toEqual({ ok: false, error });
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });
  });

  it('refuses the registrant\'s own ID number and birth date', async () => {
    const w = world(shared);
    const flowId = await verified(w);
    const adult = shared.personas.citizens.adult;
    await expect(w.service.setPassword(flowId, adult.idNumber)).resolves.toEqual({ ok: false, error: 'password_is_personal_data' });
    const [year, month, day] = adult.birthDate.split('-');
    await expect(w.service.setPassword(flowId, `${day}/${month}/${year}`)).resolves.toEqual({
      ok: false,
      error: 'password_is_personal_data',
    });
  });

  it('needs the code first', async () => {
    const w = world(shared);
    const flowId = await started(w);
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toEqual({ ok: false, error: 'invalid_state' });
  });

  it('must be taken within 30 minutes of the code; after that a new code is needed', async () => {
    const w = world(shared);
    const flowId = await verified(w);
    w.clock.advance(30 * MINUTE);
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toEqual({ ok: false, error: 'invalid_state' });
    expect(await w.service.load(flowId)).toMatchObject({ state: 'awaiting_code', codeAttemptsRemaining: 0 });
    await w.service.sendCode(flowId);
    await w.service.verifyCode(flowId, w.sender.lastCode());
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });
  });

  it('completes once: a retry with the same password is answered again, another password is refused', async () => {
    const w = world(shared);
    const flowId = await verified(w);
    const first = await w.service.setPassword(flowId, GOOD_PASSWORD);
    expect(first.ok).toBe(true);
    await expect(w.service.setPassword(flowId, GOOD_PASSWORD)).resolves.toEqual(first);
    await expect(w.service.setPassword(flowId, 'another fine password')).resolves.toEqual({ ok: false, error: 'invalid_state' });
    const account = first.ok ? await w.accounts.findById(first.value.accountId) : undefined;
    await expect(shared.hasher.verify(account?.passwordHash ?? '', GOOD_PASSWORD)).resolves.toBe(true);
  });

  it('lets exactly one of two browsers racing on one flow choose the password', async () => {
    const w = world(shared);
    const flowId = await verified(w);
    const results = await Promise.all([
      w.service.setPassword(flowId, 'first browser password'),
      w.service.setPassword(flowId, 'second browser password'),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.error === 'invalid_state')).toHaveLength(1);
    const winner = results[0]?.ok ? 'first browser password' : 'second browser password';
    const adult = shared.personas.citizens.adult;
    await expect(w.signIn.verify(`citizen:${adult.idNumber}`, winner)).resolves.toMatchObject({ ok: true });
  });

  it('keeps a completed flow readable only briefly', async () => {
    const w = world(shared);
    const flowId = await verified(w);
    await w.service.setPassword(flowId, GOOD_PASSWORD);
    const ttl = await shared.redis.pttl(w.keys.flow('registration', flowId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(w.keys.completedFlowTtlMs);
    expect(await w.service.load(flowId)).toMatchObject({ state: 'completed' });
  });
});
