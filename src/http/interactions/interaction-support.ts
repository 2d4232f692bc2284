import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AppError } from '../../domain/errors.js';

/** What oidc-provider stored about the sign-in in progress (prompt, reasons, params, the session's account). */
export type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The pages of one interaction live under its path, so oidc-provider's interaction cookie (that path) comes along. */
export const interactionPath = (uid: string): string => `/interaction/${encodeURIComponent(uid)}`;

/** The interaction named in the URL must be the one bound to this browser's interaction cookie. */
export async function loadInteraction(provider: Provider, ctx: Context): Promise<Details> {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== ctx.params.uid) throw new AppError('bad_request', 'interaction mismatch');
  return details;
}

/** The relying party's display name, for "continue to <name>". */
export async function clientNameOf(provider: Provider, details: Details): Promise<string> {
  const client = await provider.Client.find(String(details.params.client_id));
  return client?.clientName ?? String(details.params.client_id);
}

/**
 * Hands the outcome to oidc-provider and sends the browser back to it; 303 so our form POST becomes a GET. Saves the
 * interaction this request loaded with loadInteraction, as provider.interactionResult does (result, merged with the
 * last submission when asked, kept until the interaction's own expiry) without looking the interaction and its session
 * up a second time: one Redis read fewer on every sign-in and consent. The resume endpoint checks both again anyway.
 */
export async function finishInteraction(ctx: Context, details: Details, result: InteractionResults, merge: boolean): Promise<void> {
  details.result = merge && !('error' in result) ? { ...details.lastSubmission, ...result } : result;
  // oidc-provider measures its models' lifetimes on the system clock, so the remaining time is taken on it too.
  await details.save(details.exp - Math.floor(Date.now() / 1000));
  ctx.status = 303;
  ctx.redirect(details.returnTo);
}

/** Tells browsers and scripts how long to wait (RFC 9110 10.2.3), next to the page that says it in words. */
export function setRetryAfter(ctx: Context, seconds: number | undefined): void {
  if (seconds !== undefined && seconds > 0) ctx.set('Retry-After', String(Math.ceil(seconds)));
}

/** The account id of the session the interaction was started in, when there was one. */
export const sessionAccountIdOf = (details: Details): string | undefined => details.session?.accountId;

/** The level the policy asked for (assurance-policy.ts puts it in the prompt's details). */
export function requiredLevelOf(details: Details): 1 | 2 {
  return details.prompt.details.requiredLevel === 2 ? 2 : 1;
}
