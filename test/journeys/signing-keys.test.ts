import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createCitizen, startProvider, TEST_CLIENT, TEST_RS256_CLIENT, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { discoverAsRelyingParty, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

describe('signing keys', () => {
  let redis: TestRedisServer;
  let running: RunningProvider | undefined;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
  });

  afterAll(async () => {
    await running?.stop();
    await redis.destroy();
  });

  it('survive a provider restart: an ID token issued before still verifies against the JWKS after', async () => {
    const first = await startProvider(redis);
    running = first;
    const citizen = await createCitizen(first.container);
    const config = await discoverAsRelyingParty(first.issuer);
    const tokens = await logIn(config, new UserAgent(), citizen);
    const idToken = tokens.id_token ?? '';
    const jwksBefore = (await (await fetch(`${first.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    await first.stop();
    running = undefined;

    const second = await startProvider(redis);
    running = second;
    const jwksAfter = (await (await fetch(`${second.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwksAfter.keys.map((key) => key.kid)).toEqual(jwksBefore.keys.map((key) => key.kid));
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${second.issuer}/jwks`)), {
      issuer: first.issuer,
      audience: TEST_CLIENT.id,
    });
    expect(payload.sub).toBe(citizen.account.id);
  });

  it('publish only public keys, ES256 by default and RS256 for clients that ask for it', async () => {
    running ??= await startProvider(redis);
    const jwks = (await (await fetch(`${running.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(new Set(jwks.keys.map((key) => key.alg))).toEqual(new Set(['ES256', 'RS256']));
    for (const key of jwks.keys) {
      expect(key.d).toBeUndefined();
      expect(key.p).toBeUndefined();
      expect(key.use).toBe('sig');
    }
    const citizen = await createCitizen(running.container);
    const rs256 = await discoverAsRelyingParty(running.issuer, TEST_RS256_CLIENT);
    const tokens = await logIn(rs256, new UserAgent(), citizen, { scope: 'openid profile' });
    expect(decodeProtectedHeader(tokens.id_token ?? '').alg).toBe('RS256');
  });
});
