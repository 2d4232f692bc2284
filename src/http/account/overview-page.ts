import type { Context } from 'koa';
import type { MessageKey } from '../view-models.js';
import type { AccountPagesDeps } from './account-pages-deps.js';
import { ACCOUNT_PAGES_CLIENT_ID } from './account-pages-client.js';
import { CONTACT_PATH, DEPENDANTS_PATH, LOCK_PATH, PASSWORD_PATH, SERVICES_PATH } from './account-paths.js';
import { dependantItem, identityOf, lockItem, signInItem } from './account-presenter.js';
import { clientNames } from './client-names.js';
import { requireOwner } from './owner-guard.js';

/** Notices the overview shows after a change; the query names one of these, never free text. */
const NOTICES: Record<string, MessageKey> = {
  password: 'account.notice.passwordChanged',
  phone: 'account.notice.phoneChanged',
  email: 'account.notice.emailChanged',
};

/**
 * `GET /account` — Decision 34 Art 12.1.dd: the owner is informed of the operation status of the account (active, or
 * locked with each reason and how to lift it), its level and how it was verified, the identity data as held, where it
 * was used lately (time, service, level, coarse location), and the people registered through it (Art 6.2, 6.3).
 */
export function overviewPage(deps: AccountPagesDeps) {
  return async (ctx: Context): Promise<void> => {
    const owner = await requireOwner(ctx, deps, 'overview');
    if (!owner) return;
    const overview = await deps.self.overview(owner.account.id);
    if (!overview) throw new Error('signed-in account vanished');
    const locale = ctx.state.locale;
    const names = await clientNames(deps.provider, overview.recentSignIns.flatMap((signIn) => (signIn.clientId ? [signIn.clientId] : [])));
    const notice = typeof ctx.query.notice === 'string' ? NOTICES[ctx.query.notice] : undefined;
    deps.render(ctx, 'account/overview', {
      ...(notice ? { notice } : {}),
      locked: overview.lockStatus.locked,
      locks: overview.lockStatus.locks.map((lock) => lockItem(lock, locale)),
      ...identityOf(overview.account, locale, ctx.state.t('login.statelessNationality')),
      signIns: overview.recentSignIns.map((signIn) => signInItem(signIn, locale, names)),
      dependants: overview.dependants.map(dependantItem),
      links: {
        lock: LOCK_PATH,
        password: PASSWORD_PATH,
        phone: `${CONTACT_PATH}?kind=phone`,
        email: `${CONTACT_PATH}?kind=email`,
        ...(deps.consents ? { services: SERVICES_PATH } : {}),
        dependants: DEPENDANTS_PATH,
        ...(deps.links.level2 && overview.account.level < 2 ? { level2: deps.links.level2 } : {}),
        ...(deps.links.authenticator ? { authenticator: deps.links.authenticator } : {}),
        // RP-initiated logout of the account pages' own client: the provider asks to confirm, then signs out.
        signOut: `/session/end?client_id=${ACCOUNT_PAGES_CLIENT_ID}`,
      },
    });
  };
}
