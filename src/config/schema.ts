import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { AssuranceLevel } from '../domain/levels.js';
import { DEFAULT_ELIGIBILITY_POLICY, type EligibilityPolicy } from '../domain/eligibility.js';
import { RegistriesConfig } from './registries-config.js';
import { NotificationsConfig } from './notifications-config.js';
import { BiometricsConfig } from './biometrics-config.js';
import { ConsentConfig, LimitsConfig } from './registration-config.js';
import { LevelsConfig, SignInConfig } from './signin-config.js';
import { Level2Config } from './level2-config.js';
import { AccountPagesConfig } from './account-pages-config.js';
import { LifecycleConfig } from './lifecycle-config.js';
import { ApiConfig } from './api-config.js';
import { RedisConfig } from './redis-config.js';

export { RedisConfig };

/** Every key below can be set in config/*.json; the environment overrides a few (see loader.ts and the README). */

export const ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const urlOptions = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class TtlConfig {
  @IsInt() @Min(60) @Max(86_400) accessTokenSeconds = 600;
  @IsInt() @Min(60) @Max(86_400) idTokenSeconds = 600;
  @IsInt() @Min(60) @Max(600) authorizationCodeSeconds = 60;
  @IsInt() @Min(300) @Max(60 * 86_400) refreshTokenSeconds = 14 * 86_400;
  @IsInt() @Min(300) @Max(30 * 86_400) sessionSeconds = 86_400;
  @IsInt() @Min(60) @Max(7_200) interactionSeconds = 1_800;
  @IsInt() @Min(300) @Max(365 * 86_400) grantSeconds = 14 * 86_400;
  @IsInt() @Min(60) @Max(3_600) pushedAuthorizationRequestSeconds = 300;
  @IsInt() @Min(60) @Max(86_400) clientCredentialsSeconds = 600;
}

export class PasswordHashConfig {
  /** argon2id memory in KiB; OWASP minimum 19456 (19 MiB). */
  @IsInt() @Min(19_456) @Max(1_048_576) memoryCostKiB = 19_456;
  @IsInt() @Min(2) @Max(10) timeCost = 2;
  @IsInt() @Min(1) @Max(8) parallelism = 1;
}

export class KeysConfig {
  /** Algorithms of the signing keys the provider keeps; the first signs ID tokens unless a client asks otherwise. */
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(['ES256', 'RS256', 'PS256', 'EdDSA'], { each: true })
  signingAlgorithms: string[] = ['ES256', 'RS256'];

  /**
   * Secrets that sign cookies, newest first (rotation: prepend a new one, drop the oldest later). Set through
   * COOKIE_KEYS (comma separated) or COOKIE_KEYS_FILE. Development generates and persists one when empty.
   */
  @IsArray()
  @IsString({ each: true })
  @MinLength(32, { each: true })
  cookieKeys: string[] = [];
}

export class AcrConfig {
  /** Ordered names of assurance levels 1 and 2 (Decision 34 Art 5). */
  @IsArray()
  @ArrayMinSize(2)
  @IsString({ each: true })
  values: string[] = ['urn:vn:eid:loa:1', 'urn:vn:eid:loa:2'];
}

/** Who may register (Decision 34 Art 6; draft 2025 for foreigners); defaults in domain/eligibility.ts. */
export class EligibilityConfig implements EligibilityPolicy {
  /** Decision 34 Art 6.1. */
  @IsInt() @Min(1) @Max(25) selfRegistrationMinAge = DEFAULT_ELIGIBILITY_POLICY.selfRegistrationMinAge;
  @IsInt() @Min(0) @Max(25) foreignerMinAge = DEFAULT_ELIGIBILITY_POLICY.foreignerMinAge;
  @IsInt() @Min(1) @Max(3_650) foreignerMinLegalResidenceDays = DEFAULT_ELIGIBILITY_POLICY.foreignerMinLegalResidenceDays;
  @IsArray() @IsString({ each: true }) longTermVisaKinds: string[] = [...DEFAULT_ELIGIBILITY_POLICY.longTermVisaKinds];
  @IsIn([1, 2]) representativeMinLevel: AssuranceLevel = DEFAULT_ELIGIBILITY_POLICY.representativeMinLevel;
  @IsIn([1, 2]) dependantMaxLevel: AssuranceLevel = DEFAULT_ELIGIBILITY_POLICY.dependantMaxLevel;
}

export class AppConfig {
  @IsIn(ENVIRONMENTS)
  env: Environment = 'development';

  @IsInt()
  @Min(0)
  @Max(65_535)
  port = 3000;

