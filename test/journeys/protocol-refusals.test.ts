import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { createCitizen, startProvider, TEST_CLIENT, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { authorizationRequest, discoverAsRelyingParty, signInThroughPages } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

const basicAuth = `Basic ${Buffer.from(`${TEST_CLIENT.id}:${TEST_CLIENT.secret}`).toString('base64')}`;

describe('the provider refuses what the protocol forbids', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let config: oidc.Configuration;
  let citizen: AccountFixture;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    running = await startProvider(redis);
    config = await discoverAsRelyingParty(running.issuer);
    citizen = await createCitizen(running.container);
  });

  afterAll(async () => {
    await running.stop();
    await redis.destroy();
  });

  it('gives exactly one token response for 100 parallel redemptions of one code', async () => {
    const request = await authorizationRequest(config);
    const callback = await signInThroughPages(new UserAgent(), request.url, citizen);
    const code = callback.searchParams.get('code') ?? '';
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: TEST_CLIENT.redirectUri,
      code_verifier: request.verifier,
    }).toString();
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(`${running.issuer}/token`, {
          method: 'POST',
          headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(99);
    const refused = await Promise.all(responses.filter((r) => r.status === 400).map((r) => r.json() as Promise<{ error: string }>));
    expect(new Set(refused.map((r) => r.error))).toEqual(new Set(['invalid_grant']));
  });

  it.each([
    ['missing', {}],
    ['plain', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }],
  ])('refuses an authorization request with PKCE %s', async (_label, pkce) => {
    const url = new URL(`${running.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: TEST_CLIENT.id,
      response_type: 'code',
      redirect_uri: TEST_CLIENT.redirectUri,
      scope: 'openid',
      state: 'xyz',
      ...pkce,
    }).toString();
    const page = await new UserAgent().navigate(url.toString(), TEST_CLIENT.redirectUri);
    const answer = new URL(page.url);
    expect(answer.origin + answer.pathname).toBe(TEST_CLIENT.redirectUri);
    expect(answer.searchParams.get('error')).toBe('invalid_request');
    expect(answer.searchParams.get('code')).toBeNull();
  });

  it('refuses a token request without the PKCE verifier', async () => {
    const request = await authorizationRequest(config);
    const callback = await signInThroughPages(new UserAgent(), request.url, citizen);
    const response = await fetch(`${running.issuer}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: TEST_CLIENT.redirectUri,
      }).toString(),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses an unregistered redirect URI on its own page, without redirecting', async () => {
    const request = await authorizationRequest(config, { redirect_uri: 'https://attacker.example/steal' });
    const page = await new UserAgent().navigate(request.url.toString(), 'https://attacker.example');
    expect(page.status).toBe(400);
    expect(page.url.startsWith(running.issuer)).toBe(true);
    expect(page.html).toContain('invalid_redirect_uri');
  });

  it('refuses an unknown client on its own page', async () => {
    const url = new URL(`${running.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: 'no-such-client',
      response_type: 'code',
      redirect_uri: TEST_CLIENT.redirectUri,
      scope: 'openid',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    }).toString();
    const page = await new UserAgent().navigate(url.toString(), TEST_CLIENT.redirectUri);
    expect(page.status).toBe(400);
    expect(page.html).toContain('invalid_client');
  });

  it('refuses a token request from a client with a wrong secret', async () => {
    const response = await fetch(`${running.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${TEST_CLIENT.id}:wrong-secret`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=authorization_code&code=abc&redirect_uri=x',
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('does not let another client introspect a relying party\'s token', async () => {
    const request = await authorizationRequest(config);
    const callback = await signInThroughPages(new UserAgent(), request.url, citizen);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    const other = await discoverAsRelyingParty(running.issuer, { id: 'test-rp-rs256', secret: 'test-rp-rs256-secret-0123456789abcdef012345' });
    expect((await oidc.tokenIntrospection(other, tokens.access_token)).active).toBe(false);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
  });
});
