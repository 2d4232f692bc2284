import type { Context } from 'koa';

/**
 * The registration flow id lives only in this cookie: signed with the app's cookie keys, HttpOnly, never in a URL
 * (where Referer headers and logs could carry it). Path `/` because the pages run both under `/register` and under
 * `/interaction/<uid>/register`. Without TLS the `__Host-` prefix cannot be used (it requires Secure).
 */
export const FLOW_COOKIE_SECURE = '__Host-vneid.registration';
export const FLOW_COOKIE_PLAIN = 'vneid.registration';

/** The service's ids are 128-bit base64url values; anything else is ignored without a lookup. */
const FLOW_ID = /^[A-Za-z0-9_-]{16,128}$/;

const cookieName = (ctx: Context): string => (ctx.secure ? FLOW_COOKIE_SECURE : FLOW_COOKIE_PLAIN);

export function readFlowId(ctx: Context): string | undefined {
  const value = ctx.cookies.get(cookieName(ctx), { signed: true });
  return value && FLOW_ID.test(value) ? value : undefined;
}

/** Keeps the flow id until the registration itself expires (`maxAgeMs`, relative so the browser's clock is irrelevant). */
export function writeFlowId(ctx: Context, flowId: string, maxAgeMs: number): void {
  ctx.cookies.set(cookieName(ctx), flowId, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/',
    maxAge: Math.max(1000, maxAgeMs),
    overwrite: true,
  });
}

export function clearFlowId(ctx: Context): void {
  ctx.cookies.set(cookieName(ctx), null, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: 0, overwrite: true });
}
