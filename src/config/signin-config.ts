import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DEFAULT_OTP_POLICY } from '../domain/otp-policy.js';
import { RateLimitConfig } from './registration-config.js';

/**
 * Levels in the protocol and sign-in (Decision 34 Art 5; NIST SP 800-63B for the throttling), documented key by key
 * in docs/configuration.md.
 */

const DAY_SECONDS = 86_400;
const SECONDS = 1000;

/** How sessions vouch for a level. */
export class LevelsConfig {
  /**
   * A level-2 sign-in is reused from the session for this long; after it the session counts as level 1 until the
   * second factor is given again (issue policy: level-2 sessions age).
   */
  @IsInt() @Min(60) @Max(DAY_SECONDS) levelTwoWindowSeconds = 900;
}

/** One failure throttle (domain/failure-throttle.ts, storage/failure-throttle.ts). */
export class FailureThrottleConfig {
  /** Failures answered without any wait. */
  @IsInt() @Min(1) @Max(1_000) freeFailures!: number;
  /** The first wait; it doubles with each further failure. */
  @IsInt() @Min(0) @Max(DAY_SECONDS) baseDelaySeconds!: number;
  @IsInt() @Min(0) @Max(DAY_SECONDS) maxDelaySeconds!: number;
  /** Consecutive failures that disable the authenticator until the owner recovers it; 0 = never (per-IP counting). */
  @IsInt() @Min(0) @Max(100) disableAfterFailures!: number;
  /** How long an uncleared failure stays counted. */
  @IsInt() @Min(60) @Max(365 * DAY_SECONDS) windowSeconds!: number;
}

const throttle = (values: FailureThrottleConfig): FailureThrottleConfig =>
  Object.assign(new FailureThrottleConfig(), values);

const limit = (points: number, windowSeconds: number, blockSeconds = 0): RateLimitConfig =>
  Object.assign(new RateLimitConfig(), { points, windowSeconds, blockSeconds });

/** The one-time code sent to the registered phone as a second factor. */
export class SignInCodeConfig {
  @IsInt() @Min(60) @Max(900) ttlSeconds = DEFAULT_OTP_POLICY.codeTtlMs / SECONDS;
  /** Wrong tries one code survives; then a new one must be sent (the failures stay counted). */
  @IsInt() @Min(1) @Max(10) attemptsPerCode = DEFAULT_OTP_POLICY.maxAttemptsPerCode;
  /** Codes that may be sent after the first one, per account, in any rolling hour. */
  @IsInt() @Min(0) @Max(20) resendsPerHour = DEFAULT_OTP_POLICY.maxResendsPerHour;
  @IsInt() @Min(0) @Max(3_600) resendIntervalSeconds = DEFAULT_OTP_POLICY.minSendIntervalMs / SECONDS;
  /** Sign-in codes sent to one phone number, whatever the account (protects the recipient and the gateway). */
  @ValidateNested() @Type(() => RateLimitConfig) sendsPerPhone = limit(10, 3_600);
}

/** TOTP authenticator apps (RFC 6238: SHA-1, 6 digits, 30-second steps, what every authenticator app reads). */
export class TotpConfig {
  /** The issuer name the authenticator app shows next to the code. */
  @IsString() @Matches(/^[^:]{1,40}$/) issuer = 'VNeID';
  /** How long a secret shown on the enrolment page waits for its first code. */
  @IsInt() @Min(60) @Max(3_600) enrolmentSeconds = 600;
  /** Steps of clock drift accepted either side (RFC 6238 section 5.2 recommends at most one). */
  @IsInt() @Min(0) @Max(2) driftSteps = 1;
}

export class SignInConfig {
  /** Wrong passwords per login name (unknown names too, so they answer alike); NIST SP 800-63B 5.2.2. */
  @ValidateNested() @Type(() => FailureThrottleConfig) passwordFailures = throttle({
    freeFailures: 5,
    baseDelaySeconds: 30,
    maxDelaySeconds: 3_600,
    disableAfterFailures: 100,
    windowSeconds: 30 * DAY_SECONDS,
  });
  /**
   * Failed sign-ins (passwords and second factors) per client IP, never cleared by a success: otherwise signing in to
   * one's own account between guesses would reset it. Mobile carriers put many people behind one address: generous.
   */
  @ValidateNested() @Type(() => FailureThrottleConfig) ipFailures = throttle({
    freeFailures: 20,
    baseDelaySeconds: 5,
    maxDelaySeconds: 900,
    disableAfterFailures: 0,
    windowSeconds: 3_600,
  });
  /** Wrong second-factor codes per account, counted separately for phone codes and for the TOTP app. */
  @ValidateNested() @Type(() => FailureThrottleConfig) secondFactorFailures = throttle({
    freeFailures: 5,
    baseDelaySeconds: 30,
    maxDelaySeconds: 3_600,
    disableAfterFailures: 100,
    windowSeconds: 30 * DAY_SECONDS,
  });
  @ValidateNested() @Type(() => SignInCodeConfig) code: SignInCodeConfig = new SignInCodeConfig();
  @ValidateNested() @Type(() => TotpConfig) totp: TotpConfig = new TotpConfig();
}
