import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { RateLimitConfig } from './registration-config.js';

const rule = (points: number, windowSeconds: number, blockSeconds = 0): RateLimitConfig =>
  Object.assign(new RateLimitConfig(), { points, windowSeconds, blockSeconds });

/**
 * The owner's account pages (Decision 34 Art 12.1.dd): how fresh a sign-in must be for a sensitive change, the limits
 * of the one-time-code steps (codes themselves follow `limits.code*`), and where coarse sign-in locations come from.
 */
export class AccountPagesConfig {
  /**
   * A password, phone or email change asks the person to sign in again when their sign-in is older than this
   * (minutes). The password change also asks for the current password whatever the age.
   */
  @IsInt() @Min(1) @Max(1_440) reauthenticateAfterMinutes = 15;
  /** How long a phone/email change or an unlock request stays open once its code was sent (minutes). */
  @IsInt() @Min(5) @Max(1_440) codeStepMinutes = 30;
  /** Wrong passwords (password change, unlock request) per account, across every instance. */
  @ValidateNested() @Type(() => RateLimitConfig) wrongPasswordsPerAccount = rule(10, 3_600, 3_600);
  /** Unlock requests and phone/email changes started per client IP. */
  @ValidateNested() @Type(() => RateLimitConfig) codeStepsPerIp = rule(30, 3_600, 3_600);
  /** Wrong one-time codes per account, across its unlock requests and contact changes. */
  @ValidateNested() @Type(() => RateLimitConfig) wrongCodesPerAccount = rule(20, 86_400, 86_400);
  /**
   * Signed-in changes per account (password and contact attempts, consent withdrawals). Never applied to "lock my
   * account": an owner in trouble must always be able to lock.
   */
  @ValidateNested() @Type(() => RateLimitConfig) changesPerAccount = rule(30, 3_600, 0);
  /** Sign-ins listed on the account page. */
  @IsInt() @Min(1) @Max(100) recentSignIns = 10;
  /**
   * APNIC's delegated statistics (`delegated-apnic-latest` or `-extended-latest`, fetched by the operator, never at
   * run time), from which a sign-in's IP address is shown as "Vietnam" or "outside Vietnam": every Vietnamese address
   * block is delegated through APNIC (VNNIC). Without it public addresses are shown as "Internet"; private and
   * loopback addresses are recognised in every case.
   */
  @IsOptional() @IsString() @MinLength(1) ipCountryFile?: string;
}
