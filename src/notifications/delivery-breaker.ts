import type { CircuitBreaker } from '../shared/circuit-breaker.js';
import type { DeliveryFailure } from './delivery-log.js';

/** Why one hand-over failed, before the channel and template are added for the log. */
export type HandOverFailure = Omit<DeliveryFailure, 'channel' | 'template'>;

/**
 * Whether a failed hand-over says the relay or gateway itself is in trouble. A refused recipient or message
 * (`rejected`) says nothing about it: counting those would let anyone open the circuit for everybody by registering
 * a few numbers the carrier refuses.
 */
const countsAgainstService = (failure: HandOverFailure | undefined): boolean => failure !== undefined && failure.kind !== 'rejected';

/**
 * Runs one hand-over to the SMTP relay or the SMS gateway through its circuit breaker: while the circuit is open the
 * message fails at once as `unavailable` / `circuit_open` without a connection being made, so that people are told
 * "try again later" at once instead of each waiting for the sender's timeout, and the service gets room to recover.
 * Resolves to undefined when the message was taken, or to why it was not.
 */
export async function handOverThroughBreaker(
  breaker: CircuitBreaker | undefined,
  handOver: () => Promise<HandOverFailure | undefined>,
): Promise<HandOverFailure | undefined> {
  if (!breaker) return handOver();
  const run = await breaker.run(handOver, countsAgainstService);
  return run.refused ? { kind: 'unavailable', reason: 'circuit_open' } : run.outcome;
}
