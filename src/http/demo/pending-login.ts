import type { Context } from 'koa';

/**
 * What the demo relying party must remember between sending the browser to the provider and the browser coming back:
 * the state (CSRF), the nonce (ID token replay) and the PKCE verifier. It lives in a short-lived cookie signed with
 * the application keys, so it cannot be forged, and HttpOnly, so page scripts cannot read the verifier.
 */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The level the demo asked for, 1 or 2, to compare with the acr the provider returns. */
  level: 1 | 2;
}

export const PENDING_LOGIN_COOKIE = 'vneid_demo_login';
/** Long enough to sign in and pass level-2 verification, short enough that an abandoned attempt is soon forgotten. */
export const PENDING_LOGIN_MAX_AGE_MS = 15 * 60 * 1000;

function cookieOptions(ctx: Context, path: string) {
  return {
    signed: true,
    httpOnly: true,
    // Lax: the provider sends the browser back with a top-level GET, which must carry the cookie.
    sameSite: 'lax' as const,
    secure: ctx.secure,
    path,
  };
}

export function rememberPendingLogin(ctx: Context, path: string, pending: PendingLogin): void {
  const value = Buffer.from(JSON.stringify(pending), 'utf8').toString('base64url');
  ctx.cookies.set(PENDING_LOGIN_COOKIE, value, { ...cookieOptions(ctx, path), maxAge: PENDING_LOGIN_MAX_AGE_MS });
}

/** The pending login of this browser, or undefined when it is missing, expired or its signature does not verify. */
export function takePendingLogin(ctx: Context, path: string): PendingLogin | undefined {
  const value = ctx.cookies.get(PENDING_LOGIN_COOKIE, { signed: true });
  // One attempt per cookie: a callback consumes it whatever the outcome.
  ctx.cookies.set(PENDING_LOGIN_COOKIE, null, cookieOptions(ctx, path));
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return isPendingLogin(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isPendingLogin(value: unknown): value is PendingLogin {
  if (typeof value !== 'object' || value === null) return false;
  const { state, nonce, codeVerifier, level } = value as Record<string, unknown>;
  return (
    typeof state === 'string' &&
    typeof nonce === 'string' &&
    typeof codeVerifier === 'string' &&
    (level === 1 || level === 2)
  );
}
