import * as oidc from 'openid-client';
import { TEST_CLIENT } from './provider-harness.js';
import { approveConsentIfAsked, authorizationRequest } from './relying-party.js';
import { UserAgent, type Page } from './user-agent.js';

/**
 * Steps shared by the fault tests, which sign people in by their login fields (registered through the pages, or in
 * another process) rather than by an AccountFixture of the in-process harness.
 */
export interface SignInOutcome {
  /** The page after the password, or the relying party's callback (status 0). */
  page: Page;
  /** Present when the sign-in reached the relying party and the code was exchanged. */
  tokens?: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
}

/** Authorization request, the sign-in page with `loginFields`, consent if asked, and the code exchange. */
export async function signInWithFields(
  rp: oidc.Configuration,
  loginFields: Record<string, string>,
  params: Record<string, string> = {},
): Promise<SignInOutcome> {
  const agent = new UserAgent();
  const request = await authorizationRequest(rp, params);
  const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
  if (loginPage.status !== 200) return { page: loginPage };
  const afterLogin = await agent.submit(loginPage, '/login', loginFields, TEST_CLIENT.redirectUri);
  if (!afterLogin.url.startsWith(TEST_CLIENT.redirectUri) && afterLogin.status !== 200) return { page: afterLogin };
  const tokens = await oidc.authorizationCodeGrant(rp, await approveConsentIfAsked(agent, afterLogin), {
    pkceCodeVerifier: request.verifier,
    expectedNonce: request.nonce,
    expectedState: request.state,
  });
  return { page: afterLogin, tokens };
}
