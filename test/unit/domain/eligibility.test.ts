import { describe, expect, it } from '@jest/globals';
import {
  ageOn,
  checkEligibility,
  DEFAULT_ELIGIBILITY_POLICY,
  vietnamDateOf,
  type EligibilityPolicy,
  type Representative,
} from '../../../src/domain/eligibility.js';
import type { CitizenRecord, ForeignerRecord, ResidenceDocument } from '../../../src/domain/registry.js';

const TODAY = '2026-06-15';
const FATHER = { kind: 'citizen', idNumber: '001080000001' } as const;
const MOTHER = { kind: 'citizen', idNumber: '001182000002' } as const;
const GUARDIAN = { kind: 'citizen', idNumber: '001170000003' } as const;
const FOREIGN_PARENT = { kind: 'foreigner', passportNumber: 'TP1234567', nationality: 'JPN' } as const;

const citizen = (overrides: Partial<CitizenRecord> = {}): CitizenRecord => ({
  kind: 'citizen',
  idNumber: '001090123456',
  fullName: 'Nguyễn Văn An',
  birthDate: '1990-05-01',
  gender: 'male',
  lifeStatus: 'alive',
  idNumberStatus: 'valid',
  replacedBy: null,
  idCard: { expiresOn: '2030-05-01' },
  parents: [FATHER, MOTHER],
  guardians: [],
  underGuardianship: false,
  biometrics: { portraitRef: null, fingerprintRef: null },
  ...overrides,
});

const document = (type: ResidenceDocument['type'], validFrom: string, validUntil: string): ResidenceDocument => ({
  type,
  number: 'TT00000001',
  validFrom,
  validUntil,
});

const foreigner = (overrides: Partial<ForeignerRecord> = {}): ForeignerRecord => ({
  kind: 'foreigner',
  passportNumber: 'M12345678',
  nationality: 'KOR',
  fullName: 'Kim Min-jun',
  birthDate: '1990-02-04',
  gender: 'male',
  lifeStatus: 'alive',
  passportExpiresOn: '2030-01-01',
  residenceDocument: document('temporary_residence_card', '2026-01-01', '2027-12-31'),
  visaKind: 'LD2',
  parents: [FOREIGN_PARENT],
  guardians: [],
  underGuardianship: false,
  biometrics: { portraitRef: null, fingerprintRef: null },
  ...overrides,
});

const representative = (
  identity: Representative['identity'],
  overrides: Partial<Omit<Representative, 'identity'>> = {},
): Representative => ({ identity, accountActive: true, level: 2, ...overrides });

const birthDateForAge = (age: number): string => `${2026 - age}-06-15`;