  /** Public base URL; the discovery document lives at <issuer>/.well-known/openid-configuration. */
  @IsUrl(urlOptions)
  issuer = 'http://localhost:3000';

  /** Trust X-Forwarded-* from the reverse proxy that terminates TLS. */
  @IsBoolean()
  trustProxy = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  logLevel = 'info';

  @IsIn(['vi', 'en'])
  defaultLocale: 'vi' | 'en' = 'vi';

  /** JSON file declaring the relying parties (see config/clients.example.json). */
  @IsString()
  clientsFile = 'config/clients.development.json';

  /** The demo relying party at /demo; refused in production. */
  @IsBoolean()
  demoEnabled = true;

  /** How long in-flight requests may take to finish after SIGTERM. */
  @IsInt()
  @Min(0)
  @Max(120_000)
  drainTimeoutMs = 10_000;

  /** When set, GET /metrics requires `Authorization: Bearer <token>` (METRICS_TOKEN or METRICS_TOKEN_FILE). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  metricsToken?: string;

  @ValidateNested() @Type(() => RedisConfig) redis: RedisConfig = new RedisConfig();
  @ValidateNested() @Type(() => TtlConfig) ttl: TtlConfig = new TtlConfig();
  @ValidateNested() @Type(() => PasswordHashConfig) passwordHash: PasswordHashConfig = new PasswordHashConfig();
  @ValidateNested() @Type(() => KeysConfig) keys: KeysConfig = new KeysConfig();
  @ValidateNested() @Type(() => AcrConfig) acr: AcrConfig = new AcrConfig();
  @ValidateNested() @Type(() => EligibilityConfig) eligibility: EligibilityConfig = new EligibilityConfig();
  @ValidateNested() @Type(() => RegistriesConfig) registries: RegistriesConfig = new RegistriesConfig();
  @ValidateNested() @Type(() => NotificationsConfig) notifications: NotificationsConfig = new NotificationsConfig();
  /** Level-2 remote portrait check (Decision 34 Art 5.1.b); docs/biometrics.md. */
  @ValidateNested() @Type(() => BiometricsConfig) biometrics: BiometricsConfig = new BiometricsConfig();
  /** Registration and activation thresholds (Decision 34 Art 6, 7); docs/configuration.md. */
  @ValidateNested() @Type(() => LimitsConfig) limits: LimitsConfig = new LimitsConfig();
  @ValidateNested() @Type(() => ConsentConfig) consent: ConsentConfig = new ConsentConfig();
  /** Levels in the protocol (Decision 34 Art 5): how long a level-2 sign-in is reused; docs/configuration.md. */
  @ValidateNested() @Type(() => LevelsConfig) levels: LevelsConfig = new LevelsConfig();
  /** Sign-in: failure throttling (NIST SP 800-63B), second-factor codes and TOTP; docs/configuration.md. */
  @ValidateNested() @Type(() => SignInConfig) signIn: SignInConfig = new SignInConfig();
  /** The upgrade to level 2: remote portrait match and in-person record (Decision 34 Art 5.1.b); docs/level2.md. */
  @ValidateNested() @Type(() => Level2Config) level2: Level2Config = new Level2Config();

  /**
   * Secret (32+ characters) from which pairwise subject identifiers are derived for clients registered with
   * `subject_type: pairwise` (PAIRWISE_SALT or PAIRWISE_SALT_FILE). Required in production when any client is pairwise;
   * development derives one from the cookie keys. Changing it changes every pairwise `sub`.
   */
  @IsOptional() @IsString() @MinLength(32) pairwiseSalt?: string;
  /** The owner's account pages (Decision 34 Art 12.1.dd); docs/configuration.md. */
  @ValidateNested() @Type(() => AccountPagesConfig) accountPages: AccountPagesConfig = new AccountPagesConfig();
  /** Locks, registry sync and the audit trail (Decision 34 Art 9-13); docs/configuration.md, docs/api.md. */
  @ValidateNested() @Type(() => LifecycleConfig) lifecycle: LifecycleConfig = new LifecycleConfig();
  @ValidateNested() @Type(() => ApiConfig) api: ApiConfig = new ApiConfig();
}

/** Keys whose values never appear in an error message. */
export const SECRET_CONFIG_PATHS = [
  'keys.cookieKeys',
  'redis.url',
  'redis.password',
  'redis.sentinelPassword',
  'metricsToken',
  'registries.apiKey',
  'notifications.smtp.password',
  'notifications.sms.apiKey',
  'biometrics.abis.apiKey',
  'pairwiseSalt',
  'lifecycle.registryEvents.hmacKeys',
];
