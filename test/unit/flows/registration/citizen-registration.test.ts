import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loginKeyOf } from '../../../../src/domain/account.js';
import {
  citizenForm,
  CONSENT,
  GENEROUS,
  GOOD_PASSWORD,
  registerAndActivate,
  REQUEST,
  START,
  startShared,
  world,
  type Shared,
} from './registration-harness.js';

let shared: Shared;

/** A different date in the same year, so the number's year digits still agree (Art 4.1.a) but the registry does not. */
const otherDayOfYear = (isoDate: string): string => {
  const year = isoDate.slice(0, 4);
  return isoDate.endsWith('-12-31') ? `${year}-01-01` : `${year}-12-31`;
};

beforeAll(async () => {
  shared = await startShared();
});

afterAll(async () => {
  await shared.close();
});

describe('a citizen registers and activates an account (Decision 34 Art 6.1, 7.1.a)', () => {
  it('matches the registry, creates a pending account, sends a code, and activates at level 1 with a password', async () => {
    const w = world(shared);
    const adult = shared.personas.citizens.adult;
    const started = await w.service.startCitizen(citizenForm(adult, { interactionUid: 'interaction-123' }), REQUEST);
    expect(started).toMatchObject({ ok: true, value: { codeDelivery: 'sent' } });
    if (!started.ok) return;
    const { flow } = started.value;
    expect(flow).toMatchObject({
      state: 'awaiting_code',
      kind: 'citizen',
      channel: 'sms',
      maskedContact: '+8490*****67',
      interactionUid: 'interaction-123',
      expiresAt: START + 7 * 86_400_000,
      codeExpiresAt: START + 5 * 60_000,
      codeAttemptsRemaining: 5,
      nextSendAt: START + 60_000,
    });

    // Art 7.1: the activation request goes to the registered phone number, normalised to E.164.
    expect(w.sender.sent).toHaveLength(1);
    expect(w.sender.sent[0]).toMatchObject({ channel: 'sms', to: '+84901234567', template: 'activation_code', locale: 'vi' });
    expect(w.sender.sent[0]?.params).toEqual({ code: expect.stringMatching(/^\d{6}$/), expiresInMinutes: '5' });

    const pending = await w.accounts.findByLoginKey(loginKeyOf({ kind: 'citizen', idNumber: adult.idNumber }));
    expect(pending).toMatchObject({
      status: 'pending_activation',
      level: 1,
      passwordHash: '',
      phone: '+84901234567',
      email: 'registrant@example.vn',
      consent: { termsVersion: '2026-01', dataProcessingVersion: '2026-01', acceptedAt: START },
    });
    // Not usable before activation, and refused exactly like a wrong password (no enumeration).
    await expect(w.signIn.verify(loginKeyOf(adult), GOOD_PASSWORD)).resolves.toEqual({ ok: false, error: 'invalid_credentials' });

    const verified = await w.service.verifyCode(flow.id, w.sender.lastCode());
    expect(verified).toMatchObject({ ok: true, value: { state: 'awaiting_password', passwordDeadline: START + 30 * 60_000 } });

    const completed = await w.service.setPassword(flow.id, GOOD_PASSWORD);
    expect(completed).toMatchObject({ ok: true, value: { flow: { state: 'completed', interactionUid: 'interaction-123' } } });
    if (!completed.ok) return;
    const account = await w.accounts.findById(completed.value.accountId);
    expect(account).toMatchObject({ status: 'active', level: 1, activatedAt: START });
    expect(account?.activationExpiresAt).toBeUndefined();
    await expect(w.signIn.verify(loginKeyOf(adult), GOOD_PASSWORD)).resolves.toMatchObject({ ok: true });

    // Art 12.1: the owner is told the account is active.
    expect(w.sender.sent.at(-1)).toMatchObject({ template: 'account_activated', to: '+84901234567', params: { level: '1' } });
  });

  it('stores the name as the registry spells it when the registrant used the other accepted tone style', async () => {
    const w = world(shared);
    const person = shared.personas.citizens.toneStyleName;
    const account = await registerAndActivate(w, citizenForm(person, { fullName: person.fullName.replace('Hòa', 'Hoà') }));
    expect(account.identity.fullName).toBe(person.fullName);
  });

  it('sends the code by email when the registrant chooses email, greeting them by name', async () => {
    const w = world(shared);
    const teenager = shared.personas.citizens.teenager;
    const started = await w.service.startCitizen(citizenForm(teenager, { channel: 'email', email: 'Trang@Example.VN' }), REQUEST);
    expect(started).toMatchObject({ ok: true, value: { flow: { channel: 'email', maskedContact: 'Tr***@example.vn' } } });
    expect(w.sender.sent[0]).toMatchObject({
      channel: 'email',
      to: 'Trang@example.vn',
      params: { fullName: teenager.fullName, expiresInMinutes: '5' },
    });
  });

  /** Each refusal with the article it applies; the registry is asked only where the rule needs it. */
  const refusals: [string, (s: Shared) => Parameters<ReturnType<typeof world>['service']['startCitizen']>[0], string, boolean][] = [
    // Art 4.1.a (DECREE.md): the number's century/gender/year digits contradict the declared data: before the registry.
    ['Art 4.1.a: number says another birth year', (s) => citizenForm(s.personas.citizens.adult, { birthDate: '1991-01-01' }), 'invalid_id_number', false],
    ['Art 4.1.a: number says another gender', (s) => citizenForm(s.personas.citizens.adult, { gender: 'female' }), 'invalid_id_number', false],
    ['Art 4.1.a: not 12 digits', (s) => citizenForm(s.personas.citizens.adult, { idNumber: '00109001234' }), 'invalid_id_number', false],
    ['Art 4.1.a: unknown province', (s) => citizenForm(s.personas.citizens.adult, { idNumber: `097${s.personas.citizens.adult.idNumber.slice(3)}` }), 'invalid_id_number', false],
    ['Art 6.4.b: empty name', (s) => citizenForm(s.personas.citizens.adult, { fullName: '   ' }), 'invalid_identity', false],
    ['Art 6.4.c: impossible date', (s) => citizenForm(s.personas.citizens.adult, { birthDate: '1991-02-30' }), 'invalid_identity', false],
    ['Art 6.4.e: a landline cannot receive the code', (s) => citizenForm(s.personas.citizens.adult, { phone: '0241234567' }), 'invalid_phone', false],
    ['Art 6.4.e: a malformed email', (s) => citizenForm(s.personas.citizens.adult, { email: 'an@localhost' }), 'invalid_email', false],
    ['Art 7.1: the code goes by SMS or email only', (s) => citizenForm(s.personas.citizens.adult, { channel: 'fax' as unknown as 'sms' }), 'contact_missing', false],
    ['consent to the terms is required', (s) => citizenForm(s.personas.citizens.adult, { consent: { ...CONSENT, acceptedTerms: false } }), 'consent_required', false],
    ['consent to data processing is required', (s) => citizenForm(s.personas.citizens.adult, { consent: { ...CONSENT, acceptedDataProcessing: false } }), 'consent_required', false],
    // Art 7.1.a: the declared data must match the National Population Database; one answer whatever differed.
    ['Art 7.1.a: nobody holds the number', (s) => citizenForm(s.personas.citizens.adult, { idNumber: `${s.personas.citizens.adult.idNumber.slice(0, 6)}000000` }), 'no_match', true],
    ['Art 7.1.a: another name', (s) => citizenForm(s.personas.citizens.adult, { fullName: 'Nguyễn Văn Anh' }), 'no_match', true],
    ['Art 7.1.a: name without diacritics', (s) => citizenForm(s.personas.citizens.adult, { fullName: 'Nguyen Van An' }), 'no_match', true],
    ['Art 7.1.a: another day of birth in the same year', (s) => citizenForm(s.personas.citizens.adult, { birthDate: otherDayOfYear(s.personas.citizens.adult.birthDate) }), 'no_match', true],
    // Art 10.4, 10.5: a closed identity reads exactly like no match.
    ['Art 10.5: deceased', (s) => citizenForm(s.personas.citizens.deceased), 'no_match', true],
    ['Art 10.4: number invalidated', (s) => citizenForm(s.personas.citizens.invalidatedNumber), 'no_match', true],
    ['Art 10.4: number re-established', (s) => citizenForm(s.personas.citizens.reEstablishedOld), 'no_match', true],
    // Art 6.1, 6.2, 6.3: under 14 or under guardianship, only through a parent's or guardian's account.
    ['Art 6.2: a 10-year-old registering themselves', (s) => citizenForm(s.personas.citizens.child), 'representative_required', true],
    ['Art 6.3: a person under guardianship registering themselves', (s) => citizenForm(s.personas.citizens.ward), 'representative_required', true],
  ];

  it.each(refusals)('refuses: %s', async (_rule, form, error, asksRegistry) => {
    const w = world(shared, GENEROUS);
    const result = await w.service.startCitizen(form(shared), REQUEST);
    expect(result).toEqual({ ok: false, error });
    expect(w.registry.lookups).toBe(asksRegistry ? 1 : 0);
    expect(w.sender.attempts).toBe(0);
    // Nothing is created for a refused registration.
    expect(await shared.redis.keys(`${w.keys.prefix}account*`)).toEqual([]);
    expect(await shared.redis.keys(`${w.keys.prefix}flow*`)).toEqual([]);
  });

  it.each([
    ['Art 6.1: 15 years old, registers themselves', 'teenager'],
    ['draft 2025: an expired identity card hides the card, never the account', 'expiredCard'],
    ['Art 10.4: the same person under the new number', 'reEstablishedCurrent'],
  ] as const)('accepts: %s', async (_rule, persona) => {
    const w = world(shared);
    const result = await w.service.startCitizen(citizenForm(shared.personas.citizens[persona]), REQUEST);
    expect(result).toMatchObject({ ok: true, value: { codeDelivery: 'sent' } });
  });

  it('creates no second account for an identity that has one, answers as if it did, and tells the holder (Art 4, 6, 12.1)', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    await registerAndActivate(w, citizenForm(adult));
    const codesBefore = w.sender.codesSent();
    const again = await w.service.startCitizen(citizenForm(adult, { phone: '0912345678' }), REQUEST);
    expect(again).toMatchObject({ ok: true, value: { codeDelivery: 'sent', flow: { state: 'awaiting_code', maskedContact: expect.stringMatching(/78$/) } } });
    if (!again.ok) return;
    // No code went anywhere; the holder's registered phone got the notice instead.
    expect(w.sender.codesSent()).toBe(codesBefore);
    expect(w.sender.sent.at(-1)).toMatchObject({ template: 'registration_attempted', to: '+84901234567' });
    // Its codes are never accepted and its password step is never reached.
    await expect(w.service.verifyCode(again.value.flow.id, '123456')).resolves.toEqual({ ok: false, error: 'code_invalid' });
    await expect(w.service.setPassword(again.value.flow.id, GOOD_PASSWORD)).resolves.toEqual({ ok: false, error: 'invalid_state' });
    await expect(w.service.sendCode(again.value.flow.id)).resolves.toEqual({ ok: false, error: 'resend_too_soon' });
  });

  it('answers a registration while another one of the same identity awaits activation as if it were new, and starts none', async () => {
    const w = world(shared, GENEROUS);
    const adult = shared.personas.citizens.adult;
    await w.service.startCitizen(citizenForm(adult), REQUEST);
    w.clock.advance(10 * 60_000);
    await expect(w.service.startCitizen(citizenForm(adult, { phone: '0912345678' }), REQUEST)).resolves.toMatchObject({
      ok: true,
      value: { codeDelivery: 'sent' },
    });
    expect(w.sender.codesSent()).toBe(1);
    expect(w.sender.sent.at(-1)).toMatchObject({ template: 'registration_attempted', to: '+84901234567' });
  });

  it('answers "no such flow" for ids it never issued', async () => {
    const w = world(shared);
    await expect(w.service.load('not-a-flow')).resolves.toBeUndefined();
    await expect(w.service.load('A'.repeat(22))).resolves.toBeUndefined();
    await expect(w.service.verifyCode('A'.repeat(22), '123456')).resolves.toEqual({ ok: false, error: 'flow_not_found' });
    await expect(w.service.sendCode('../../etc')).resolves.toEqual({ ok: false, error: 'flow_not_found' });
    await expect(w.service.setPassword('A'.repeat(22), GOOD_PASSWORD)).resolves.toEqual({ ok: false, error: 'flow_not_found' });
  });
});
