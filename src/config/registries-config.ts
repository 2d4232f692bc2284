import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, ValidateNested } from 'class-validator';

/** One agency service (National Population Database or National Immigration Database); docs/registry/agency-api.md. */
export class AgencyEndpointConfig {
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  baseUrl!: string;

  /** Budget of one attempt, connect to last byte. */
  @IsInt() @Min(100) @Max(30_000) timeoutMs = 3000;
  /** Further attempts after a timeout, network error, 5xx or 429 (lookups are idempotent). */
  @IsInt() @Min(0) @Max(5) retries = 2;
  @IsInt() @Min(10) @Max(10_000) backoffBaseMs = 100;
  @IsInt() @Min(10) @Max(60_000) backoffMaxMs = 1000;
  /** Consecutive failures that open the circuit; while open, lookups fail at once as "registry unavailable". */
  @IsInt() @Min(1) @Max(1000) failureThreshold = 5;
  /** How long the circuit stays open before one probe is let through. */
  @IsInt() @Min(1000) @Max(600_000) openMs = 30_000;
}

export class RegistriesConfig {
  /** `file`: development dataset (refused in production); `http`: the agencies' services. */
  @IsIn(['file', 'http']) mode: 'file' | 'http' = 'file';

  /** NDJSON dataset for `file` mode; generated with synthetic people on first start in development when missing. */
  @IsString() filePath = 'var/registry/dev-registry.ndjson';

  @IsOptional() @ValidateNested() @Type(() => AgencyEndpointConfig) population?: AgencyEndpointConfig;
  @IsOptional() @ValidateNested() @Type(() => AgencyEndpointConfig) immigration?: AgencyEndpointConfig;

  /** Sent as X-Api-Key to both agencies (REGISTRY_API_KEY or REGISTRY_API_KEY_FILE). */
  @IsOptional() @IsString() @MinLength(16) apiKey?: string;
  /** PEM files for mutual TLS with the agencies, and the CA of their server certificates when it is not public. */
  @IsOptional() @IsString() clientCertificateFile?: string;
  @IsOptional() @IsString() clientKeyFile?: string;
  @IsOptional() @IsString() caCertificateFile?: string;
}

/** Rules across keys: production asks the agencies; http mode needs both services and a way to authenticate. */
export function registriesProblems(config: RegistriesConfig, environment: string): string[] {
  const problems: string[] = [];
  if (config.mode === 'file') {
    if (environment === 'production') problems.push('registries.mode: the file registry is refused in production (use http)');
    return problems;
  }
  if (!config.population) problems.push('registries.population.baseUrl: required in http mode');
  if (!config.immigration) problems.push('registries.immigration.baseUrl: required in http mode');
  const mutualTls = [config.clientCertificateFile, config.clientKeyFile].filter(Boolean).length;
  if (mutualTls === 1) problems.push('registries.clientCertificateFile, registries.clientKeyFile: give both or neither');
  if (!config.apiKey && mutualTls === 0) problems.push('registries: http mode needs apiKey or mutual TLS');
  return problems;
}
