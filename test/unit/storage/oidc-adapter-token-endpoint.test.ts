import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import Provider, { type Configuration } from 'oidc-provider';
import { ManualClock } from '../../../src/shared/clock.js';
import { randomId } from '../../../src/shared/ids.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { createRedisAdapterFactory } from '../../../src/storage/oidc-adapter.js';
import { SigningKeyStore } from '../../../src/storage/signing-key-store.js';
import { TestRedisServer } from '../../support/redis-server.js';

/**
 * The adapter inside a real oidc-provider: a code or refresh token redeemed many times at once gets tokens exactly
 * once, every other attempt gets a clean 400 invalid_grant (never a 500), and the grant is revoked.
 */

const CLIENT_ID = 'relying-party';
const CLIENT_SECRET = randomId(32);
const REDIRECT_URI = 'https://rp.example/callback';
const PARALLEL = 20;

let redisServer: TestRedisServer;
let redis: Redis;
let httpServer: Server;
let provider: Provider;
let issuer: string;

interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

async function postToken(parameters: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(parameters),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function registeredClient() {
  const client = await provider.Client.find(CLIENT_ID);
  if (!client) throw new Error('the test client is not registered');
  return client;
}

async function newGrant(): Promise<string> {
  const grant = new provider.Grant({ accountId: 'account-1', clientId: CLIENT_ID });
  grant.addOIDCScope('openid offline_access');
  return grant.save();
}

/** An authorization code as the authorization endpoint would have issued it (PKCE S256). */
async function issueCode(scope: string): Promise<{ value: string; verifier: string }> {
  const verifier = randomId(32);
  const code = new provider.AuthorizationCode({
    accountId: 'account-1',
    client: await registeredClient(),
    grantId: await newGrant(),
    gty: 'authorization_code',
    scope,
    redirectUri: REDIRECT_URI,
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    codeChallengeMethod: 'S256',
    authTime: Math.floor(Date.now() / 1000),
  });
  return { value: await code.save(), verifier };
}

async function userinfoStatus(accessToken: unknown): Promise<number> {
  const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
  return response.status;
}

beforeAll(async () => {
  redisServer = await TestRedisServer.start();
  redis = redisServer.client();
  const keys = new RedisKeys('provider:');

  let handler: ReturnType<Provider['callback']> | undefined;
  httpServer = createServer((request, response) => handler?.(request, response));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

  const jwks = await new SigningKeyStore(redis, keys, new ManualClock()).ensure(['ES256']);
  provider = new Provider(issuer, {
    adapter: createRedisAdapterFactory(redis, keys),
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: jwks } as Configuration['jwks'],
    cookies: { keys: [randomId(32)] },
    findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
    rotateRefreshToken: true,
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, RefreshToken: 3600 },
    features: { devInteractions: { enabled: false } },
  });
  handler = provider.callback();
});

afterAll(async () => {
  httpServer.closeAllConnections();
  await new Promise((resolve) => httpServer.close(resolve));
  redis.disconnect();
  await redisServer.destroy();
});

describe('token endpoint on the Redis adapter', () => {
  it('gives tokens for an authorization code once, answers every racing redemption with invalid_grant', async () => {
    const { value, verifier } = await issueCode('openid offline_access');

    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        postToken({ grant_type: 'authorization_code', code: value, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
      ),
    );

    const granted = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status !== 200);
    expect(granted).toHaveLength(1);
    expect(refused).toHaveLength(PARALLEL - 1);
    for (const response of refused) expect(response).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The replay revoked the grant, so even the tokens of the one successful redemption no longer work.
    expect(await userinfoStatus(granted[0]?.body.access_token)).toBe(401);
  });

  it('rotates a refresh token once, answers every racing rotation with invalid_grant', async () => {
    const client = await registeredClient();
    const refreshToken = new provider.RefreshToken({
      accountId: 'account-1',
      client,
      grantId: await newGrant(),
      scope: 'openid offline_access',
      gty: 'authorization_code',
      authTime: Math.floor(Date.now() / 1000),
    });
    const value = await refreshToken.save();

    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () => postToken({ grant_type: 'refresh_token', refresh_token: value })),
    );

    const granted = responses.filter((response) => response.status === 200);
    expect(granted).toHaveLength(1);
    for (const response of responses.filter((candidate) => candidate.status !== 200)) {
      expect(response).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    const rotated = await postToken({ grant_type: 'refresh_token', refresh_token: String(granted[0]?.body.refresh_token) });
    expect(rotated).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('still redeems a code used once, normally', async () => {
    const { value, verifier } = await issueCode('openid');
    const response = await postToken({
      grant_type: 'authorization_code',
      code: value,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    expect(await userinfoStatus(response.body.access_token)).toBe(200);
  });
});
