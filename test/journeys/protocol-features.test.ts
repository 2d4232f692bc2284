import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { createCitizen, startProvider, TEST_CLIENT, type AccountFixture, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import { authorizationRequest, discoverAsRelyingParty, logIn, signInThroughPages } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/** A relying party's back-channel logout endpoint on loopback that records the logout tokens it receives. */
async function startLogoutReceiver(): Promise<{ server: Server; url: string; tokens: string[] }> {
  const tokens: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) tokens.push(token);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/backchannel-logout`, tokens };
}

describe('protocol features a relying party can use', () => {
  let redis: TestRedisServer;
  let running: RunningProvider;
  let config: oidc.Configuration;
  let citizen: AccountFixture;
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    receiver = await startLogoutReceiver();
    // The test relying party registers the receiver for back-channel logout.
    const clients = JSON.parse(readFileSync('test/support/clients.test.json', 'utf8')) as { clients: Record<string, unknown>[] };
    const testClient = clients.clients.find((client) => client.client_id === TEST_CLIENT.id);
    if (!testClient) throw new Error('test client missing');
    testClient.backchannel_logout_uri = receiver.url;
    testClient.backchannel_logout_session_required = true;
    const clientsFile = join(mkdtempSync(join(tmpdir(), 'vneid-clients-')), 'clients.json');
    writeFileSync(clientsFile, JSON.stringify(clients));
    running = await startProvider(redis, { CLIENTS_FILE: clientsFile });
    config = await discoverAsRelyingParty(running.issuer);
    citizen = await createCitizen(running.container);
  });

  afterAll(async () => {
    await running.stop();
    receiver.server.close();
    await redis.destroy();
  });

  it('accepts a pushed authorization request and completes the login from its request_uri', async () => {
    const request = await authorizationRequest(config);
    const pushed = await oidc.buildAuthorizationUrlWithPAR(config, Object.fromEntries(request.url.searchParams));
    expect(pushed.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(pushed.searchParams.get('code_challenge')).toBeNull();
    const callback = await signInThroughPages(new UserAgent(), pushed, citizen);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
    });
    expect(tokens.claims()?.sub).toBe(citizen.account.id);
  });

  it('releases a claim requested with the claims parameter in the ID token', async () => {
    const tokens = await logIn(config, new UserAgent(), citizen, {
      scope: 'openid profile',
      claims: JSON.stringify({ id_token: { name: { essential: true }, birthdate: null } }),
    });
    const claims = tokens.claims();
    expect(claims?.name).toBe(citizen.account.identity.fullName);
    expect(claims?.birthdate).toBe(citizen.account.identity.birthDate);
    // Not requested for the ID token: stays out of it.
    expect(claims?.gender).toBeUndefined();
  });

  it('sends a signed back-channel logout token to the relying party when the user signs out', async () => {
    const agent = new UserAgent();
    const tokens = await logIn(config, agent, citizen);
    const idClaims = tokens.claims();
    const endSession = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: TEST_CLIENT.postLogoutRedirectUri,
    });
    const confirm = await agent.navigate(endSession.toString(), TEST_CLIENT.postLogoutRedirectUri);
    const before = receiver.tokens.length;
    await agent.submit(confirm, '/session/end/confirm', { logout: 'yes' }, TEST_CLIENT.postLogoutRedirectUri);
    expect(receiver.tokens.length).toBe(before + 1);
    const { payload } = await jwtVerify(receiver.tokens.at(-1) ?? '', createRemoteJWKSet(new URL(`${running.issuer}/jwks`)), {
      issuer: running.issuer,
      audience: TEST_CLIENT.id,
    });
    expect(payload.sub).toBe(citizen.account.id);
    expect(payload.sid).toBe(idClaims?.sid);
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
  });

  it('issues client-credentials tokens to a service client', async () => {
    const service = await discoverAsRelyingParty(running.issuer, { id: 'test-service', secret: 'test-service-secret-0123456789abcdef012345' });
    const tokens = await oidc.clientCredentialsGrant(service, {});
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
  });
});
