import { describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { createCitizen, TEST_CLIENT } from '../support/provider-harness.js';
import { useProviderJourney } from '../support/journey.js';
import { authorizationRequest, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

describe('a relying party logs a journey.citizen in with the authorization code flow', () => {
  const journey = useProviderJourney();

  it('advertises in discovery exactly what it serves', () => {
    const metadata = journey.rp.serverMetadata();
    expect(metadata.issuer).toBe(journey.running.issuer);
    expect(metadata.acr_values_supported).toEqual(['urn:vn:eid:loa:1', 'urn:vn:eid:loa:2']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', 'profile', 'identity', 'phone', 'email']));
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'acr', 'amr', 'auth_time', 'name', 'birthdate', 'gender', 'personal_id_number', 'passport_number', 'nationality', 'phone_number', 'email']),
    );
    expect(metadata.pushed_authorization_request_endpoint).toBeDefined();
    expect(metadata.introspection_endpoint).toBeDefined();
    expect(metadata.revocation_endpoint).toBeDefined();
    expect(metadata.end_session_endpoint).toBeDefined();
    expect(metadata.backchannel_logout_supported).toBe(true);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['ES256', 'RS256']);
  });

  it('signs the journey.citizen in through the login page and issues a valid ID token at level 1', async () => {
    const agent = new UserAgent();
    const request = await authorizationRequest(journey.rp, { scope: 'openid profile identity' });
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    expect(loginPage.status).toBe(200);
    expect(loginPage.html).toContain('Cổng dịch vụ thử nghiệm');
    const consentPage = await agent.submit(loginPage, '/login', journey.citizen.loginFields, TEST_CLIENT.redirectUri);
    expect(consentPage.status).toBe(200);
    const callbackPage = await agent.submit(consentPage, '/confirm', {}, TEST_CLIENT.redirectUri);
    const tokens = await oidc.authorizationCodeGrant(journey.rp, new URL(callbackPage.url), {
      pkceCodeVerifier: request.verifier,
      expectedNonce: request.nonce,
      expectedState: request.state,
      idTokenExpected: true,
    });

    const idToken = tokens.id_token ?? '';
    expect(decodeProtectedHeader(idToken).alg).toBe('ES256');
    const jwks = createRemoteJWKSet(new URL(journey.rp.serverMetadata().jwks_uri ?? ''));
    const { payload } = await jwtVerify(idToken, jwks, { issuer: journey.running.issuer, audience: TEST_CLIENT.id });
    expect(payload.sub).toBe(journey.citizen.account.id);
    expect(payload.nonce).toBe(request.nonce);
    expect(payload.acr).toBe('urn:vn:eid:loa:1');
    expect(payload.amr).toEqual(['pwd']);
    expect(typeof payload.auth_time).toBe('number');

    const userinfo = await oidc.fetchUserInfo(journey.rp, tokens.access_token, journey.citizen.account.id);
    expect(userinfo).toMatchObject({
      sub: journey.citizen.account.id,
      name: 'Lê Thị Hồng Nhung',
      birthdate: '1990-05-17',
      gender: 'female',
      personal_id_number: journey.citizen.account.identity.idNumber,
      foreigner: false,
    });
    // Scopes not granted release nothing.
    expect(userinfo.email).toBeUndefined();
    expect(userinfo.phone_number).toBeUndefined();
  });

  it('refreshes with rotation and refuses the replayed refresh token', async () => {
    const tokens = await logIn(journey.rp, new UserAgent(), journey.citizen, { scope: 'openid offline_access profile', prompt: 'consent' });
    const first = tokens.refresh_token ?? '';
    expect(first).not.toBe('');
    const refreshed = await oidc.refreshTokenGrant(journey.rp, first);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(first);
    expect(refreshed.claims()?.sub).toBe(journey.citizen.account.id);
    await expect(oidc.refreshTokenGrant(journey.rp, first)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('introspects an active token and reports it inactive after revocation', async () => {
    const tokens = await logIn(journey.rp, new UserAgent(), journey.citizen);
    const active = await oidc.tokenIntrospection(journey.rp, tokens.access_token);
    expect(active).toMatchObject({ active: true, sub: journey.citizen.account.id, client_id: TEST_CLIENT.id });
    await oidc.tokenRevocation(journey.rp, tokens.access_token);
    const revoked = await oidc.tokenIntrospection(journey.rp, tokens.access_token);
    expect(revoked.active).toBe(false);
    await expect(oidc.fetchUserInfo(journey.rp, tokens.access_token, journey.citizen.account.id)).rejects.toBeDefined();
  });

  it('reuses the session for a second login without asking for the password again', async () => {
    const agent = new UserAgent();
    await logIn(journey.rp, agent, journey.citizen);
    const request = await authorizationRequest(journey.rp);
    const page = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    expect(page.url.startsWith(TEST_CLIENT.redirectUri)).toBe(true);
    expect(new URL(page.url).searchParams.get('code')).toBeTruthy();
  });

  it('signs out through RP-initiated logout and then requires a new login', async () => {
    const agent = new UserAgent();
    const tokens = await logIn(journey.rp, agent, journey.citizen);
    const endSession = oidc.buildEndSessionUrl(journey.rp, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: TEST_CLIENT.postLogoutRedirectUri,
      state: 'bye',
    });
    const confirmPage = await agent.navigate(endSession.toString(), TEST_CLIENT.postLogoutRedirectUri);
    expect(confirmPage.status).toBe(200);
    const signedOut = await agent.submit(confirmPage, '/session/end/confirm', { logout: 'yes' }, TEST_CLIENT.postLogoutRedirectUri);
    expect(signedOut.url).toBe(`${TEST_CLIENT.postLogoutRedirectUri}?state=bye`);

    const silent = await authorizationRequest(journey.rp, { prompt: 'none' });
    const answer = await agent.navigate(silent.url.toString(), TEST_CLIENT.redirectUri);
    expect(new URL(answer.url).searchParams.get('error')).toBe('login_required');
  });

  it('refuses a wrong password with the same page as an unknown ID number', async () => {
    const request = await authorizationRequest(journey.rp);
    const agent = new UserAgent();
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const wrong = await agent.submit(loginPage, '/login', { ...journey.citizen.loginFields, password: 'not the password' });
    const unknown = await agent.submit(loginPage, '/login', { ...journey.citizen.loginFields, idNumber: '001199999999' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const errorText = (html: string): string => /role="alert"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(errorText(wrong.html)).not.toBe('');
    expect(errorText(wrong.html)).toBe(errorText(unknown.html));
  });

  it('refuses a sign-in form posted without its CSRF token', async () => {
    const request = await authorizationRequest(journey.rp);
    const agent = new UserAgent();
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const refused = await agent.submit(loginPage, '/login', { ...journey.citizen.loginFields, _csrf: 'forged' });
    expect(refused.status).toBe(403);
    expect(refused.url).not.toContain(TEST_CLIENT.redirectUri);
  });

  it('explains a malformed ID number on the page and keeps what was typed', async () => {
    const request = await authorizationRequest(journey.rp);
    const agent = new UserAgent();
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const page = await agent.submit(loginPage, '/login', { kind: 'journey.citizen', idNumber: '12345', password: 'x' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('value="12345"');
    expect(page.html).not.toContain('value="x"');
  });

  it('shows the sign-in page in Vietnamese by default and in English on request', async () => {
    const request = await authorizationRequest(journey.rp);
    const agent = new UserAgent();
    const vietnamese = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    expect(vietnamese.html).toContain('lang="vi"');
    expect(vietnamese.html).toContain('Đăng nhập');
    const english = await agent.navigate(`${vietnamese.url}?lang=en`, TEST_CLIENT.redirectUri);
    expect(english.html).toContain('lang="en"');
    expect(english.html).toContain('Sign in');
  });

  it('records each use at a relying party and each refused password in the owner\'s audit trail', async () => {
    const owner = await createCitizen(journey.running.container);
    await logIn(journey.rp, new UserAgent(), owner);
    const request = await authorizationRequest(journey.rp);
    const agent = new UserAgent();
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    await agent.submit(loginPage, '/login', { ...owner.loginFields, password: 'not the password' });

    const { events } = await journey.running.container.audit.listForAccount(owner.account.id, { limit: 10 });
    expect(events.map((event) => event.type)).toEqual(['sign_in.failed', 'sign_in.succeeded']);
    expect(events[1]).toMatchObject({ clientId: TEST_CLIENT.id, details: { level: 1 }, location: '127.0.0.0/24' });
    expect(events[0]).toMatchObject({ details: { reason: 'invalid_credentials' } });
  });
});
