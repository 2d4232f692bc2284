/**
 * Throttling of failed sign-in attempts (NIST SP 800-63B 5.2.2: no more than 100 consecutive failed attempts on one
 * authenticator; growing waits before that). Pure: the counts come in, the wait comes out. Every threshold is
 * configuration (`signIn.*`, docs/configuration.md).
 */
export interface ThrottlePolicy {
  /** Failures answered without any wait; from this count on, each further attempt waits. */
  freeFailures: number;
  /** The wait after the `freeFailures`-th failure; it doubles with every further failure. */
  baseDelaySeconds: number;
  /** The longest wait, however many failures. */
  maxDelaySeconds: number;
  /** Consecutive failures after which the authenticator is disabled until the owner recovers it; 0 = never. */
  disableAfterFailures: number;
}

/** Seconds to wait before the next attempt after `failures` failures: 0, then base, 2 x base, 4 x base, ... up to max. */
export function delayAfterFailures(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures || policy.baseDelaySeconds === 0) return 0;
  const doublings = failures - policy.freeFailures;
  // 2^31 seconds is far beyond any configured maximum: stop doubling before the number loses meaning.
  if (doublings >= 31) return policy.maxDelaySeconds;
  return Math.min(policy.baseDelaySeconds * 2 ** doublings, policy.maxDelaySeconds);
}

/** NIST SP 800-63B 5.2.2: the authenticator is disabled once this many consecutive failures were counted. */
export function disabledAfter(failures: number, policy: ThrottlePolicy): boolean {
  return policy.disableAfterFailures > 0 && failures >= policy.disableAfterFailures;
}

/** What a throttle says before an attempt. */
export type ThrottleVerdict =
  | { kind: 'allowed' }
  /** Answer "try again in N seconds"; the attempt is not even looked at. */
  | { kind: 'wait'; retryAfterSeconds: number }
  /** Too many consecutive failures: the authenticator works again only after the owner recovers it. */
  | { kind: 'disabled' };
