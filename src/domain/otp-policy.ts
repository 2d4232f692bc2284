/**
 * Rules of the one-time activation code (Decision 34 Art 7.1: the system sends an activation request to the registered
 * phone number or email and the registrant activates as instructed). Pure: the current time comes in as `now`, the
 * code itself is drawn and hashed by the flow. Every threshold is configuration (`limits.*`).
 */
export interface OtpPolicy {
  /** Number of decimal digits of a code. */
  codeDigits: number;
  /** How long a code works after it was sent. */
  codeTtlMs: number;
  /** Wrong tries one code survives; then it is used up and a new one must be sent. */
  maxAttemptsPerCode: number;
  /** Wrong tries one registration survives in total, across all its codes; then it is locked. */
  maxFailuresPerRegistration: number;
  /** Codes that may be sent after the first one, in any rolling hour. */
  maxResendsPerHour: number;
  /** Minimum time between two codes sent for one registration. */
  minSendIntervalMs: number;
}

export const DEFAULT_OTP_POLICY: OtpPolicy = {
  codeDigits: 6,
  codeTtlMs: 5 * 60_000,
  maxAttemptsPerCode: 5,
  maxFailuresPerRegistration: 10,
  maxResendsPerHour: 3,
  minSendIntervalMs: 60_000,
};

const HOUR_MS = 3_600_000;

/** The code-related part of a registration: what these rules read and change. */
export interface CodeState {
  /** Keyed hash of the current code (never the code); absent when none was ever delivered or it was used up. */
  codeHash?: string;
  codeExpiresAt?: number;
  /** Wrong tries against the current code. */
  codeAttempts: number;
  /** Wrong tries against every code of this registration; a new code never resets it. */
  codeFailures: number;
  /** When each code was sent (epoch ms), oldest first; sends that failed are not recorded. */
  sends: number[];
}

export type SendRefusal = 'resend_too_soon' | 'send_limit_reached';

/** Whether a code works at `now`: it exists, has not expired and has tries left. */
export function codeUsable(state: CodeState, policy: OtpPolicy, now: number): boolean {
  return (
    state.codeHash !== undefined &&
    state.codeExpiresAt !== undefined &&
    now < state.codeExpiresAt &&
    state.codeAttempts < policy.maxAttemptsPerCode
  );
}

export function attemptsRemaining(state: CodeState, policy: OtpPolicy, now: number): number {
  if (!codeUsable(state, policy, now)) return 0;
  const leftOnCode = policy.maxAttemptsPerCode - state.codeAttempts;
  const leftOnRegistration = policy.maxFailuresPerRegistration - state.codeFailures;
  return Math.max(0, Math.min(leftOnCode, leftOnRegistration));
}

/** Whether the registration has had too many wrong codes to continue. */
export const registrationExhausted = (state: CodeState, policy: OtpPolicy): boolean =>
  state.codeFailures >= policy.maxFailuresPerRegistration;

/**
 * The earliest time another code may be sent: at least `minSendIntervalMs` after the last one, and no more than
 * 1 + `maxResendsPerHour` codes in any rolling hour (the first code and the resends).
 */
export function nextSendAt(state: CodeState, policy: OtpPolicy, now: number): number {
  const last = state.sends[state.sends.length - 1];
  let earliest = last === undefined ? now : Math.max(now, last + policy.minSendIntervalMs);
  const inLastHour = state.sends.filter((sentAt) => sentAt > now - HOUR_MS);
  const allowed = 1 + policy.maxResendsPerHour;
  if (inLastHour.length >= allowed) {
    // The send that has to leave the window before another one fits.
    const blocking = inLastHour[inLastHour.length - allowed] ?? now;
    earliest = Math.max(earliest, blocking + HOUR_MS);
  }
  return earliest;
}

/** Decision 34 Art 7.1 + later rules on abuse: whether a code may be sent now, and if not, why. */
export function checkSend(state: CodeState, policy: OtpPolicy, now: number): SendRefusal | undefined {
  if (nextSendAt(state, policy, now) <= now) return undefined;
  const last = state.sends[state.sends.length - 1];
  return last !== undefined && now < last + policy.minSendIntervalMs ? 'resend_too_soon' : 'send_limit_reached';
}

/** The state after a new code was sent: it replaces the previous code and has all its tries; failures stay counted. */
export function withNewCode(state: CodeState, codeHash: string, policy: OtpPolicy, now: number): CodeState {
  return {
    ...state,
    codeHash,
    codeExpiresAt: now + policy.codeTtlMs,
    codeAttempts: 0,
    sends: [...state.sends.filter((sentAt) => sentAt > now - HOUR_MS), now],
  };
}

export type WrongCodeOutcome = 'code_invalid' | 'code_expired' | 'registration_locked';

/**
 * The state after a wrong code, and what to tell the registrant: `code_invalid` while the code has tries left,
 * `code_expired` once this code is used up (a new one must be sent), `registration_locked` once the registration has
 * had too many wrong codes in total.
 */
export function afterWrongCode(state: CodeState, policy: OtpPolicy): { state: CodeState; outcome: WrongCodeOutcome } {
  const next: CodeState = { ...state, codeAttempts: state.codeAttempts + 1, codeFailures: state.codeFailures + 1 };
  if (registrationExhausted(next, policy)) {
    return { state: { ...next, codeHash: undefined, codeExpiresAt: undefined }, outcome: 'registration_locked' };
  }
  if (next.codeAttempts >= policy.maxAttemptsPerCode) {
    return { state: { ...next, codeHash: undefined, codeExpiresAt: undefined }, outcome: 'code_expired' };
  }
  return { state: next, outcome: 'code_invalid' };
}
