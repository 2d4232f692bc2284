import { describe, expect, it } from '@jest/globals';
import { COMMON_PASSWORDS } from '../../../src/domain/data/common-passwords.js';
import { checkNewPassword, type PersonalData } from '../../../src/domain/password-policy.js';

/** Decision 34 Art 7.1 (the registrant sets credentials) with NIST SP 800-63B 5.1.1.2 rules. */
const person: PersonalData = {
  idNumber: '001090012345',
  birthDate: '1990-05-17',
  phone: '+84901234567',
  email: 'nhung.le@example.vn',
};
const foreigner: PersonalData = { passportNumber: 'C01234567', birthDate: '1985-11-02', phone: '+33612345678' };

describe('a new password (Decision 34 Art 7.1; NIST SP 800-63B 5.1.1.2)', () => {
  it.each([
    ['8 characters, nothing else required', 'tre xanh'],
    ['no composition rules: lower-case words', 'correct horse battery staple'],
    ['Vietnamese with diacritics', 'Ngày mai trời lại sáng'],
    ['exactly 64 characters', 'a1'.repeat(32)],
    ['64 characters counted after NFKC, whatever the keyboard sent', 'ệ'.normalize('NFD').repeat(64)],
    ['a common word with a suffix that is not digits', 'dragonfly-in-hue'],
    ['digits of a date that is not the owner\'s', '17/05/1991'],
  ])('accepts %s', (_case, password) => {
    expect(checkNewPassword(password, person)).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['password_too_short', 'seven c'],
    ['password_too_short', '日本語です'],
    ['password_too_long', 'a'.repeat(65)],
    ['password_too_common', 'password'],
    ['password_too_common', 'PASSWORD'],
    ['password_too_common', '123456789'],
    ['password_too_common', 'iloveyou'],
    ['password_too_common', 'qwertyuiop'],
    // Vietnamese favourites, with and without diacritics.
    ['password_too_common', 'anhyeuem'],
    ['password_too_common', 'emyeuanh'],
    ['password_too_common', 'matkhau123'],
    ['password_too_common', 'Mật khẩu'],
    ['password_too_common', '68686868'],
    // A common password "strengthened" with digits or symbols at the end.
    ['password_too_common', 'password2024'],
    ['password_too_common', 'anhyeuem123!'],
    ['password_too_common', 'matkhau@123'],
    // The owner's own identifiers and contact details, in the ways people type them.
    ['password_is_personal_data', '001090012345'],
    ['password_is_personal_data', '0901234567'],
    ['password_is_personal_data', '+84 901 234 567'],
    ['password_is_personal_data', '84901234567'],
    ['password_is_personal_data', '17/05/1990'],
    ['password_is_personal_data', '17-05-1990'],
    ['password_is_personal_data', '1990-05-17'],
    ['password_is_personal_data', '19900517'],
    ['password_is_personal_data', 'nhung.le@example.vn'],
  ])('refuses with %s: %s', (refusal, password) => {
    expect(checkNewPassword(password, person)).toEqual({ ok: false, error: refusal });
  });

  it('refuses a foreigner\'s passport number and foreign phone number', () => {
    expect(checkNewPassword('c01234567', foreigner)).toEqual({ ok: false, error: 'password_is_personal_data' });
    expect(checkNewPassword('33612345678', foreigner)).toEqual({ ok: false, error: 'password_is_personal_data' });
    expect(checkNewPassword('02111985', foreigner)).toEqual({ ok: false, error: 'password_is_personal_data' });
  });

  it('ships a list of thousands of common passwords, Vietnamese ones included', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(5000);
    for (const password of ['matkhau', '123456789', 'anhyeuem', 'vietnam123', 'password']) {
      expect(COMMON_PASSWORDS.has(password)).toBe(true);
    }
    for (const password of COMMON_PASSWORDS) expect(password).toBe(password.normalize('NFKC').toLowerCase());
  });
});
