import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loginKeyOf, type Account } from '../../../../src/domain/account.js';
import type { CitizenRecord, ForeignerRecord } from '../../../../src/domain/registry.js';
import type { DependantRegistrationInput } from '../../../../src/flows/registration/types.js';
import {
  CONSENT,
  existingAccount,
  foreignerForm,
  GENEROUS,
  GOOD_PASSWORD,
  REQUEST,
  startShared,
  world,
  type Shared,
  type World,
} from './registration-harness.js';

let shared: Shared;

beforeAll(async () => {
  shared = await startShared();
});

afterAll(async () => {
  await shared.close();
});

describe('a foreigner registers (Decision 34 Art 6.1, 6.4.a–dd, 7.1.b; draft 2025 eligibility)', () => {
  it('matches passport number + nationality against the immigration registry and activates at level 1', async () => {
    const w = world(shared);
    const resident = shared.personas.foreigners.resident;
    const started = await w.service.startForeigner(
      foreignerForm(resident, { passportNumber: resident.passportNumber.toLowerCase(), nationality: 'kor' }),
      REQUEST,
    );
    expect(started).toMatchObject({ ok: true, value: { flow: { kind: 'foreigner', channel: 'email' } } });
    if (!started.ok) return;
    await w.service.verifyCode(started.value.flow.id, w.sender.lastCode());
    const completed = await w.service.setPassword(started.value.flow.id, GOOD_PASSWORD);
    expect(completed.ok).toBe(true);
    const account = await w.accounts.findByLoginKey(loginKeyOf(resident));
    expect(account).toMatchObject({
      status: 'active',
      level: 1,
      identity: { kind: 'foreigner', passportNumber: resident.passportNumber, nationality: 'KOR' },
      phone: '+33612345678',
    });
  });

  it.each([
    ['Art 7.1.b: the passport under another nationality', (f: ForeignerRecord) => foreignerForm(f, { nationality: 'JPN' }), 'no_match'],
    ['Art 7.1.b: another birth date', (f: ForeignerRecord) => foreignerForm(f, { birthDate: '1950-01-01' }), 'no_match'],
    ['Art 6.4.dd: nationality not ISO alpha-3', (f: ForeignerRecord) => foreignerForm(f, { nationality: 'KR' }), 'invalid_identity'],
    ['Art 6.4.a: passport number with symbols', (f: ForeignerRecord) => foreignerForm(f, { passportNumber: 'M9-000/01' }), 'invalid_identity'],
  ])('refuses: %s', async (_rule, form, error) => {
    const w = world(shared, GENEROUS);
    await expect(w.service.startForeigner(form(shared.personas.foreigners.resident), REQUEST)).resolves.toEqual({ ok: false, error });
  });

  it.each([
    ['draft 2025: a 30-day tourist visa is not 90 days of legal residence', 'tourist', 'residence_not_eligible'],
    ['draft 2025: an expired residence card', 'expiredResidence', 'residence_not_eligible'],
    ['draft 2025: foreigners only from age 6', 'tooYoung', 'too_young'],
    ['Art 6.2: an 8-year-old foreigner needs a parent\'s account', 'child', 'representative_required'],
  ] as const)('refuses: %s', async (_rule, persona, error) => {
    const w = world(shared, GENEROUS);
    await expect(w.service.startForeigner(foreignerForm(shared.personas.foreigners[persona]), REQUEST)).resolves.toEqual({
      ok: false,
      error,
    });
  });

  it('accepts a long-term visa with less than 90 days granted (draft 2025)', async () => {
    const w = world(shared);
    const result = await w.service.startForeigner(foreignerForm(shared.personas.foreigners.longTermVisa), REQUEST);
    expect(result).toMatchObject({ ok: true });
  });
});

function dependantForm(
  representative: Account,
  record: CitizenRecord | ForeignerRecord,
  overrides: Partial<DependantRegistrationInput> = {},
): DependantRegistrationInput {
  return {
    representativeAccountId: representative.id,
    dependant:
      record.kind === 'citizen'
        ? { kind: 'citizen', idNumber: record.idNumber }
        : { kind: 'foreigner', passportNumber: record.passportNumber, nationality: record.nationality },
    fullName: record.fullName,
    birthDate: record.birthDate,
    gender: record.gender,
    channel: 'sms',
    consent: CONSENT,
    ...overrides,
  };
}

async function activateDependant(w: World, form: DependantRegistrationInput): Promise<Account | undefined> {
  const started = await w.service.startDependant(form, REQUEST);
  if (!started.ok) throw new Error(started.error);
  await w.service.verifyCode(started.value.flow.id, w.sender.lastCode());
  const completed = await w.service.setPassword(started.value.flow.id, GOOD_PASSWORD);
  if (!completed.ok) throw new Error(completed.error);
  expect(completed.value.representativeAccountId).toBe(form.representativeAccountId);
  return w.accounts.findById(completed.value.accountId);
}