describe('eligibility to register (Decision 34 Art 6)', () => {
  it.each([
    // [case, record, representative, expected]
    ['Art 6.1: an adult registers themselves', citizen(), null, { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['Art 6.1: on the 14th birthday a person registers themselves', citizen({ birthDate: birthDateForAge(14) }), null,
      { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['Art 6.1: from 14, not through a parent', citizen({ birthDate: birthDateForAge(14) }), representative(FATHER),
      { ok: false, error: 'must_register_self' }],
    ['Art 6.2: the day before the 14th birthday only through a parent', citizen({ birthDate: '2012-06-16' }), null,
      { ok: false, error: 'representative_required' }],
    ['Art 6.2: a child through the father', citizen({ birthDate: birthDateForAge(10) }), representative(FATHER),
      { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 1 } }],
    ['Art 6.2: a child through the mother', citizen({ birthDate: birthDateForAge(3) }), representative(MOTHER),
      { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 1 } }],
    ['Art 6.2: a newborn has no minimum age', citizen({ birthDate: TODAY }), representative(MOTHER),
      { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 1 } }],
    ['Art 6.2: a child through a guardian the registry names',
      citizen({ birthDate: birthDateForAge(10), guardians: [GUARDIAN] }), representative(GUARDIAN),
      { ok: true, value: { channel: 'representative', relation: 'guardian', maxLevel: 1 } }],
    ['Art 6.2: not through someone the registry does not name', citizen({ birthDate: birthDateForAge(10) }),
      representative(GUARDIAN), { ok: false, error: 'not_parent_or_guardian' }],
    ['later rules: the parent account must be level 2', citizen({ birthDate: birthDateForAge(10) }),
      representative(FATHER, { level: 1 }), { ok: false, error: 'representative_not_qualified' }],
    ['later rules: the parent account must be active', citizen({ birthDate: birthDateForAge(10) }),
      representative(FATHER, { accountActive: false }), { ok: false, error: 'representative_not_qualified' }],
    ['Art 6.3: a person under guardianship through the guardian',
      citizen({ underGuardianship: true, guardians: [GUARDIAN] }), representative(GUARDIAN),
      { ok: true, value: { channel: 'representative', relation: 'guardian', maxLevel: 1 } }],
    ['Art 6.3: a person under guardianship never alone', citizen({ underGuardianship: true, guardians: [GUARDIAN] }),
      null, { ok: false, error: 'representative_required' }],
    ['Art 6.3: a person under guardianship only through the guardian, not a parent',
      citizen({ underGuardianship: true, guardians: [GUARDIAN] }), representative(FATHER),
      { ok: false, error: 'not_parent_or_guardian' }],
    ['Art 6.3: a ward under 14 only through the guardian',
      citizen({ birthDate: birthDateForAge(8), underGuardianship: true, guardians: [GUARDIAN] }), representative(MOTHER),
      { ok: false, error: 'not_parent_or_guardian' }],
    ['Art 10.5: deceased', citizen({ lifeStatus: 'deceased' }), null, { ok: false, error: 'deceased' }],
    ['Art 10.4: number invalidated', citizen({ idNumberStatus: 'invalidated' }), null,
      { ok: false, error: 'id_number_invalidated' }],
    ['Art 10.4: number re-established', citizen({ idNumberStatus: 're_established', replacedBy: '001091000001' }), null,
      { ok: false, error: 'id_number_re_established' }],
    ['draft 2025: an expired identity card does not stop registration', citizen({ idCard: { expiresOn: '2020-01-01' } }),
      null, { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['a birth date after today is nobody registrable', citizen({ birthDate: '2026-06-16' }), representative(MOTHER),
      { ok: false, error: 'too_young' }],
  ] as const)('%s', (_case, record, rep, expected) => {
    expect(checkEligibility({ record, representative: rep, accountExists: false, today: TODAY })).toEqual(expected);
  });

  it.each([
    ['one identity, one account (Art 6): an adult', citizen(), null],
    ['one identity, one account (Art 6): a child', citizen({ birthDate: birthDateForAge(10) }), representative(FATHER)],
    ['one identity, one account (Art 6): a foreigner', foreigner(), null],
  ] as const)('refuses an existing account: %s', (_case, record, rep) => {
    expect(checkEligibility({ record, representative: rep, accountExists: true, today: TODAY })).toEqual({
      ok: false,
      error: 'account_exists',
    });
  });

  it('reports a closed identity before an existing account', () => {
    expect(
      checkEligibility({ record: citizen({ lifeStatus: 'deceased' }), representative: null, accountExists: true, today: TODAY }),
    ).toEqual({ ok: false, error: 'deceased' });
  });
});

describe('eligibility of foreigners (draft 2025: from 6, 90 days of legal residence or a long-term visa)', () => {
  it.each([
    ['a two-year residence card', foreigner(), null, { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['a permanent residence card', foreigner({ residenceDocument: document('permanent_residence_card', '2020-01-01', '2029-12-31'), visaKind: null }),
      null, { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['exactly 90 days granted', foreigner({ residenceDocument: document('visa', '2026-06-01', '2026-08-29'), visaKind: 'DN1' }),
      null, { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['89 days granted, short-stay visa', foreigner({ residenceDocument: document('visa', '2026-06-01', '2026-08-28'), visaKind: 'DN1' }),
      null, { ok: false, error: 'residence_not_eligible' }],
    ['30-day tourist visa', foreigner({ residenceDocument: document('visa', '2026-06-10', '2026-07-09'), visaKind: 'DL' }),
      null, { ok: false, error: 'residence_not_eligible' }],
    ['visa-exempt stay of 45 days', foreigner({ residenceDocument: document('temporary_residence_certificate', '2026-06-01', '2026-07-15'), visaKind: null }),
      null, { ok: false, error: 'residence_not_eligible' }],
    ['a long-term visa kind with 60 days granted', foreigner({ residenceDocument: document('visa', '2026-06-01', '2026-07-30'), visaKind: 'LS' }),
      null, { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['a residence card that expired yesterday', foreigner({ residenceDocument: document('temporary_residence_card', '2024-06-15', '2026-06-14') }),
      null, { ok: false, error: 'residence_not_eligible' }],
    ['a residence card valid from tomorrow', foreigner({ residenceDocument: document('temporary_residence_card', '2026-06-16', '2028-06-15') }),
      null, { ok: false, error: 'residence_not_eligible' }],
    ['a long-term visa that expired', foreigner({ residenceDocument: document('visa', '2025-01-01', '2026-06-14'), visaKind: 'LD1' }),
      null, { ok: false, error: 'residence_not_eligible' }],
    ['no residence document on file', foreigner({ residenceDocument: null, visaKind: null }), null,
      { ok: false, error: 'residence_not_eligible' }],
    ['5 years old', foreigner({ birthDate: birthDateForAge(5) }), representative(FOREIGN_PARENT), { ok: false, error: 'too_young' }],
    ['6 years old, through a parent (Art 6.2)', foreigner({ birthDate: birthDateForAge(6) }), representative(FOREIGN_PARENT),
      { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 1 } }],
    ['parent passport typed in lower case', foreigner({ birthDate: birthDateForAge(9) }),
      representative({ kind: 'foreigner', passportNumber: 'tp1234567', nationality: 'jpn' }),
      { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 1 } }],
    ['10 years old, alone (Art 6.2)', foreigner({ birthDate: birthDateForAge(10) }), null,
      { ok: false, error: 'representative_required' }],
    ['deceased (Art 10.5)', foreigner({ lifeStatus: 'deceased' }), null, { ok: false, error: 'deceased' }],
  ] as const)('%s', (_case, record, rep, expected) => {
    expect(checkEligibility({ record, representative: rep, accountExists: false, today: TODAY })).toEqual(expected);
  });
});

describe('thresholds come from the policy (configuration)', () => {
  it.each([
    ['self-registration from 16', { selfRegistrationMinAge: 16 }, citizen({ birthDate: birthDateForAge(15) }), null,
      { ok: false, error: 'representative_required' }],
    ['foreigners from 10', { foreignerMinAge: 10 }, foreigner({ birthDate: birthDateForAge(8) }), representative(FOREIGN_PARENT),
      { ok: false, error: 'too_young' }],
    ['legal residence from 30 days', { foreignerMinLegalResidenceDays: 30 },
      foreigner({ residenceDocument: document('visa', '2026-06-10', '2026-07-09'), visaKind: 'DL' }), null,
      { ok: true, value: { channel: 'self', maxLevel: 2 } }],
    ['no long-term visa kinds', { longTermVisaKinds: [] },
      foreigner({ residenceDocument: document('visa', '2026-06-01', '2026-07-30'), visaKind: 'LS' }), null,
      { ok: false, error: 'residence_not_eligible' }],
    ['representatives at level 1 accepted', { representativeMinLevel: 1 }, citizen({ birthDate: birthDateForAge(10) }),
      representative(FATHER, { level: 1 }), { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 1 } }],
    ['dependants up to level 2', { dependantMaxLevel: 2 }, citizen({ birthDate: birthDateForAge(10) }), representative(FATHER),
      { ok: true, value: { channel: 'representative', relation: 'parent', maxLevel: 2 } }],
  ] as const)('%s', (_case, change, record, rep, expected) => {
    const policy: EligibilityPolicy = { ...DEFAULT_ELIGIBILITY_POLICY, ...change };
    expect(checkEligibility({ record, representative: rep, accountExists: false, today: TODAY }, policy)).toEqual(expected);
  });
});

describe('age and the Vietnamese calendar day (Art 6.1 "aged full 14 years")', () => {
  it.each([
    ['2012-06-15', '2026-06-15', 14],
    ['2012-06-16', '2026-06-15', 13],
    ['2012-02-29', '2026-02-28', 13],
    ['2012-02-29', '2026-03-01', 14],
    ['2012-02-29', '2028-02-29', 16],
    ['2026-06-15', '2026-06-15', 0],
    ['2026-06-16', '2026-06-15', -1],
  ])('born %s, on %s is %i full years old', (birthDate, today, age) => {
    expect(ageOn(birthDate, today)).toBe(age);
  });

  it.each([
    [Date.UTC(2026, 5, 14, 16, 59, 59), '2026-06-14'],
    [Date.UTC(2026, 5, 14, 17, 0, 0), '2026-06-15'],
    [Date.UTC(2026, 11, 31, 17, 0, 0), '2027-01-01'],
  ])('instant %i is %s in Vietnam (UTC+7)', (instant, date) => {
    expect(vietnamDateOf(instant)).toBe(date);
  });
});
