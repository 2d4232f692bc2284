import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { AppError } from '../../domain/errors.js';
import '../request-state.js';

/**
 * Stateless synchronizer tokens. Each browser gets a random value in an HttpOnly cookie; the token forms carry is
 * HMAC(key, value). A cross-site page can neither read the cookie nor compute the HMAC, so it cannot forge a post;
 * nothing is stored server-side, so Redis being down does not break the check.
 */

/** Without TLS the `__Host-` prefix cannot be used (it requires Secure), so development uses a plain name. */
export const CSRF_COOKIE_SECURE = '__Host-vneid.csrf';
export const CSRF_COOKIE_PLAIN = 'vneid.csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Separates this use of the cookie keys from their other uses (oidc-provider signs its cookies with them). */
const CONTEXT = 'vn-eid csrf v1\0';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  /** Config `keys.cookieKeys`, newest first: tokens are made with the first and accepted from any (rotation). */
  keys: readonly string[];
}

const cookieName = (ctx: Context): string => (ctx.secure ? CSRF_COOKIE_SECURE : CSRF_COOKIE_PLAIN);

const tokenFor = (key: string, cookieValue: string): string =>
  createHmac('sha256', key).update(CONTEXT + cookieValue).digest('base64url');

function assertKeys(keys: readonly string[]): void {
  if (keys.length === 0 || keys.some((key) => key.length === 0)) {
    throw new Error('csrf: at least one non-empty key is required (config keys.cookieKeys)');
  }
}

/**
 * Exposes `ctx.state.csrfToken` for the pages that render forms. The cookie is created the first time a handler reads
 * the token, so API and provider requests passing through never get one.
 */
export function csrfToken(options: CsrfOptions): Middleware {
  assertKeys(options.keys);
  const [signingKey] = options.keys as [string, ...string[]];
  return async (ctx, next) => {
    let token: string | undefined;
    Object.defineProperty(ctx.state, 'csrfToken', {
      configurable: true,
      enumerable: true,
      get: () => (token ??= tokenFor(signingKey, ensureCookie(ctx))),
    });
    await next();
  };
}

function ensureCookie(ctx: Context): string {
  const existing = ctx.cookies.get(cookieName(ctx));
  if (existing && COOKIE_VALUE.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  ctx.cookies.set(cookieName(ctx), value, {
    httpOnly: true,
    // Lax: sent on the top-level POST of our own forms, not on cross-site subrequests.
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/',
    signed: false,
    overwrite: true,
  });
  return value;
}

/**
 * Refuses an unsafe request (POST, ...) unless it carries a valid token in the `_csrf` form field or the
 * X-CSRF-Token header. Mount after the body parser. The `_csrf` field stays in the body (form DTOs declare it).
 * Failure -> AppError('csrf_failed') (403 page).
 */
export function requireCsrf(options: CsrfOptions): Middleware {
  assertKeys(options.keys);
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method)) return next();
    const cookieValue = ctx.cookies.get(cookieName(ctx));
    const presented = presentedToken(ctx);
    if (!cookieValue || !COOKIE_VALUE.test(cookieValue) || !presented || !matchesAnyKey(options.keys, cookieValue, presented)) {
      throw new AppError('csrf_failed');
    }
    return next();
  };
}

function presentedToken(ctx: Context): string | undefined {
  const body: unknown = ctx.request.body;
  if (typeof body === 'object' && body !== null && CSRF_FIELD in body) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    if (typeof value === 'string' && value !== '') return value;
  }
  const header = ctx.get(CSRF_HEADER);
  return header === '' ? undefined : header;
}

function matchesAnyKey(keys: readonly string[], cookieValue: string, presented: string): boolean {
  const given = Buffer.from(presented);
  let matched = false;
  // Every key is tried (no early exit), so timing does not tell which key, if any, matched.
  for (const key of keys) {
    const expected = Buffer.from(tokenFor(key, cookieValue));
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