describe('a dependant is registered through a parent\'s or guardian\'s account (Decision 34 Art 6.2, 6.3, 6.4.g)', () => {
  it('Art 6.2: a father with a level-2 account registers his 10-year-old; the contact is his, the account level 1', async () => {
    const w = world(shared);
    const { father, child } = shared.personas.citizens;
    const parent = await existingAccount(w, shared, father, 2);
    const account = await activateDependant(w, dependantForm(parent, child));
    // The code went to the representative's phone: "the contact details may be the representative's".
    expect(w.sender.sent[0]).toMatchObject({ channel: 'sms', to: parent.phone });
    expect(account).toMatchObject({
      status: 'active',
      level: 1,
      representativeAccountId: parent.id,
      phone: parent.phone,
      email: parent.email,
      identity: { kind: 'citizen', idNumber: child.idNumber },
      consent: { termsVersion: '2026-01' },
    });
  });

  it('Art 6.2: a mother registers the same child with the child\'s own email', async () => {
    const w = world(shared);
    const { mother, child } = shared.personas.citizens;
    const parent = await existingAccount(w, shared, mother, 2);
    const account = await activateDependant(w, dependantForm(parent, child, { email: 'khoi@example.vn', channel: 'email' }));
    expect(w.sender.sent[0]).toMatchObject({ channel: 'email', to: 'khoi@example.vn' });
    expect(account).toMatchObject({ email: 'khoi@example.vn', phone: parent.phone });
  });

  it('Art 6.3: a guardian registers the adult under guardianship', async () => {
    const w = world(shared);
    const { guardian, ward } = shared.personas.citizens;
    const representative = await existingAccount(w, shared, guardian, 2);
    const account = await activateDependant(w, dependantForm(representative, ward));
    expect(account).toMatchObject({ level: 1, representativeAccountId: representative.id });
  });

  it('Art 6.2: a foreign parent registers an 8-year-old foreign child', async () => {
    const w = world(shared);
    const { parent, child } = shared.personas.foreigners;
    const representative = await existingAccount(w, shared, parent, 2);
    const account = await activateDependant(w, dependantForm(representative, child));
    expect(account).toMatchObject({ level: 1, identity: { kind: 'foreigner', passportNumber: child.passportNumber } });
  });

  it('later rules: a representative with a level-1 account is refused before the registry is asked', async () => {
    const w = world(shared, GENEROUS);
    const { father, child } = shared.personas.citizens;
    const parent = await existingAccount(w, shared, father, 1);
    await expect(w.service.startDependant(dependantForm(parent, child), REQUEST)).resolves.toEqual({
      ok: false,
      error: 'representative_not_qualified',
    });
    expect(w.registry.lookups).toBe(0);
  });

  it('later rules: an unknown or not yet activated representative account is refused', async () => {
    const w = world(shared, GENEROUS);
    const { father, child } = shared.personas.citizens;
    const parent = await existingAccount(w, shared, father, 2);
    await expect(
      w.service.startDependant(dependantForm({ ...parent, id: 'no-such-account' }, child), REQUEST),
    ).resolves.toEqual({ ok: false, error: 'representative_not_qualified' });
    await w.accounts.save({ ...parent, status: 'pending_activation' });
    await expect(w.service.startDependant(dependantForm(parent, child), REQUEST)).resolves.toEqual({
      ok: false,
      error: 'representative_not_qualified',
    });
  });

  it.each([
    ['Art 6.2: someone the registry does not name as parent', 'adult', 'child', 'not_parent_or_guardian'],
    ['Art 6.3: a parent is not the guardian of an adult under guardianship', 'father', 'ward', 'not_parent_or_guardian'],
    ['Art 6.1: a 15-year-old registers themselves', 'father', 'teenager', 'must_register_self'],
    ['Art 7.1.a: the dependant\'s data must match too', 'father', 'deceased', 'no_match'],
  ] as const)('refuses: %s', async (_rule, representativePersona, dependantPersona, error) => {
    const w = world(shared, GENEROUS);
    const representative = await existingAccount(w, shared, shared.personas.citizens[representativePersona], 2);
    const result = await w.service.startDependant(
      dependantForm(representative, shared.personas.citizens[dependantPersona]),
      REQUEST,
    );
    expect(result).toEqual({ ok: false, error });
  });

  it('refuses the email channel when neither the form nor the representative has an email', async () => {
    const w = world(shared, GENEROUS);
    const { father, child } = shared.personas.citizens;
    const parent = await existingAccount(w, shared, father, 2);
    const { email: _email, ...withoutEmail } = parent;
    await w.accounts.save(withoutEmail);
    await expect(w.service.startDependant(dependantForm(parent, child, { channel: 'email' }), REQUEST)).resolves.toEqual({
      ok: false,
      error: 'contact_missing',
    });
  });

  it('checks the dependant\'s own number against the declared birth date before the registry (Art 4.1.a)', async () => {
    const w = world(shared, GENEROUS);
    const { father, child } = shared.personas.citizens;
    const parent = await existingAccount(w, shared, father, 2);
    await expect(
      w.service.startDependant(dependantForm(parent, child, { birthDate: '1990-01-01' }), REQUEST),
    ).resolves.toEqual({ ok: false, error: 'invalid_id_number' });
    expect(w.registry.lookups).toBe(0);
  });
});
