import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { LoginForm } from '../../src/http/dto/login-form.js';
import { parseBody } from '../../src/http/dto/parse.js';

/**
 * Defect found by the hostile-input properties (issue 6): class-transformer threw on a nested object with an own
 * `constructor` key, so `{"idNumber":{"constructor":"x"}}` posted as JSON answered 500. It is an invalid field.
 */
describe('parseBody with objects where strings are expected', () => {
  it.each([
    ['an object with a constructor key', { idNumber: { constructor: 'x' } }, ['idNumber']],
    ['the same one level deeper', { idNumber: { a: { constructor: 1 } } }, ['idNumber']],
    ['inside an array', { password: [{ constructor: 'x' }] }, ['password']],
    ['a constructor key at the top', JSON.parse('{"constructor":{"prototype":{"admin":true}}}') as object, ['constructor']],
    ['a __proto__ key at the top', JSON.parse('{"__proto__":{"admin":true}}') as object, ['__proto__']],
    ['a prototype key at the top', { prototype: 'x' }, ['prototype']],
  ])('refuses %s as an invalid field instead of throwing', (_label, body, fields) => {
    const parsed = parseBody(LoginForm, { kind: 'citizen', idNumber: '001190000001', password: 'p', _csrf: 't', ...body });
    expect(parsed.ok).toBe(false);
    expect(parsed.fields).toEqual(expect.arrayContaining(fields));
  });

  it('still accepts a well-formed form', () => {
    expect(parseBody(LoginForm, { kind: 'citizen', idNumber: '001190000001', password: 'p', _csrf: 't' }).ok).toBe(true);
  });
});
