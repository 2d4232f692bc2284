import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/**
 * The level-2 remote portrait check (Decision 34 Art 5.1.b); see docs/biometrics.md. Read by
 * src/biometrics/create-biometric-verifier.ts; every key is documented in docs/configuration.md.
 */

export const BIOMETRIC_MODES = ['local', 'http'] as const;
export type BiometricMode = (typeof BIOMETRIC_MODES)[number];

/** One worker per core left over after the event loop's, at most 4; 1 on a 2-core machine. */
export const defaultFacePoolSize = (): number => Math.max(1, Math.min(4, availableParallelism() - 1));

/** The external biometric identification service (ABIS) of `http` mode; wire format in docs/biometrics.md. */
export class AbisConfig {
  /** Base URL; `/v1/portraits/verify` is appended. Required in `http` mode, https in production. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) url?: string;

  /** Sent as `X-Api-Key`. `http` mode needs it or mutual TLS. */
  @IsOptional() @IsString() @MinLength(16) apiKey?: string;

  /** PEM files for mutual TLS with the ABIS (both or neither), and the CA of its certificate when not a public one. */
  @IsOptional() @IsString() @MinLength(1) clientCertificateFile?: string;
  @IsOptional() @IsString() @MinLength(1) clientKeyFile?: string;
  @IsOptional() @IsString() @MinLength(1) caCertificateFile?: string;
}

export class BiometricsConfig {
  /** `local`: face matcher in worker threads on this machine; `http`: the external ABIS decides. */
  @IsIn(BIOMETRIC_MODES) mode: BiometricMode = 'local';

  /**
   * `local` mode: cosine similarity of the two face descriptors at or above which the faces match. Higher refuses more
   * impostors and more genuine people; the figures behind 0.55 are in docs/biometrics.md.
   */
  @IsNumber() @Min(0.3) @Max(0.95) threshold = 0.55;

  /** `local` mode: face worker threads; each holds its own copy of the models. */
  @IsInt() @Min(1) @Max(16) poolSize = defaultFacePoolSize();

  /** Longest one comparison may take, from the request to the answer (queueing and the ABIS call included). */
  @IsInt() @Min(1000) @Max(120_000) timeoutMs = 10_000;

  /** `local` mode: comparisons waiting for a free worker beyond which new ones are refused ("try again later"). */
  @IsInt() @Min(1) @Max(1000) maxQueued = 8;

  /**
   * `local` mode, development only: the registry's portraits as `<portraitRef>.jpg|.jpeg|.png` files in this directory
   * (the registry API has no portrait endpoint yet). Refused in production.
   */
  @IsString() @MinLength(1) portraitsDirectory = 'var/portraits';

  @ValidateNested() @Type(() => AbisConfig) abis: AbisConfig = new AbisConfig();
}

/** Rules across the keys above; the loader adds them to its own (ARCHITECTURE convention 10). */
export function biometricsProblems(config: BiometricsConfig, environment: string): string[] {
  const problems: string[] = [];
  const production = environment === 'production';
  if (config.mode === 'local' && production) {
    // The only portrait source is the development file store: production compares through the ABIS.
    problems.push('biometrics.mode: local reads portraits from files, refused in production (use http)');
  }
  if (config.mode !== 'http') return problems;
  const { abis } = config;
  if (!abis.url) problems.push('biometrics.abis.url: required in http mode');
  else if (production && !abis.url.startsWith('https://')) {
    problems.push('biometrics.abis.url: must be https in production');
  }
  const mutualTls = [abis.clientCertificateFile, abis.clientKeyFile].filter(Boolean).length;
  if (mutualTls === 1) {
    problems.push('biometrics.abis.clientCertificateFile, biometrics.abis.clientKeyFile: give both or neither');
  }
  if (!abis.apiKey && mutualTls === 0) problems.push('biometrics.abis: http mode needs apiKey or mutual TLS');
  if ((mutualTls > 0 || abis.caCertificateFile) && abis.url && !abis.url.startsWith('https://')) {
    problems.push('biometrics.abis.url: TLS settings need an https URL');
  }
  return problems;
}
