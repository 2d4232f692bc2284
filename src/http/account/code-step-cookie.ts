import type { Context } from 'koa';
import type { CodePurpose } from '../../flows/account/types.js';
import { CONTACT_PATH, UNLOCK_PATH } from './account-paths.js';

/**
 * The id of a one-time-code step (a contact change, an unlock request) lives only in a cookie: signed with the app's
 * cookie keys, HttpOnly, scoped to the step's pages, never in a URL (where Referer headers and logs could carry it).
 */
const COOKIES: Record<CodePurpose, { name: string; path: string }> = {
  contact_change: { name: 'vneid.account-contact', path: CONTACT_PATH },
  unlock: { name: 'vneid.account-unlock', path: UNLOCK_PATH },
};

/** The service's ids are 128-bit base64url values; anything else is ignored without a lookup. */
const STEP_ID = /^[A-Za-z0-9_-]{16,128}$/;

export function readStepId(ctx: Context, purpose: CodePurpose): string | undefined {
  const value = ctx.cookies.get(COOKIES[purpose].name, { signed: true });
  return value && STEP_ID.test(value) ? value : undefined;
}

/** Kept until the step itself expires (`maxAgeMs`, relative so the browser's clock is irrelevant). */
export function writeStepId(ctx: Context, purpose: CodePurpose, stepId: string, maxAgeMs: number): void {
  const { name, path } = COOKIES[purpose];
  ctx.cookies.set(name, stepId, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path, maxAge: Math.max(1000, maxAgeMs), overwrite: true });
}

export function clearStepId(ctx: Context, purpose: CodePurpose): void {
  const { name, path } = COOKIES[purpose];
  ctx.cookies.set(name, null, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path, maxAge: 0, overwrite: true });
}
