import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import { RevokeConsentForm } from '../dto/account-revoke-form.js';
import { parseBody } from '../dto/parse.js';
import type { AccountPagesDeps } from './account-pages-deps.js';
import { ACCOUNT_PAGES_CLIENT_ID } from './account-pages-client.js';
import { OVERVIEW_PATH, SERVICES_PATH, SERVICES_REVOKE_PATH } from './account-paths.js';
import { clientNames } from './client-names.js';
import { requireOwner } from './owner-guard.js';

/**
 * `GET /account/services`, `POST /account/services/revoke` — the relying parties the owner agreed to share data with,
 * and the withdrawal of that consent (flows/consent): its grants and every token issued under them stop working at
 * once, and the next sign-in to that service asks for consent again. The account pages' own client is not listed:
 * it shares nothing.
 */
export function servicesPage(deps: AccountPagesDeps) {
  async function view(ctx: Context): Promise<void> {
    const consents = deps.consents;
    if (!consents) throw new AppError('not_found');
    const owner = await requireOwner(ctx, deps, 'services');
    if (!owner) return;
    const clientIds = (await consents.connectedServices(owner.account.id)).filter((clientId) => clientId !== ACCOUNT_PAGES_CLIENT_ID);
    const names = await clientNames(deps.provider, clientIds);
    deps.render(ctx, 'account/services', {
      ...(ctx.query.notice === 'revoked' ? { notice: 'account.services.notice.revoked' } : {}),
      services: clientIds.map((clientId) => ({ clientId, name: names.get(clientId) ?? clientId })),
      revokeAction: SERVICES_REVOKE_PATH,
      csrfToken: ctx.state.csrfToken,
      backUrl: OVERVIEW_PATH,
    });
  }

  async function revoke(ctx: Context): Promise<void> {
    const consents = deps.consents;
    if (!consents) throw new AppError('not_found');
    const parsed = parseBody(RevokeConsentForm, ctx.request.body);
    if (!parsed.ok) throw new AppError('bad_request', 'unexpected form field');
    const owner = await requireOwner(ctx, deps, 'services');
    if (!owner) return;
    if (!(await deps.changesPerAccount.consume(owner.account.id))) throw new AppError('rate_limited');
    if (parsed.value.clientId !== ACCOUNT_PAGES_CLIENT_ID) await consents.revokeConsent(owner.account.id, parsed.value.clientId);
    ctx.status = 303;
    ctx.redirect(`${SERVICES_PATH}?notice=revoked`);
  }

  return { view, revoke };
}
