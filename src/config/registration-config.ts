import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DEFAULT_OTP_POLICY } from '../domain/otp-policy.js';

/** One limit shared by every instance (storage/rate-limiter.ts): `points` attempts per key per window. */
export class RateLimitConfig {
  @IsInt() @Min(1) @Max(1_000_000) points!: number;
  @IsInt() @Min(1) @Max(30 * 86_400) windowSeconds!: number;
  /** Once exceeded, refused for this long instead of until the window ends; 0 = until the window ends. */
  @IsInt() @Min(0) @Max(30 * 86_400) blockSeconds = 0;
}

const rule = (points: number, windowSeconds: number, blockSeconds = 0): RateLimitConfig =>
  Object.assign(new RateLimitConfig(), { points, windowSeconds, blockSeconds });

const SECONDS = 1000;

/**
 * Thresholds of registration and activation (Decision 34 Art 6, 7 and later rules), documented key by key in
 * docs/configuration.md.
 */
export class LimitsConfig {
  /** Registry matching attempts per identification number (or passport + nationality), across every instance. */
  @ValidateNested() @Type(() => RateLimitConfig) registryMatchesPerIdentity = rule(5, 86_400, 86_400);
  /** Registry matching attempts per client IP (mobile carriers put many people behind one address: keep it generous). */
  @ValidateNested() @Type(() => RateLimitConfig) registryMatchesPerIp = rule(60, 3_600, 3_600);
  /** Activation codes sent to one phone number or email address, whatever the registration. */
  @ValidateNested() @Type(() => RateLimitConfig) codeSendsPerContact = rule(6, 3_600);
  /** Wrong activation codes per identity (login name), across its registrations. */
  @ValidateNested() @Type(() => RateLimitConfig) wrongCodesPerAccount = rule(20, 86_400, 86_400);

  /** How long an activation code works. */
  @IsInt() @Min(60) @Max(3_600) codeTtlSeconds = DEFAULT_OTP_POLICY.codeTtlMs / SECONDS;
  /** Wrong tries one code survives before a new one must be sent. */
  @IsInt() @Min(1) @Max(10) codeAttemptsPerCode = DEFAULT_OTP_POLICY.maxAttemptsPerCode;
  /** Wrong tries one registration survives in total (new codes never reset the count); then it is locked. */
  @IsInt() @Min(1) @Max(100) codeFailuresPerRegistration = DEFAULT_OTP_POLICY.maxFailuresPerRegistration;
  /** Codes that may be sent after the first one, per registration, in any rolling hour. */
  @IsInt() @Min(0) @Max(20) codeResendsPerHour = DEFAULT_OTP_POLICY.maxResendsPerHour;
  /** Minimum time between two codes for one registration. */
  @IsInt() @Min(0) @Max(3_600) codeResendIntervalSeconds = DEFAULT_OTP_POLICY.minSendIntervalMs / SECONDS;
  /** Later rules: an account not activated within this many days disappears, with its registration. */
  @IsInt() @Min(1) @Max(90) pendingActivationDays = 7;
  /** Time to choose a password once the code was accepted; after it a new code is needed. */
  @IsInt() @Min(60) @Max(86_400) passwordStepSeconds = 1_800;
  /**
   * A registration still pending activation may be replaced by a new registration of the same identity (whose data
   * matched the registry again) once it is this old: a typo in the phone number does not lock the person out for
   * `pendingActivationDays`, while concurrent registrations still cannot replace one another.
   */
  @IsInt() @Min(60) @Max(90 * 86_400) pendingReplaceableAfterSeconds = 3_600;
}

/** The versions of the texts the registrant agrees to; recorded with each account (ConsentRecord). */
export class ConsentConfig {
  /** Version of the terms of use shown on the registration page. */
  @IsString() @Matches(/^[\w.:-]{1,40}$/) termsVersion = '2026-01';
  /** Version of the notice on the processing of personal data shown on the registration page. */
  @IsString() @Matches(/^[\w.:-]{1,40}$/) dataProcessingVersion = '2026-01';
}
