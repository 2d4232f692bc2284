import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../src/config/schema.js';
import { SCOPE_CLAIMS } from '../../src/oidc/claims.js';
import { BASELINE_SETTINGS_ENV, type BaselineSettings } from '../baseline/settings.js';
import type { BenchTarget } from '../support/bench-target.js';
import { ServerProcess } from './server-process.js';

export const BASELINE_KEY_PREFIX = 'baseline:';

/** What the baseline must share with ours, taken from the configuration ours actually runs with. */
export function parityWith(config: AppConfig): Pick<BaselineSettings, 'ttl' | 'acrValues' | 'signingAlgorithms' | 'scopeClaims'> {
  const { ttl } = config;
  return {
    ttl: {
      AccessToken: ttl.accessTokenSeconds,
      AuthorizationCode: ttl.authorizationCodeSeconds,
      IdToken: ttl.idTokenSeconds,
      RefreshToken: ttl.refreshTokenSeconds,
      Session: ttl.sessionSeconds,
      Interaction: ttl.interactionSeconds,
      Grant: ttl.grantSeconds,
      PushedAuthorizationRequest: ttl.pushedAuthorizationRequestSeconds,
      ClientCredentials: ttl.clientCredentialsSeconds,
    },
    acrValues: [...config.acr.values],
    signingAlgorithms: [...config.keys.signingAlgorithms],
    scopeClaims: Object.fromEntries(
      Object.entries(SCOPE_CLAIMS)
        .filter(([scope]) => scope !== 'openid')
        .map(([scope, claims]) => [scope, [...claims]]),
    ),
  };
}

export interface BaselineServerOptions {
  /** Checkout whose dist/bench/baseline/server.js runs. */
  root: string;
  redisUrl: string;
  port: number;
  workDir: string;
  nodeFlags: string[];
  /** Called as soon as the process exists, so that a failure while it starts still stops it. */
  onSpawn: (server: ServerProcess) => void;
  /** What must match ours (lifetimes, levels, algorithms, scopes). */
  parity: Pick<BaselineSettings, 'ttl' | 'acrValues' | 'signingAlgorithms' | 'scopeClaims'>;
}

export async function startBaselineServer(options: BaselineServerOptions): Promise<{ server: ServerProcess; target: BenchTarget }> {
  const settings: BaselineSettings = {
    port: options.port,
    redisUrl: options.redisUrl,
    keyPrefix: BASELINE_KEY_PREFIX,
    cookieKeys: [randomBytes(32).toString('base64url')],
    ...options.parity,
  };
  const server = ServerProcess.spawn({
    label: 'baseline',
    nodeArgs: [...options.nodeFlags, join(options.root, 'dist/bench/baseline/server.js')],
    cwd: options.root,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? options.workDir,
      NODE_ENV: 'production',
      [BASELINE_SETTINGS_ENV]: JSON.stringify(settings),
    },
    logFile: join(options.workDir, 'baseline.log'),
  });
  options.onSpawn(server);
  const origin = `http://127.0.0.1:${options.port}`;
  const target: BenchTarget = { name: 'baseline', pid: server.pid, origin, publicOrigin: origin, headers: {}, keyPrefix: BASELINE_KEY_PREFIX };
  await server.waitUntilAnswering(`${origin}/.well-known/openid-configuration`, {});
  return { server, target };
}
