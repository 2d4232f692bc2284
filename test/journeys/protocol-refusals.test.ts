import { describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { TEST_CLIENT } from '../support/provider-harness.js';
import { postToken, useProviderJourney } from '../support/journey.js';
import { authorizationRequest, discoverAsRelyingParty, signInThroughPages } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

describe('the provider refuses what the protocol forbids', () => {
  const journey = useProviderJourney();

  it('gives exactly one token response for 100 parallel redemptions of one code', async () => {
    const request = await authorizationRequest(journey.rp);
    const callback = await signInThroughPages(new UserAgent(), request.url, journey.citizen);
    const code = callback.searchParams.get('code') ?? '';
    const redemption = { grant_type: 'authorization_code', code, redirect_uri: TEST_CLIENT.redirectUri, code_verifier: request.verifier };
    const responses = await Promise.all(Array.from({ length: 100 }, () => postToken(journey.running.issuer, redemption)));
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
    const url = new URL(`${journey.running.issuer}/auth`);
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
    const request = await authorizationRequest(journey.rp);
    const callback = await signInThroughPages(new UserAgent(), request.url, journey.citizen);
    const response = await postToken(journey.running.issuer, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: TEST_CLIENT.redirectUri,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses an unregistered redirect URI on its own page, without redirecting', async () => {
    const request = await authorizationRequest(journey.rp, { redirect_uri: 'https://attacker.example/steal' });
    const page = await new UserAgent().navigate(request.url.toString(), 'https://attacker.example');
    expect(page.status).toBe(400);
    expect(page.url.startsWith(journey.running.issuer)).toBe(true);
    expect(page.html).toContain('invalid_redirect_uri');
  });

  it('refuses an unknown client on its own page', async () => {
    const url = new URL(`${journey.running.issuer}/auth`);
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
    const response = await postToken(
      journey.running.issuer,
      { grant_type: 'authorization_code', code: 'abc', redirect_uri: TEST_CLIENT.redirectUri },
      { id: TEST_CLIENT.id, secret: 'wrong-secret' },
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('does not let another client introspect a relying party\'s token', async () => {
    const request = await authorizationRequest(journey.rp);
    const callback = await signInThroughPages(new UserAgent(), request.url, journey.citizen);
    const tokens = await oidc.authorizationCodeGrant(journey.rp, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    const other = await discoverAsRelyingParty(journey.running.issuer, { id: 'test-rp-rs256', secret: 'test-rp-rs256-secret-0123456789abcdef012345' });
    expect((await oidc.tokenIntrospection(other, tokens.access_token)).active).toBe(false);
    expect((await oidc.tokenIntrospection(journey.rp, tokens.access_token)).active).toBe(true);
  });
});
