import type { Context } from 'koa';
import type { Account } from '../../domain/account.js';
import { AppError } from '../../domain/errors.js';
import { ownerSession, startSignIn } from '../account/account-session.js';
import type { InteractionDetails, Level2PagesDeps } from './level2-pages-deps.js';
import { level2BaseOf, signInPageOf, type Level2Base } from './level2-paths.js';
import type { Level2Exit } from './level2-view-models.js';

/** Who is being verified, on which base, and where they go when they stop. */
export interface Level2Visit {
  base: Level2Base;
  account: Account;
  exit: Level2Exit;
  /** During a relying party's sign-in: its name, for the pages' wording. */
  clientName?: string;
}

const defaultInteractionAccount = async (_ctx: Context, details: InteractionDetails): Promise<string | undefined> =>
  details.session?.accountId;

async function clientNameOf(deps: Level2PagesDeps, details: InteractionDetails): Promise<string> {
  const clientId = String(details.params.client_id);
  const name: unknown = (await deps.provider.Client.find(clientId))?.clientName;
  return typeof name === 'string' && name !== '' ? name : clientId;
}

/**
 * The account the page works for, or undefined once the response is set (sent to sign in, or back to the sign-in page).
 *   /account/level2               the signed-in owner (the provider's session); signed out -> the provider's sign-in,
 *                                 which returns here.
 *   /interaction/<uid>/level2     the account that proved its password in that sign-in; the interaction must be this
 *                                 browser's (its cookie, path /interaction/<uid>).
 * A locked account (Decision 34 Art 10) or one not active is never verified: it is sent back to sign in, which refuses it.
 */
export async function level2Visit(ctx: Context, deps: Level2PagesDeps): Promise<Level2Visit | undefined> {
  const base = level2BaseOf(ctx);
  const usable = async (accountId: string | undefined): Promise<Account | undefined> => {
    if (accountId === undefined) return undefined;
    const account = await deps.accounts.findById(accountId);
    if (account?.status !== 'active') return undefined;
    return deps.lockStatus && (await deps.lockStatus.isLocked(account.id)) ? undefined : account;
  };

  if (base.uid === undefined) {
    const account = await usable((await ownerSession(ctx, deps.provider, deps.accounts))?.account.id);
    if (!account) {
      startSignIn(ctx, { issuer: deps.issuer, maxAgeMs: deps.signInMaxAgeMs, returnTo: 'verify' });
      return undefined;
    }
    return { base, account, exit: { href: '/account', labelKey: 'level2.exit.account' } };
  }

  const details = await deps.provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== base.uid) throw new AppError('bad_request', 'interaction mismatch');
  const account = await usable(await (deps.interactionAccount ?? defaultInteractionAccount)(ctx, details));
  if (!account) {
    ctx.status = 303;
    ctx.redirect(signInPageOf(base.uid));
    return undefined;
  }
  return {
    base,
    account,
    exit: { href: signInPageOf(base.uid), labelKey: 'level2.exit.signIn' },
    clientName: await clientNameOf(deps, details),
  };
}
