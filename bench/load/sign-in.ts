import { createHash, randomBytes } from 'node:crypto';
import { BENCH_RP, basicAuthorization } from '../bench-clients.js';
import { toLoopback, type BenchTarget } from '../support/bench-target.js';
import { REQUEST_TIMEOUT_MS, type BenchBrowser } from './browser.js';
import type { Endpoints } from './endpoints.js';

/** Someone with an account on both servers. */
export interface BenchAccount {
  idNumber: string;
  password: string;
}

export interface TokenResponse {
  access_token: string;
  id_token: string;
  refresh_token?: string;
}

export interface SignInOptions {
  /** `login` makes a returning person type the password again although the browser has a session. */
  prompt?: 'login' | 'consent';
  scope?: string;
  /** Approve the consent page if it is shown; otherwise it is an error (the grant should have been remembered). */
  allowConsent: boolean;
}

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * One full sign-in as a relying party and a person do it: authorization request with PKCE (S256), the login page,
 * the password, consent (remembered or given), the redirect back with a code, and the code exchange. Throws unless it
 * ends with an ID token, so a broken flow never counts as a completed sign-in.
 */
export async function signIn(
  target: BenchTarget,
  endpoints: Endpoints,
  browser: BenchBrowser,
  account: BenchAccount,
  options: SignInOptions,
): Promise<TokenResponse> {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const params = new URLSearchParams({
    client_id: BENCH_RP.id,
    response_type: 'code',
    redirect_uri: BENCH_RP.redirectUri,
    scope: options.scope ?? 'openid profile identity',
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    state,
    nonce: base64url(randomBytes(16)),
  });
  if (options.prompt) params.set('prompt', options.prompt);

  const loginPage = await browser.navigate(`${endpoints.authorization}?${params}`, BENCH_RP.redirectUri);
  if (loginPage.status !== 200) throw new Error(`${target.name}: expected the login page, got ${loginPage.status} at ${loginPage.url}`);
  let page = await browser.submit(loginPage, '/login', { kind: 'citizen', idNumber: account.idNumber, password: account.password }, BENCH_RP.redirectUri);
  if (!page.url.startsWith(BENCH_RP.redirectUri)) {
    if (!options.allowConsent) throw new Error(`${target.name}: consent was not remembered (${page.status} at ${page.url})`);
    if (page.status !== 200) throw new Error(`${target.name}: sign-in failed with ${page.status} at ${page.url}`);
    page = await browser.submit(page, '/confirm', {}, BENCH_RP.redirectUri);
  }
  const callback = new URL(page.url);
  const code = callback.searchParams.get('code');
  if (!callback.toString().startsWith(BENCH_RP.redirectUri) || !code) throw new Error(`${target.name}: no code in ${page.url}`);
  if (callback.searchParams.get('state') !== state) throw new Error(`${target.name}: state mismatch`);

  const response = await fetch(toLoopback(target, endpoints.token), {
    method: 'POST',
    headers: {
      ...target.headers,
      authorization: basicAuthorization(BENCH_RP),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_RP.redirectUri, code_verifier: verifier }).toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const tokens = (await response.json()) as Partial<TokenResponse> & { error?: string };
  if (response.status !== 200 || !tokens.id_token || !tokens.access_token) {
    throw new Error(`${target.name}: code exchange answered ${response.status} ${tokens.error ?? ''}`);
  }
  return tokens as TokenResponse;
}
