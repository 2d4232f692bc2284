import { describe, expect, it } from '@jest/globals';
import { handOverThroughBreaker, type HandOverFailure } from '../../../src/notifications/delivery-breaker.js';
import { CircuitBreaker } from '../../../src/shared/circuit-breaker.js';
import { ManualClock } from '../../../src/shared/clock.js';

const OPEN_MS = 30_000;
const down: HandOverFailure = { kind: 'unavailable', reason: 'timeout' };
const refusedRecipient: HandOverFailure = { kind: 'rejected', reason: 'recipient_refused', status: 550 };

function setUp(): { breaker: CircuitBreaker; clock: ManualClock; handOver: (outcome: HandOverFailure | undefined) => Promise<HandOverFailure | undefined>; calls: () => number } {
  const clock = new ManualClock();
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: OPEN_MS }, clock);
  let calls = 0;
  return {
    breaker,
    clock,
    calls: () => calls,
    handOver: (outcome) =>
      handOverThroughBreaker(breaker, async () => {
        calls += 1;
        return outcome;
      }),
  };
}

describe('a sender behind its circuit breaker', () => {
  it('fails at once as circuit_open, without contacting the service, once it failed the threshold times', async () => {
    const { handOver, calls, breaker } = setUp();
    expect(await handOver(down)).toEqual(down);
    expect(await handOver(down)).toEqual(down);
    expect(breaker.state).toBe('open');
    expect(await handOver(undefined)).toEqual({ kind: 'unavailable', reason: 'circuit_open' });
    expect(calls()).toBe(2);
  });

  it('does not count a refused recipient against the service, so bad numbers cannot stop everybody’s messages', async () => {
    const { handOver, breaker } = setUp();
    for (let i = 0; i < 5; i += 1) expect(await handOver(refusedRecipient)).toEqual(refusedRecipient);
    expect(breaker.state).toBe('closed');
  });

  it('lets one message probe after the open period; its success closes the circuit', async () => {
    const { handOver, clock, breaker, calls } = setUp();
    await handOver(down);
    await handOver(down);
    clock.advance(OPEN_MS);
    expect(await handOver(undefined)).toBeUndefined();
    expect(breaker.state).toBe('closed');
    expect(calls()).toBe(3);
  });

  it('passes straight through when no breaker is given', async () => {
    let called = false;
    const outcome = await handOverThroughBreaker(undefined, async () => {
      called = true;
      return down;
    });
    expect(outcome).toEqual(down);
    expect(called).toBe(true);
  });
});
