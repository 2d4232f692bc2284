import * as oidc from 'openid-client';
import { TEST_CLIENT, type AccountFixture } from './provider-harness.js';
import { UserAgent, type Page } from './user-agent.js';

/** A relying party as a developer would write it: openid-client, discovery only, client_secret_basic. */
export async function discoverAsRelyingParty(
  issuer: string,
  client: { id: string; secret: string } = TEST_CLIENT,
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), client.id, undefined, oidc.ClientSecretBasic(client.secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface AuthorizationRequest {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

export async function authorizationRequest(
  config: oidc.Configuration,
  params: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: TEST_CLIENT.redirectUri,
    scope: 'openid profile identity',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...params,
  });
  return { url, verifier, nonce, state };
}

/**
 * The person's part: open the authorization URL, sign in on our page, approve the consent page if shown, and stop
 * at the relying party's redirect URI. Returns the callback URL the browser would load.
 */
export async function signInThroughPages(agent: UserAgent, url: URL, fixture: AccountFixture): Promise<URL> {
  const loginPage = await agent.navigate(url.toString(), TEST_CLIENT.redirectUri);
  if (loginPage.status !== 200) throw new Error(`expected the login page, got ${loginPage.status} at ${loginPage.url}`);
  const afterLogin = await agent.submit(loginPage, '/login', fixture.loginFields, TEST_CLIENT.redirectUri);
  return approveConsentIfAsked(agent, afterLogin);
}

export async function approveConsentIfAsked(agent: UserAgent, page: Page): Promise<URL> {
  if (page.url.startsWith(TEST_CLIENT.redirectUri)) return new URL(page.url);
  if (page.status !== 200) throw new Error(`unexpected ${page.status} at ${page.url}: ${page.html.slice(0, 500)}`);
  const done = await agent.submit(page, '/confirm', {}, TEST_CLIENT.redirectUri);
  if (!done.url.startsWith(TEST_CLIENT.redirectUri)) throw new Error(`did not return to the relying party: ${done.url}`);
  return new URL(done.url);
}

/** Full code flow: authorization request, pages, code exchange with PKCE, nonce and state checks. */
export async function logIn(
  config: oidc.Configuration,
  agent: UserAgent,
  fixture: AccountFixture,
  params: Record<string, string> = {},
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const request = await authorizationRequest(config, params);
  const callback = await signInThroughPages(agent, request.url, fixture);
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedNonce: request.nonce,
    expectedState: request.state,
    idTokenExpected: true,
  });
}
