import { describe, expect, it } from '@jest/globals';
import { checkIdNumberConsistency, composeIdNumber, parseIdNumber } from '../../../src/domain/id-number.js';

describe('personal identification number structure (Decision 34 Art 4.1.a, DECREE.md Art 4)', () => {
  it.each([
    // number, province, gender, birth year
    ['001090123456', '001', 'male', 1990],
    ['079185000001', '079', 'female', 1985],
    ['096200999999', '096', 'male', 2000],
    ['038315123456', '038', 'female', 2015],
    ['001499000001', '001', 'male', 2199],
    ['001500000001', '001', 'female', 2100],
    ['001900000001', '001', 'female', 2300],
  ])('reads %s as province %s, %s, born %i', (idNumber, provinceCode, gender, birthYear) => {
    expect(parseIdNumber(idNumber)).toEqual({
      ok: true,
      value: { provinceCode, gender, birthYear, serial: idNumber.slice(6) },
    });
  });

  it.each([
    ['', 'malformed'],
    ['00109012345', 'malformed'],
    ['0010901234567', 'malformed'],
    ['00109012345a', 'malformed'],
    ['001 090 123 456', 'malformed'],
    ['０01090123456', 'malformed'],
    ['000090123456', 'unknown_province'],
    ['097090123456', 'unknown_province'],
    ['999090123456', 'unknown_province'],
  ])('refuses %j as %s', (idNumber, error) => {
    expect(parseIdNumber(idNumber)).toEqual({ ok: false, error });
  });

  it('ignores white space around the number, as people paste it', () => {
    expect(parseIdNumber(' 001090123456 \n').ok).toBe(true);
  });
});

describe('declared birth date and gender agree with the number (DECREE.md Art 4: rejected before the registry is asked)', () => {
  it.each([
    ['001090123456', '1990-05-01', 'male', { ok: true }],
    ['001190123456', '1990-05-01', 'female', { ok: true }],
    ['001215123456', '2015-12-31', 'male', { ok: true }],
    ['001090123456', '1991-05-01', 'male', { ok: false, error: 'birth_year_mismatch' }],
    ['001090123456', '2090-05-01', 'male', { ok: false, error: 'birth_year_mismatch' }],
    ['001290123456', '1990-05-01', 'male', { ok: false, error: 'birth_year_mismatch' }],
    ['001090123456', '1990-05-01', 'female', { ok: false, error: 'gender_mismatch' }],
    ['001190123456', '1990-05-01', 'male', { ok: false, error: 'gender_mismatch' }],
    ['001090123456', 'not a date', 'male', { ok: false, error: 'birth_year_mismatch' }],
    ['1234', '1990-05-01', 'male', { ok: false, error: 'malformed' }],
  ] as const)('%s born %s %s -> %j', (idNumber, birthDate, gender, expected) => {
    expect(checkIdNumberConsistency(idNumber, { birthDate, gender })).toMatchObject(expected);
  });
});

describe('composing a number (the synthetic registry)', () => {
  it.each([
    [{ provinceCode: 1, birthYear: 1990, gender: 'male', serial: 123456 }, '001090123456'],
    [{ provinceCode: 79, birthYear: 2005, gender: 'female', serial: 7 }, '079305000007'],
    [{ provinceCode: 96, birthYear: 2100, gender: 'male', serial: 0 }, '096400000000'],
  ] as const)('%j -> %s, which parses back to the same parts', (parts, idNumber) => {
    expect(composeIdNumber(parts)).toBe(idNumber);
    expect(parseIdNumber(idNumber)).toMatchObject({ ok: true, value: { gender: parts.gender, birthYear: parts.birthYear } });
  });

  it.each([
    { provinceCode: 0, birthYear: 1990, gender: 'male', serial: 1 },
    { provinceCode: 97, birthYear: 1990, gender: 'male', serial: 1 },
    { provinceCode: 1, birthYear: 1899, gender: 'male', serial: 1 },
    { provinceCode: 1, birthYear: 2400, gender: 'male', serial: 1 },
    { provinceCode: 1, birthYear: 1990, gender: 'male', serial: 1_000_000 },
  ] as const)('refuses parts no number can carry: %j', (parts) => {
    expect(() => composeIdNumber(parts)).toThrow(RangeError);
  });
});
