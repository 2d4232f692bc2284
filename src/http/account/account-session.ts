import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Account } from '../../domain/account.js';
import { AppError } from '../../domain/errors.js';
import type { AccountStore } from '../../domain/ports.js';
import { randomId } from '../../shared/ids.js';
import { ACCOUNT_PAGES_CLIENT_ID, accountPagesRedirectUri } from './account-pages-client.js';
import { ACCOUNT_PREFIX, isReturnPage, type ReturnPage } from './account-paths.js';

/** The provider session behind the account pages, as far as they need it. */
export interface OwnerSession {
  account: Account;
  /** The session's id (its storage key), to keep it when every other session is ended. */
  sessionId: string;
  /** Epoch seconds of the last authentication in this session (oidc-provider `loginTs`). */
  authTime: number | undefined;
}

/**
 * Who is signed in on the account pages: the provider's own session. `Provider.Session.get` reads its session cookie
 * through a provider context built on this request (`app.keys` are the provider's cookie keys, so the signature
 * checks); no session, or one whose account is gone or not active, is "signed out".
 */
export async function ownerSession(ctx: Context, provider: Provider, accounts: AccountStore): Promise<OwnerSession | undefined> {
  const session = await provider.Session.get(ctx);
  if (session.accountId === undefined) return undefined;
  const account = await accounts.findById(session.accountId);
  if (account?.status !== 'active') return undefined;
  return { account, sessionId: session.jti, authTime: typeof session.loginTs === 'number' ? session.loginTs : undefined };
}

/**
 * Binds the sign-in's answer to this browser: random state and PKCE verifier, and the page to come back to (a name of
 * RETURN_PAGES, never a URL); signed, HttpOnly, account pages only.
 */
const SIGN_IN_COOKIE = 'vneid.account-signin';
const STORED = /^([A-Za-z0-9_-]{22,64})\.([A-Za-z0-9_-]{43,128})\.([a-z]{1,20})$/;

const challengeOf = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export interface SignInOptions {
  issuer: string;
  /** How long the person may take to sign in (the provider's interaction lifetime). */
  maxAgeMs: number;
  /** The page to show once signed in (default: the overview). */
  returnTo?: ReturnPage;
  /** Ask for the credentials again even with a live session (re-authentication before a sensitive change). */
  reauthenticate?: boolean;
  /** The level the page needs (acr name): a level-1 session of a level-2 account is asked for the second factor only. */
  acrValues?: string;
}

/** Sends a signed-out visitor through the provider's sign-in (authorization code + PKCE, the first-party client). */
export function startSignIn(ctx: Context, options: SignInOptions): void {
  const state = randomId(16);
  const verifier = randomId(32);
  ctx.cookies.set(SIGN_IN_COOKIE, `${state}.${verifier}.${options.returnTo ?? 'overview'}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: ACCOUNT_PREFIX,
    maxAge: options.maxAgeMs,
    overwrite: true,
  });
  const url = new URL(`${options.issuer.replace(/\/+$/, '')}/auth`);
  url.search = new URLSearchParams({
    client_id: ACCOUNT_PAGES_CLIENT_ID,
    redirect_uri: accountPagesRedirectUri(options.issuer),
    response_type: 'code',
    scope: 'openid',
    state,
    code_challenge: challengeOf(verifier),
    code_challenge_method: 'S256',
    ui_locales: ctx.state.locale,
    ...(options.reauthenticate ? { prompt: 'login' } : {}),
    ...(options.acrValues ? { acr_values: options.acrValues } : {}),
  }).toString();
  ctx.status = 303;
  ctx.redirect(url.toString());
}

/** A finished sign-in: who, and the page to go back to. */
export interface FinishedSignIn {
  accountId: string;
  returnTo: ReturnPage;
}

/**
 * The provider's answer to startSignIn. The state must be this browser's; the code must be the account pages' own,
 * for their redirect URI, made for this browser's PKCE verifier, and its account the session's. The code is then
 * destroyed (nothing is ever exchanged for it). Returns the signed-in account id and the page to return to, or
 * undefined when the person cancelled the sign-in.
 */
export async function finishSignIn(ctx: Context, provider: Provider, issuer: string): Promise<FinishedSignIn | undefined> {
  const stored = STORED.exec(ctx.cookies.get(SIGN_IN_COOKIE, { signed: true }) ?? '');
  ctx.cookies.set(SIGN_IN_COOKIE, null, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: ACCOUNT_PREFIX, overwrite: true });
  const [, state, verifier, page = 'overview'] = stored ?? [];
  if (state === undefined || verifier === undefined || ctx.query.state !== state) {
    throw new AppError('bad_request', 'the sign-in answer does not belong to this browser');
  }
  if (typeof ctx.query.error === 'string') return undefined;
  const value = ctx.query.code;
  if (typeof value !== 'string' || value === '' || value.length > 256) throw new AppError('bad_request', 'no authorization code');
  const code = await provider.AuthorizationCode.find(value);
  if (!code) throw new AppError('bad_request', 'unknown or expired authorization code');
  await code.destroy();
  const matches =
    code.clientId === ACCOUNT_PAGES_CLIENT_ID &&
    code.redirectUri === accountPagesRedirectUri(issuer) &&
    code.codeChallengeMethod === 'S256' &&
    code.codeChallenge === challengeOf(verifier) &&
    // Never exchanged by design: a consumed code means someone else used it.
    !Reflect.get(code, 'consumed');
  const session = await provider.Session.get(ctx);
  if (!matches || code.accountId === undefined || session.accountId !== code.accountId) {
    throw new AppError('bad_request', 'the authorization code does not match this sign-in');
  }
  return { accountId: code.accountId, returnTo: isReturnPage(page) ? page : 'overview' };
}
