import type { Clock } from './clock.js';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/** Handed out by tryAcquire; says whether the call is the half-open probe. */
export interface CallPermit {
  readonly probe: boolean;
}

/**
 * Stops asking a dependency that keeps failing (an agency registry, the SMS gateway, the SMTP relay), so that requests
 * fail fast with "try again later" instead of each waiting for its own timeouts, and the dependency gets room to
 * recover.
 *
 * closed --(failureThreshold consecutive failures)--> open --(openMs elapsed)--> half_open: one probe call passes;
 * its success closes the circuit, its failure opens it for another openMs. Other calls are refused meanwhile.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private probeInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError('failureThreshold must be a positive integer');
    }
    if (!(options.openMs >= 0)) throw new RangeError('openMs must be zero or more');
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.clock.now() - this.openedAt >= this.options.openMs ? 'half_open' : 'open';
  }

  /**
   * Whether a call may go out now: null = refused; otherwise a permit whose outcome must be reported. In half_open
   * only one permit (the probe) is handed out until its outcome is known.
   */
  tryAcquire(): CallPermit | null {
    const state = this.state;
    if (state === 'closed') return { probe: false };
    if (state === 'open' || this.probeInFlight) return null;
    this.probeInFlight = true;
    return { probe: true };
  }

  recordSuccess(permit: CallPermit): void {
    if (permit.probe) this.probeInFlight = false;
    this.consecutiveFailures = 0;
    this.openedAt = null;
  }

  recordFailure(permit: CallPermit): void {
    if (permit.probe) {
      // The dependency is still down: wait another full period before the next probe.
      this.probeInFlight = false;
      this.openedAt = this.clock.now();
      return;
    }
    if (this.openedAt !== null) return; // a call that started before the circuit opened
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.options.failureThreshold) this.openedAt = this.clock.now();
  }

  /** Runs `call` unless the circuit refuses it; `isFailure` decides which outcomes count against the dependency. */
  async run<T>(
    call: () => Promise<T>,
    isFailure: (outcome: T) => boolean,
  ): Promise<{ refused: true } | { refused: false; outcome: T }> {
    const permit = this.tryAcquire();
    if (!permit) return { refused: true };
    let outcome: T;
    try {
      outcome = await call();
    } catch (error) {
      this.recordFailure(permit);
      throw error;
    }
    if (isFailure(outcome)) this.recordFailure(permit);
    else this.recordSuccess(permit);
    return { refused: false, outcome };
  }
}
