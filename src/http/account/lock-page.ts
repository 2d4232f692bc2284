import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import { addressPrefix } from '../../domain/network-location.js';
import { LockAccountForm } from '../dto/account-lock-form.js';
import { parseBody } from '../dto/parse.js';
import type { AccountPagesDeps } from './account-pages-deps.js';
import { LOCK_PATH, OVERVIEW_PATH, UNLOCK_PATH } from './account-paths.js';
import { lockItem } from './account-presenter.js';
import { requireOwner } from './owner-guard.js';

/**
 * `GET|POST /account/lock` — Decision 34 Art 10.1: the owner locks their own account, at once. No re-authentication
 * and no limit: someone who fears their account is being misused must be able to stop it in one step, and a lock can
 * only protect them (they lift it themselves with their password and a code, Art 11.1). The lock ends every session,
 * this one included, so the page that follows is shown signed out, with the account's status and how to unlock.
 */
export function lockPage(deps: AccountPagesDeps) {
  async function view(ctx: Context): Promise<void> {
    const owner = await requireOwner(ctx, deps, 'lock');
    if (!owner) return;
    deps.render(ctx, 'account/lock', { action: LOCK_PATH, csrfToken: ctx.state.csrfToken, backUrl: OVERVIEW_PATH });
  }

  async function submit(ctx: Context): Promise<void> {
    if (!parseBody(LockAccountForm, ctx.request.body).ok) throw new AppError('bad_request', 'unexpected form field');
    const owner = await requireOwner(ctx, deps, 'lock');
    if (!owner) return;
    const accountId = owner.account.id;
    const prefix = addressPrefix(ctx.ip);
    const locked = await deps.locks.lockOwnAccount({ accountId, locale: ctx.state.locale, ...(prefix ? { location: prefix } : {}) });
    // The account was there a moment ago (requireOwner): gone now is a bug or a race with a deletion.
    if (!locked.ok) throw new AppError('not_found');
    const status = await deps.locks.statusOf(accountId);
    deps.render(ctx, 'account/status', {
      titleKey: 'account.locked.title',
      messageKey: 'account.locked.message',
      role: 'status',
      locks: status.locks.map((lock) => lockItem(lock, ctx.state.locale)),
      unlockUrl: UNLOCK_PATH,
    });
  }

  return { view, submit };
}
