import type { ThrottleVerdict } from '../../domain/failure-throttle.js';

/**
 * The answers of a sign-in step (password, phone code, TOTP), shared so every page says the same things the same way.
 *   wait           throttled: "try again in N seconds" (`retryAfterSeconds`); the attempt was not even looked at.
 *   disabled       NIST SP 800-63B 5.2.2: too many consecutive failures; the authenticator is off until recovered.
 *   code_invalid   wrong code (a replayed TOTP code too); `retryAfterSeconds` when the next try has to wait.
 *   code_expired   no usable phone code (expired, used up by wrong tries, never sent): send a new one.
 *   not_enrolled   no TOTP app for this account (removed meanwhile).
 */
export type FactorRefusal = 'wait' | 'disabled' | 'code_invalid' | 'code_expired' | 'not_enrolled';

/** A Result whose refusal may carry how long to wait (`Retry-After`). */
export type Attempt<T, E extends string> = { ok: true; value: T } | { ok: false; error: E; retryAfterSeconds?: number };

export const refused = <E extends string>(error: E, retryAfterSeconds?: number): { ok: false; error: E; retryAfterSeconds?: number } =>
  retryAfterSeconds === undefined ? { ok: false, error } : { ok: false, error, retryAfterSeconds };

/** The stricter of the account's and the IP's throttles, before an attempt; undefined = go ahead. */
export function throttleRefusal(...verdicts: ThrottleVerdict[]): { error: 'wait' | 'disabled'; retryAfterSeconds?: number } | undefined {
  if (verdicts.some((verdict) => verdict.kind === 'disabled')) return { error: 'disabled' };
  const waits = verdicts.flatMap((verdict) => (verdict.kind === 'wait' ? [verdict.retryAfterSeconds] : []));
  return waits.length > 0 ? { error: 'wait', retryAfterSeconds: Math.max(...waits) } : undefined;
}

/** How long the next attempt must wait after a failure was counted (the longer of the two throttles), if at all. */
export function waitAfter(...verdicts: ThrottleVerdict[]): number | undefined {
  const waits = verdicts.flatMap((verdict) => (verdict.kind === 'wait' ? [verdict.retryAfterSeconds] : []));
  return waits.length > 0 ? Math.max(...waits) : undefined;
}

const DIGITS_ONLY = /^\d+$/;

/** A code as typed, without the spaces people add when copying ("123 456"); undefined when it cannot be a code. */
export function normaliseTypedCode(typed: unknown, digits: number): string | undefined {
  if (typeof typed !== 'string') return undefined;
  const code = typed.replace(/\s+/g, '');
  return code.length === digits && DIGITS_ONLY.test(code) ? code : undefined;
}
