/**
 * What the orchestrator tells the baseline server (as JSON in BASELINE_SETTINGS), so that everything that must match
 * ours (lifetimes, levels, signing algorithms, scopes and claims) comes from our configuration's defaults.
 */
export interface BaselineSettings {
  port: number;
  redisUrl: string;
  keyPrefix: string;
  cookieKeys: string[];
  /** oidc-provider `ttl` values in seconds, by model name. */
  ttl: Record<string, number>;
  acrValues: string[];
  /** The first signs ID tokens; all are published in the JWKS. */
  signingAlgorithms: string[];
  /** Scope name -> claims it releases (openid excluded). */
  scopeClaims: Record<string, string[]>;
}

export const BASELINE_SETTINGS_ENV = 'BASELINE_SETTINGS';

export function parseBaselineSettings(json: string | undefined): BaselineSettings {
  if (!json) throw new Error(`${BASELINE_SETTINGS_ENV} is not set`);
  const value = JSON.parse(json) as Partial<BaselineSettings>;
  for (const key of ['port', 'redisUrl', 'keyPrefix', 'cookieKeys', 'ttl', 'acrValues', 'signingAlgorithms', 'scopeClaims'] as const) {
    if (value[key] === undefined) throw new Error(`${BASELINE_SETTINGS_ENV}.${key} is missing`);
  }
  return value as BaselineSettings;
}
