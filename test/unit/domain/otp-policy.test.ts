import { describe, expect, it } from '@jest/globals';
import {
  afterWrongCode,
  attemptsRemaining,
  checkSend,
  codeUsable,
  DEFAULT_OTP_POLICY,
  nextSendAt,
  withNewCode,
  type CodeState,
} from '../../../src/domain/otp-policy.js';

/** Decision 34 Art 7.1: the activation code sent to the registered phone or email; thresholds from later rules. */
const policy = DEFAULT_OTP_POLICY;
const T0 = Date.UTC(2026, 2, 1, 3);
const MINUTE = 60_000;
const fresh: CodeState = { codeAttempts: 0, codeFailures: 0, sends: [] };

describe('activation code rules (Decision 34 Art 7.1)', () => {
  it('uses 6-digit codes valid 5 minutes, 5 tries per code, 10 per registration, 3 resends an hour, 60 s apart', () => {
    expect(policy).toEqual({
      codeDigits: 6,
      codeTtlMs: 5 * MINUTE,
      maxAttemptsPerCode: 5,
      maxFailuresPerRegistration: 10,
      maxResendsPerHour: 3,
      minSendIntervalMs: MINUTE,
    });
  });

  it.each([
    ['just sent', 0, 0, true],
    ['one millisecond before 5 minutes', 5 * MINUTE - 1, 0, true],
    ['at 5 minutes', 5 * MINUTE, 0, false],
    ['after 4 wrong tries', MINUTE, 4, true],
    ['after 5 wrong tries', MINUTE, 5, false],
  ])('a code %s is usable: %s', (_case, elapsed, attempts, usable) => {
    const state = { ...withNewCode(fresh, 'hash', policy, T0), codeAttempts: attempts as number };
    expect(codeUsable(state, policy, T0 + (elapsed as number))).toBe(usable);
  });

  it('is not usable when none was sent', () => {
    expect(codeUsable(fresh, policy, T0)).toBe(false);
    expect(attemptsRemaining(fresh, policy, T0)).toBe(0);
  });

  it.each([
    ['the first code', [], 0, undefined],
    ['a resend after 59 s', [0], 59_000, 'resend_too_soon'],
    ['a resend after 60 s', [0], 60_000, undefined],
    ['the 3rd resend within the hour', [0, 1, 2].map((m) => m * MINUTE), 3 * MINUTE, undefined],
    ['a 4th resend within the hour', [0, 1, 2, 3].map((m) => m * MINUTE), 10 * MINUTE, 'send_limit_reached'],
    ['a 4th resend once the first code is an hour old', [0, 1, 2, 3].map((m) => m * MINUTE), 60 * MINUTE + 1, undefined],
  ])('%s: %s', (_case, sentMinutesAgo, now, refusal) => {
    const state = { ...fresh, sends: (sentMinutesAgo as number[]).map((offset) => T0 + offset) };
    expect(checkSend(state, policy, T0 + (now as number))).toBe(refusal);
  });

  it('tells when the next code may be sent', () => {
    const sends = [0, 1, 2, 3].map((m) => T0 + m * MINUTE);
    expect(nextSendAt({ ...fresh, sends: [T0] }, policy, T0 + 1000)).toBe(T0 + MINUTE);
    expect(nextSendAt({ ...fresh, sends }, policy, T0 + 5 * MINUTE)).toBe(T0 + 60 * MINUTE);
    expect(nextSendAt(fresh, policy, T0)).toBe(T0);
  });

  it('uses up a code after 5 wrong tries and locks the registration after 10, whatever the new codes', () => {
    let state = withNewCode(fresh, 'first', policy, T0);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const next = afterWrongCode(state, policy);
      outcomes.push(next.outcome);
      state = next.state;
    }
    expect(outcomes).toEqual(['code_invalid', 'code_invalid', 'code_invalid', 'code_invalid', 'code_expired']);
    expect(codeUsable(state, policy, T0)).toBe(false);

    // A new code has its own 5 tries, but the registration's count goes on from 5.
    state = withNewCode(state, 'second', policy, T0 + MINUTE);
    expect(state.codeFailures).toBe(5);
    expect(attemptsRemaining(state, policy, T0 + MINUTE)).toBe(5);
    const second: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const next = afterWrongCode(state, policy);
      second.push(next.outcome);
      state = next.state;
    }
    expect(second).toEqual(['code_invalid', 'code_invalid', 'code_invalid', 'code_invalid', 'registration_locked']);
    expect(state.codeFailures).toBe(10);
  });

  it('counts the tries left as the lower of the code\'s and the registration\'s', () => {
    const state = { ...withNewCode(fresh, 'hash', policy, T0), codeFailures: 8 };
    expect(attemptsRemaining(state, policy, T0)).toBe(2);
  });

  it('keeps only the last hour of sends', () => {
    const state = withNewCode({ ...fresh, sends: [T0 - 2 * 60 * MINUTE, T0 - 10 * MINUTE] }, 'h', policy, T0);
    expect(state.sends).toEqual([T0 - 10 * MINUTE, T0]);
  });
});
