import { describe, expect, it } from '@jest/globals';
import { achievedLevel, amrOf, type AuthenticationEvidence } from '../../../src/domain/authentication-methods.js';
import type { AssuranceLevel } from '../../../src/domain/levels.js';

describe('amr of a sign-in (RFC 8176)', () => {
  it.each<[string, AuthenticationEvidence, string[]]>([
    ['password alone', { password: true }, ['pwd']],
    ['password + SMS code', { password: true, secondFactor: 'sms' }, ['pwd', 'sms', 'mfa']],
    ['password + TOTP app', { password: true, secondFactor: 'totp' }, ['pwd', 'otp', 'mfa']],
    ['password + portrait verified now + SMS', { password: true, secondFactor: 'sms', verification: 'face' }, ['pwd', 'face', 'sms', 'mfa']],
    ['password + fingerprints verified now', { password: true, verification: 'fpt' }, ['pwd', 'fpt', 'mfa']],
    ['a code alone (no password)', { password: false, secondFactor: 'sms' }, ['sms']],
  ])('%s', (_name, evidence, amr) => {
    expect(amrOf(evidence)).toEqual(amr);
  });
});

describe('the level a sign-in achieves (Decision 34 Art 5.1)', () => {
  it.each<[string, AssuranceLevel, AuthenticationEvidence, AssuranceLevel]>([
    ['a level-1 account, password', 1, { password: true }, 1],
    ['a level-1 account, password + code: never above the account', 1, { password: true, secondFactor: 'sms' }, 1],
    ['a level-2 account, password alone', 2, { password: true }, 1],
    ['a level-2 account, password + SMS code', 2, { password: true, secondFactor: 'sms' }, 2],
    ['a level-2 account, password + TOTP', 2, { password: true, secondFactor: 'totp' }, 2],
    ['a level-2 account, portrait now but no code', 2, { password: true, verification: 'face' }, 1],
    ['a level-2 account, a code without the password', 2, { password: false, secondFactor: 'totp' }, 1],
  ])('%s', (_name, accountLevel, evidence, level) => {
    expect(achievedLevel(accountLevel, evidence)).toBe(level);
  });
});
