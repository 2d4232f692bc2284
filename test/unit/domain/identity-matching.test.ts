import { describe, expect, it } from '@jest/globals';
import type { Identity } from '../../../src/domain/account.js';
import { declaredIdentityMatches, normaliseFullName } from '../../../src/domain/identity-matching.js';
import type { CitizenRecord, ForeignerRecord } from '../../../src/domain/registry.js';

const citizen: CitizenRecord = {
  kind: 'citizen',
  idNumber: '001090123456',
  fullName: 'Nguyễn Thị Hòa',
  birthDate: '1990-05-01',
  gender: 'female',
  lifeStatus: 'alive',
  idNumberStatus: 'valid',
  replacedBy: null,
  idCard: { expiresOn: '2030-05-01' },
  parents: [],
  guardians: [],
  underGuardianship: false,
  biometrics: { portraitRef: null, fingerprintRef: null },
};

const foreigner: ForeignerRecord = {
  kind: 'foreigner',
  passportNumber: 'M12345678',
  nationality: 'KOR',
  fullName: 'Kim Min-jun',
  birthDate: '1988-02-04',
  gender: 'male',
  lifeStatus: 'alive',
  passportExpiresOn: '2030-01-01',
  residenceDocument: null,
  visaKind: null,
  parents: [],
  guardians: [],
  underGuardianship: false,
  biometrics: { portraitRef: null, fingerprintRef: null },
};

const declaredCitizen: Identity = {
  kind: 'citizen',
  idNumber: '001090123456',
  fullName: 'Nguyễn Thị Hòa',
  birthDate: '1990-05-01',
  gender: 'female',
};

const declaredForeigner: Identity = {
  kind: 'foreigner',
  passportNumber: 'M12345678',
  nationality: 'KOR',
  fullName: 'Kim Min-jun',
  birthDate: '1988-02-04',
  gender: 'male',
};

describe('name comparison form (Decision 34 Art 7.1: declared data compared automatically with the registry)', () => {
  it.each([
    ['NFC and NFD spell the same name', 'Nguyễn Thị Hòa'.normalize('NFD'), 'Nguyễn Thị Hòa'],
    ['case does not matter', 'NGUYỄN THỊ HÒA', 'nguyễn thị hòa'],
    ['surrounding and repeated white space does not matter', '  Nguyễn \t Thị\u00a0 Hòa ', 'Nguyễn Thị Hòa'],
    ['old and new tone placement: hòa / hoà', 'Hòa', 'Hoà'],
    ['old and new tone placement: thủy / thuỷ', 'Thủy', 'Thuỷ'],
    ['old and new tone placement: khỏe / khoẻ', 'Khỏe', 'Khoẻ'],
    ['old and new tone placement: thúy / thuý', 'Phạm Thúy Hằng', 'Phạm Thuý Hằng'],
    ['qu + y keeps its tone on the y', 'Quý', 'quý'],
  ])('%s', (_case, left, right) => {
    expect(normaliseFullName(left)).toBe(normaliseFullName(right));
  });

  it.each([
    ['diacritics are significant', 'Nguyễn Thị Hòa', 'Nguyen Thi Hoa'],
    ['a different tone is a different name', 'Hòa', 'Hóa'],
    ['vowel marks are significant', 'Lê Văn Thắng', 'Lê Văn Thằng'],
    ['đ is not d', 'Đức', 'Dức'],
    ['horned ơ is not o', 'Phạm Thị Thơ', 'Phạm Thị Thọ'],
    ['words are not merged', 'Lê Na', 'Lên A'],
    ['a missing middle name is a different name', 'Nguyễn Hòa', 'Nguyễn Thị Hòa'],
    ['the tone of a syllable with a final consonant is not moved', 'Hoàng', 'Hòang'],
  ])('%s', (_case, left, right) => {
    expect(normaliseFullName(left)).not.toBe(normaliseFullName(right));
  });
});

describe('declared identity against the registry record (Decision 34 Art 5.1, 6.4.a-dd, 7.1)', () => {
  it.each([
    ['exact citizen declaration', declaredCitizen],
    ['name typed in capitals with new-style tone and extra spaces', { ...declaredCitizen, fullName: ' NGUYỄN  THỊ HOÀ ' }],
    ['number with surrounding white space', { ...declaredCitizen, idNumber: ' 001090123456 ' }],
  ])('matches: %s', (_case, declared) => {
    expect(declaredIdentityMatches(declared, citizen)).toBe(true);
  });

  it.each([
    ['another number', { ...declaredCitizen, idNumber: '001090123457' }],
    ['another name', { ...declaredCitizen, fullName: 'Nguyễn Thị Hoa' }],
    ['name without diacritics', { ...declaredCitizen, fullName: 'Nguyen Thi Hoa' }],
    ['another birth date', { ...declaredCitizen, birthDate: '1990-05-02' }],
    ['another gender', { ...declaredCitizen, gender: 'male' as const }],
    ['a foreigner declaration against a citizen record', { ...declaredForeigner, idNumber: '001090123456' }],
  ])('does not match: %s', (_case, declared) => {
    expect(declaredIdentityMatches(declared, citizen)).toBe(false);
  });

  it.each([
    ['exact foreigner declaration', declaredForeigner],
    ['passport and nationality in lower case with spaces', { ...declaredForeigner, passportNumber: ' m1234 5678', nationality: 'kor ' }],
    ['name in capitals as printed in the passport', { ...declaredForeigner, fullName: 'KIM MIN-JUN' }],
  ])('matches: %s', (_case, declared) => {
    expect(declaredIdentityMatches(declared, foreigner)).toBe(true);
  });

  it.each([
    // Decision 34 Art 7.1.b: citizenship is part of the comparison for foreigners.
    ['another nationality', { ...declaredForeigner, nationality: 'PRK' }],
    ['another passport', { ...declaredForeigner, passportNumber: 'M12345679' }],
    ['another birth date', { ...declaredForeigner, birthDate: '1988-02-05' }],
    ['a hyphen missing from the name', { ...declaredForeigner, fullName: 'Kim Minjun' }],
    ['a citizen declaration against a foreigner record', { ...declaredCitizen, passportNumber: 'M12345678', nationality: 'KOR' }],
  ])('does not match: %s', (_case, declared) => {
    expect(declaredIdentityMatches(declared, foreigner)).toBe(false);
  });

  it('answers only yes or no, never which field differed', () => {
    const answer: unknown = declaredIdentityMatches({ ...declaredCitizen, birthDate: '1999-01-01' }, citizen);
    expect(typeof answer).toBe('boolean');
  });
});
