import { describe, expect, it } from '@jest/globals';
import { contactKeyOf, maskContact, normaliseEmailAddress, normalisePhoneNumber } from '../../../src/domain/contact.js';

describe('phone numbers declared at registration (Decision 34 Art 6.4.e) are stored in E.164', () => {
  it.each([
    ['national format', '0901234567', '+84901234567'],
    ['spaces and the country code', '+84 90 123 4567', '+84901234567'],
    ['country code without +', '84901234567', '+84901234567'],
    ['punctuation', '(+84) 912-345-678', '+84912345678'],
    ['surrounding white space', '  0987 654 321 ', '+84987654321'],
    ['new 03x mobile range', '0321234567', '+84321234567'],
    ['a foreign mobile with its country code', '+33 6 12 34 56 78', '+33612345678'],
    ['a number the US cannot tell mobile from fixed', '+1 650 253 0000', '+16502530000'],
  ])('accepts %s', (_case, typed, stored) => {
    expect(normalisePhoneNumber(typed)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['empty', ''],
    ['too short', '090 123 45'],
    ['a Vietnamese landline (cannot receive the SMS code, Art 7.1)', '0241234567'],
    ['a premium-rate number', '1900123456'],
    ['letters', 'call me maybe'],
    ['far too long', '0'.repeat(40)],
  ])('refuses %s', (_case, typed) => {
    expect(normalisePhoneNumber(typed)).toEqual({ ok: false, error: 'invalid_phone' });
  });
});

describe('email addresses declared at registration (Decision 34 Art 6.4.e)', () => {
  it.each([
    ['plain', 'an.nguyen@example.vn', 'an.nguyen@example.vn'],
    ['domain in capitals is lowered, local part kept', 'An.Nguyen@Example.VN', 'An.Nguyen@example.vn'],
    ['plus addressing', 'an+eid@mail.example.com', 'an+eid@mail.example.com'],
    ['white space around', '  an@example.vn ', 'an@example.vn'],
    ['an internationalised domain in ASCII form', 'an@xn--bcher-kva.example', 'an@xn--bcher-kva.example'],
  ])('accepts %s', (_case, typed, stored) => {
    expect(normaliseEmailAddress(typed)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['empty', ''],
    ['no @', 'an.example.vn'],
    ['no local part', '@example.vn'],
    ['no domain', 'an@'],
    ['a host without a top-level domain', 'an@localhost'],
    ['two dots in a row', 'an..nguyen@example.vn'],
    ['a space inside', 'an nguyen@example.vn'],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.vn`],
    ['an address over 254 characters', `an@${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.vn`],
    ['a label starting with a hyphen', 'an@-example.vn'],
    ['a numeric top-level domain', 'an@example.123'],
  ])('refuses %s', (_case, typed) => {
    expect(normaliseEmailAddress(typed)).toEqual({ ok: false, error: 'invalid_email' });
  });
});

describe('contacts as keys and on screen', () => {
  it('keys an address case-insensitively, so limits per contact cannot be dodged with capitals', () => {
    expect(contactKeyOf('An.Nguyen@example.vn')).toBe(contactKeyOf('an.nguyen@example.vn'));
    expect(contactKeyOf('+84901234567')).toBe('+84901234567');
  });

  it.each([
    ['+84901234567', '+8490*****67'],
    ['nguyen.an@example.vn', 'ng*******@example.vn'],
    ['a@example.vn', 'a*@example.vn'],
    ['ab@example.vn', 'a*@example.vn'],
  ])('shows %s as %s', (contact, masked) => {
    expect(maskContact(contact)).toBe(masked);
  });
});
