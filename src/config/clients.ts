import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { readSecret } from './loader.js';
import type { Environment } from './schema.js';
import { ConfigError, validateInto } from './validation.js';

const uriOptions = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Scopes a relying party may be allowed; the provider serves exactly these (see oidc/claims.ts). */
export const KNOWN_SCOPES = ['openid', 'offline_access', 'profile', 'identity', 'phone', 'email', 'documents'] as const;

/**
 * One relying party (service user, Decision 34 Art 2.8). Field names follow OpenID Connect Dynamic Client Registration
 * metadata so that they pass straight to the provider; the acr fields are ours (Art 5.2: the service user chooses the
 * level per service).
 */
export class ClientEntry {
  @IsString() @Matches(/^[A-Za-z0-9._-]{3,64}$/) client_id!: string;

  /** Literal secret (development only), or read from the environment variable / file it names: "env:NAME". */
  @IsOptional() @IsString() client_secret?: string;

  @IsString() @MinLength(1) client_name!: string;

  /** Required for the authorization code flow; a client-credentials-only service has none. */
  @IsArray() @IsUrl(uriOptions, { each: true }) redirect_uris: string[] = [];

  @IsOptional() @IsArray() @IsUrl(uriOptions, { each: true }) post_logout_redirect_uris?: string[];

  @IsIn(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'])
  token_endpoint_auth_method = 'client_secret_basic';

  @IsOptional() @IsUrl(uriOptions) jwks_uri?: string;

  /** The client's public keys inline (`{"keys": [...]}`), for `private_key_jwt` when it publishes no `jwks_uri`. */
  @IsOptional() @IsObject() jwks?: { keys: Record<string, unknown>[] };

  /**
   * Who this client is when it calls the agency API (docs/api.md): a proceeding-conducting or competent `agency`, a
   * `service_user` (Decision 34 Art 10.2), or the `operator` of the system. Relying parties are service users.
   */
  @IsOptional() @IsIn(['agency', 'service_user', 'operator']) vneid_party?: 'agency' | 'service_user' | 'operator';

  @IsArray()
  @IsIn(['authorization_code', 'refresh_token', 'client_credentials'], { each: true })
  grant_types: string[] = ['authorization_code', 'refresh_token'];

  /** Space-separated scopes this client may ask for. */
  @IsString() @Matches(new RegExp(`^(${KNOWN_SCOPES.join('|')}|vneid:[a-z0-9:_]+)( (${KNOWN_SCOPES.join('|')}|vneid:[a-z0-9:_]+))*$`))
  scope = 'openid profile';

  @IsOptional() @IsIn(['ES256', 'RS256']) id_token_signed_response_alg?: string;

  /**
   * `public` (default): every client receives the account's opaque id as `sub`. `pairwise`: this client receives its own
   * `sub` for each account (OpenID Connect Core 8.1; oidc/pairwise-subject.ts), so relying parties cannot join their
   * users by `sub`. Needs the authorization code flow, and `pairwiseSalt` in production.
   */
  @IsOptional() @IsIn(['public', 'pairwise']) subject_type?: 'public' | 'pairwise';

  @IsOptional() @IsUrl(uriOptions) backchannel_logout_uri?: string;
  @IsOptional() @IsBoolean() backchannel_logout_session_required?: boolean;

  /** Levels this client may request; by default all configured levels. */
  @IsOptional() @IsArray() @IsString({ each: true }) allowed_acr_values?: string[];
  /** Level used when a request names none (OIDC registration metadata). */
  @IsOptional() @IsArray() @IsString({ each: true }) default_acr_values?: string[];
  /** The lowest level this client ever accepts, whatever the request says. */
  @IsOptional() @IsString() minimum_acr_value?: string;
}

export class ClientsFile {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ClientEntry) clients!: ClientEntry[];
}

const isLoopback = (uri: string): boolean => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(`${uri}/`);

function resolveSecret(value: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (value === undefined || !value.startsWith('env:')) return value;
  return readSecret(env, value.slice('env:'.length));
}

/** Loads and checks the relying parties; anything wrong stops start-up with the client id and key named. */
export function loadClients(
  path: string,
  environment: Environment,
  acrValues: readonly string[],
  env: Record<string, string | undefined> = process.env,
): ClientEntry[] {
  let plain: unknown;
  try {
    plain = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(path, [(error as Error).message]);
  }
  const file = validateInto(ClientsFile, plain, path, ['clients.client_secret']);
  const problems: string[] = [];
  const seen = new Set<string>();
  file.clients.forEach((client, index) => {
    const at = `clients.${index} (${client.client_id})`;
    if (seen.has(client.client_id)) problems.push(`${at}.client_id: duplicate`);
    seen.add(client.client_id);
    if (environment === 'production' && client.client_secret && !client.client_secret.startsWith('env:')) {
      problems.push(`${at}.client_secret: in production give "env:NAME" and put the secret in NAME or NAME_FILE`);
    }
    client.client_secret = resolveSecret(client.client_secret, env);
    const confidential = ['client_secret_basic', 'client_secret_post'].includes(client.token_endpoint_auth_method);
    if (confidential && (!client.client_secret || client.client_secret.length < 32)) {
      problems.push(`${at}.client_secret: a secret of at least 32 characters is required for ${client.token_endpoint_auth_method}`);
    }
    if (environment === 'production') {
      for (const uri of client.redirect_uris) {
        if (!uri.startsWith('https://') && !isLoopback(uri)) problems.push(`${at}.redirect_uris: ${uri} must be https in production`);
      }
    }
    for (const acr of [...(client.allowed_acr_values ?? []), ...(client.default_acr_values ?? []), client.minimum_acr_value ?? acrValues[0]]) {
      if (acr !== undefined && !acrValues.includes(acr)) problems.push(`${at}: unknown acr value ${acr}`);
    }
    if (client.token_endpoint_auth_method === 'private_key_jwt') {
      const keys = client.jwks?.keys;
      if (!client.jwks_uri && !(Array.isArray(keys) && keys.length > 0)) problems.push(`${at}.jwks: private_key_jwt needs jwks_uri or jwks`);
      if (client.jwks_uri && client.jwks) problems.push(`${at}.jwks: give jwks_uri or jwks, not both`);
    }
    if (client.subject_type === 'pairwise' && !client.grant_types.includes('authorization_code')) {
      problems.push(`${at}.subject_type: pairwise needs the authorization code flow (its sub is derived per client at sign-in)`);
    }
    if (client.grant_types.includes('authorization_code')) {
      if (!client.scope.split(' ').includes('openid')) problems.push(`${at}.scope: must include openid for the authorization code flow`);
      if (client.redirect_uris.length === 0) problems.push(`${at}.redirect_uris: required for the authorization code flow`);
    }
  });
  if (problems.length > 0) throw new ConfigError(path, problems);
  return file.clients;
}
