import { describe, expect, it } from '@jest/globals';
import { devPersonas } from '../../../src/registries/synthetic/dev-personas.js';
import { toCitizenRecord, toForeignerRecord, toRegistryRecord } from '../../../src/registries/wire/record-mapping.js';

const personas = devPersonas('2026-03-01');
const child = personas.citizens.child;
const foreignChild = personas.foreigners.child;

const without = (record: object, key: string): object => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

describe('registry records at the edge: malformed is never a match', () => {
  it('passes well-formed records through unchanged', () => {
    expect(toCitizenRecord(child, 'forbid')).toEqual(child);
    expect(toForeignerRecord(foreignChild, 'forbid')).toEqual(foreignChild);
    expect(toRegistryRecord(foreignChild, 'forbid')).toEqual(foreignChild);
  });

  it('brings names to NFC', () => {
    const decomposed = { ...child, fullName: child.fullName.normalize('NFD') };
    expect(toCitizenRecord(decomposed, 'forbid')?.fullName).toBe(child.fullName);
  });

  it.each([
    ['not an object', 'citizen'],
    ['an array', [child]],
    ['null', null],
    ['a missing field', without(child, 'lifeStatus')],
    ['a missing nullable field (null must be explicit)', without(child, 'replacedBy')],
    ['an impossible date', { ...child, birthDate: '2023-02-30' }],
    ['a date in another format', { ...child, birthDate: '01/02/2015' }],
    ['a number of 11 digits', { ...child, idNumber: '00121590000' }],
    ['an unknown gender', { ...child, gender: 'other' }],
    ['an unknown number status', { ...child, idNumberStatus: 'suspended' }],
    ['a name with digits', { ...child, fullName: 'Lê Minh Khôi 2' }],
    ['an empty name', { ...child, fullName: '' }],
    ['a parent reference without a number', { ...child, parents: [{ kind: 'citizen' }] }],
    ['a parent reference of an unknown kind', { ...child, parents: [{ kind: 'robot', idNumber: '001085900001' }] }],
    ['an identity card that is not an object', { ...child, idCard: '2030-01-01' }],
    ['biometrics missing', without(child, 'biometrics')],
    ['the identity card missing (null must be explicit)', without(child, 'idCard')],
    ['underGuardianship as a string', { ...child, underGuardianship: 'false' }],
    ['the kind of a foreigner', { ...child, kind: 'foreigner' }],
  ])('refuses a citizen record with %s', (_case, plain) => {
    expect(toCitizenRecord(plain, 'strip')).toBeNull();
  });

  it.each([
    ['a nationality that is no country', { ...foreignChild, nationality: 'ZZZ' }],
    ['a nationality in lower case', { ...foreignChild, nationality: 'jpn' }],
    ['a passport number with spaces', { ...foreignChild, passportNumber: 'TP 9000002' }],
    ['an unknown residence document type', { ...foreignChild, residenceDocument: { ...foreignChild.residenceDocument, type: 'tourist_card' } }],
    ['a residence document without an end date', { ...foreignChild, residenceDocument: without(foreignChild.residenceDocument ?? {}, 'validUntil') }],
    ['the residence document missing (null must be explicit)', without(foreignChild, 'residenceDocument')],
    ['a visa kind with punctuation', { ...foreignChild, visaKind: 'LD-2' }],
    ['a foreign parent without nationality', { ...foreignChild, parents: [{ kind: 'foreigner', passportNumber: 'TP9000001' }] }],
  ])('refuses a foreigner record with %s', (_case, plain) => {
    expect(toForeignerRecord(plain, 'strip')).toBeNull();
  });

  it('accepts ICAO codes for stateless persons and refugees as nationality', () => {
    expect(toForeignerRecord({ ...foreignChild, nationality: 'XXA', parents: [] }, 'forbid')?.nationality).toBe('XXA');
  });

  it('our dataset format is closed; an agency may add fields, which are dropped', () => {
    const extended = { ...child, bloodType: 'O', biometrics: { ...child.biometrics, irisRef: 'x' } };
    expect(toCitizenRecord(extended, 'forbid')).toBeNull();
    expect(toCitizenRecord(extended, 'strip')).toEqual(child);
  });
});
