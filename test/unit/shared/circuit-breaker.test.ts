import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker } from '../../../src/shared/circuit-breaker.js';
import { ManualClock } from '../../../src/shared/clock.js';

const OPEN_MS = 30_000;

function breaker(failureThreshold = 3): { breaker: CircuitBreaker; clock: ManualClock } {
  const clock = new ManualClock();
  return { breaker: new CircuitBreaker({ failureThreshold, openMs: OPEN_MS }, clock), clock };
}

const failing = async (b: CircuitBreaker): Promise<boolean> =>
  (await b.run(async () => 'down', () => true)).refused;
const succeeding = async (b: CircuitBreaker): Promise<boolean> =>
  (await b.run(async () => 'up', () => false)).refused;

describe('circuit breaker around a dependency (registry, SMS gateway, mail relay)', () => {
  it('stays closed below the failure threshold, and a success resets the count', async () => {
    const { breaker: b } = breaker(3);
    await failing(b);
    await failing(b);
    await succeeding(b);
    await failing(b);
    await failing(b);
    expect(b.state).toBe('closed');
  });

  it('opens after the threshold of consecutive failures and refuses calls without making them', async () => {
    const { breaker: b } = breaker(3);
    for (let i = 0; i < 3; i += 1) await failing(b);
    expect(b.state).toBe('open');
    let called = false;
    const outcome = await b.run(async () => {
      called = true;
      return 'up';
    }, () => false);
    expect(outcome).toEqual({ refused: true });
    expect(called).toBe(false);
  });

  it('lets a single probe through once the open period has passed; its success closes the circuit', async () => {
    const { breaker: b, clock } = breaker(1);
    await failing(b);
    clock.advance(OPEN_MS - 1);
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.state).toBe('half_open');
    const probe = b.tryAcquire();
    expect(probe).toEqual({ probe: true });
    expect(b.tryAcquire()).toBeNull();
    b.recordSuccess(probe ?? { probe: false });
    expect(b.state).toBe('closed');
    expect(await succeeding(b)).toBe(false);
  });

  it('a failed probe keeps the circuit open for another full period', async () => {
    const { breaker: b, clock } = breaker(1);
    await failing(b);
    clock.advance(OPEN_MS);
    expect(await failing(b)).toBe(false);
    expect(b.state).toBe('open');
    clock.advance(OPEN_MS - 1);
    expect(await succeeding(b)).toBe(true);
    clock.advance(1);
    expect(await succeeding(b)).toBe(false);
    expect(b.state).toBe('closed');
  });

  it('counts a thrown error as a failure and lets it through', async () => {
    const { breaker: b } = breaker(1);
    await expect(b.run(async () => Promise.reject(new Error('bug')), () => false)).rejects.toThrow('bug');
    expect(b.state).toBe('open');
  });

  it('refuses nonsensical settings', () => {
    const clock = new ManualClock();
    expect(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 }, clock)).toThrow(RangeError);
    expect(() => new CircuitBreaker({ failureThreshold: 1, openMs: -1 }, clock)).toThrow(RangeError);
  });
});
