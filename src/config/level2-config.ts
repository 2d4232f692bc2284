import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/** A sliding window: at most `points` per key in any `windowSeconds` (storage/attempt-window.ts). */
export class AttemptWindowConfig {
  @IsInt() @Min(1) @Max(1_000) points!: number;
  @IsInt() @Min(60) @Max(30 * 86_400) windowSeconds!: number;
}

const window = (points: number, windowSeconds: number): AttemptWindowConfig =>
  Object.assign(new AttemptWindowConfig(), { points, windowSeconds });

const SIX_HOURS = 6 * 3_600;

/**
 * The upgrade to level 2 (Decision 34 Art 5.1.b): the remote portrait match and the in-person record. Read by
 * flows/level2 and the level-2 pages; documented key by key in docs/configuration.md.
 */
export class Level2Config {
  /** Portrait comparisons per account (matched or not), in any rolling window: 5 per 6 hours. */
  @ValidateNested() @Type(() => AttemptWindowConfig) attempts = window(5, SIX_HOURS);
  /**
   * Photos refused before any comparison (no face, several faces, poor quality) per account: they do not use up
   * `attempts`, since they tell nothing about a match, but each still costs a worker's time.
   */
  @ValidateNested() @Type(() => AttemptWindowConfig) photoRejections = window(20, SIX_HOURS);
  /** Version of the consent text shown before the photo (views/locales level2.consent.*); recorded with the consent. */
  @IsString() @Matches(/^[\w.:-]{1,40}$/) consentVersion = '2026-01';
  /** How long a recorded consent covers comparisons; after that the person is asked again. */
  @IsInt() @Min(60) @Max(86_400) consentMaxAgeSeconds = 3_600;
  /** Largest photo accepted by the upload (bytes); a larger one is refused with 413 before it reaches the matcher. */
  @IsInt() @Min(256 * 1024) @Max(20 * 1024 * 1024) uploadMaxBytes = 5 * 1024 * 1024;
  /** In person: how old an officer's verification may be when it is recorded through the agency API. */
  @IsInt() @Min(1) @Max(365) inPersonMaxAgeDays = 30;
}
