import { describe, expect, it } from '@jest/globals';
import { delayAfterFailures, disabledAfter, type ThrottlePolicy } from '../../../src/domain/failure-throttle.js';

const policy: ThrottlePolicy = { freeFailures: 5, baseDelaySeconds: 30, maxDelaySeconds: 3_600, disableAfterFailures: 100 };

describe('waits after failed sign-ins (NIST SP 800-63B 5.2.2)', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 30],
    [6, 60],
    [7, 120],
    [11, 1_920],
    [12, 3_600],
    [99, 3_600],
    [10_000, 3_600],
  ])('after %i consecutive failures the next attempt waits %i s', (failures, wait) => {
    expect(delayAfterFailures(failures, policy)).toBe(wait);
  });

  it('never waits with a base delay of 0', () => {
    expect(delayAfterFailures(50, { ...policy, baseDelaySeconds: 0 })).toBe(0);
  });

  it.each([
    [99, false],
    [100, true],
    [150, true],
  ])('disables the authenticator at 100 consecutive failures (%i: %s)', (failures, disabled) => {
    expect(disabledAfter(failures, policy)).toBe(disabled);
  });

  it('never disables when the limit is 0 (per-IP counting)', () => {
    expect(disabledAfter(1_000, { ...policy, disableAfterFailures: 0 })).toBe(false);
  });
});
