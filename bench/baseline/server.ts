import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import Provider, { type Configuration, type FindAccount, type JWK } from 'oidc-provider';
import { benchClients } from '../bench-clients.js';
import { BaselineAccountStore } from './accounts.js';
import { createBaselineInteractions } from './interactions.js';
import { baselineAdapterFactory } from './redis-adapter.js';
import { BASELINE_SETTINGS_ENV, parseBaselineSettings } from './settings.js';

/*
 * The baseline: oidc-provider as its documentation sets it up, with nothing of ours in front of it. Same library
 * version, same clients, lifetimes, scopes, levels and signing keys (ES256 signs ID tokens, RS256 is published too), a
 * minimal Redis adapter, and minimal sign-in/consent pages checking argon2id hashes made with our parameters.
 * Run as its own process by bench/run.ts, which reads its CPU time from /proc.
 */

function signingKey(alg: string): JWK {
  const { privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg, use: 'sig' };
}

async function main(): Promise<void> {
  const settings = parseBaselineSettings(process.env[BASELINE_SETTINGS_ENV]);
  const issuer = `http://127.0.0.1:${settings.port}`;
  const redis = new Redis(settings.redisUrl);
  redis.on('error', (error: Error) => process.stderr.write(`baseline redis: ${error.message}\n`));
  const accounts = new BaselineAccountStore(redis, settings.keyPrefix);

  const findAccount: FindAccount = async (_ctx, sub) => {
    const account = await accounts.findById(sub);
    return account ? { accountId: account.id, claims: () => ({ ...account.claims, sub: account.id }) } : undefined;
  };
  const algorithms = settings.signingAlgorithms;
  const configuration: Configuration = {
    adapter: baselineAdapterFactory(redis, settings.keyPrefix),
    clients: benchClients().map((client) => ({
      ...client,
      response_types: client.grant_types.includes('authorization_code') ? ['code'] : [],
    })) as Configuration['clients'],
    clientDefaults: { id_token_signed_response_alg: (algorithms[0] ?? 'ES256') as 'ES256' },
    jwks: { keys: algorithms.map(signingKey) },
    cookies: { keys: settings.cookieKeys, long: { httpOnly: true, sameSite: 'lax' }, short: { httpOnly: true, sameSite: 'lax' } },
    findAccount,
    acrValues: settings.acrValues,
    scopes: ['openid', 'offline_access', ...Object.keys(settings.scopeClaims)],
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], ...settings.scopeClaims },
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    enabledJWA: { idTokenSigningAlgValues: algorithms as never },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      userinfo: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      backchannelLogout: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    ttl: settings.ttl,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
  const provider = new Provider(issuer, configuration);
  const interactions = createBaselineInteractions({ provider, accounts, acr: settings.acrValues[0] ?? '1' });
  const providerCallback = provider.callback();

  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/interaction/')) {
      void providerCallback(req, res);
      return;
    }
    interactions(req, res).catch((error: unknown) => {
      process.stderr.write(`baseline interaction failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('server error');
    });
  });
  server.listen(settings.port, '127.0.0.1');

  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => {
      redis.disconnect();
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
