import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';

/**
 * The account lifecycle (Decision 34 Art 9-13): the audit trail's retention, the registry events pushed to the API and
 * the reconciliation pass. Documented key by key in docs/configuration.md; the API itself in docs/api.md.
 */

export class AuditConfig {
  /**
   * Days an audit event is kept in Redis (trimmed by age on every append). Later rules keep the usage history of an
   * electronic identity 5 years (1826 days); docs/audit.md weighs that against Redis memory and the NDJSON export.
   */
  @IsInt() @Min(1) @Max(3_660) retentionDays = 1_826;
}

export class RegistryEventsConfig {
  /**
   * HMAC-SHA256 keys the registries sign pushed events with (docs/api.md "Registry events"), 32+ characters each.
   * Any of them verifies, so a key is rotated by adding the new one, switching the registry over, then removing the
   * old one. REGISTRY_EVENT_HMAC_KEYS (comma separated) or REGISTRY_EVENT_HMAC_KEYS_FILE. Empty: every pushed event is
   * refused (production refuses to start without one).
   */
  @IsArray() @IsString({ each: true }) @MinLength(32, { each: true }) hmacKeys: string[] = [];

  /** How far the signature's timestamp may be from our clock, in either direction (replays outside it are refused). */
  @IsInt() @Min(30) @Max(3_600) signatureToleranceSeconds = 300;

  /** How long a processed event id is remembered, so that a redelivery within this time is applied once. */
  @IsInt() @Min(1) @Max(365) processedEventRetentionDays = 30;
}

export class ReconciliationConfig {
  /** Run the periodic pass that catches missed registry events (one instance at a time, through a Redis lease). */
  @IsBoolean() enabled = true;

  /** Minutes between passes. */
  @IsInt() @Min(1) @Max(7 * 1_440) intervalMinutes = 60;

  /** Accounts compared with the registry per pass (one registry lookup each); the next pass continues after them. */
  @IsInt() @Min(1) @Max(100_000) accountsPerPass = 500;
}

export class LifecycleConfig {
  @ValidateNested() @Type(() => AuditConfig) audit: AuditConfig = new AuditConfig();
  @ValidateNested() @Type(() => RegistryEventsConfig) registryEvents: RegistryEventsConfig = new RegistryEventsConfig();
  @ValidateNested() @Type(() => ReconciliationConfig) reconciliation: ReconciliationConfig = new ReconciliationConfig();
}

/** Rules across keys; production must be able to verify the registries' events. */
export function lifecycleProblems(config: LifecycleConfig, environment: string): string[] {
  if (environment === 'production' && config.registryEvents.hmacKeys.length === 0) {
    return ['lifecycle.registryEvents.hmacKeys: required in production (set REGISTRY_EVENT_HMAC_KEYS)'];
  }
  return [];
}
