import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { AppError } from '../../domain/errors.js';
import { SCOPE_CLAIMS, type ScopeName } from '../../oidc/claims.js';
import type { render } from '../views.js';
import { clientNameOf, finishInteraction, loadInteraction, type Details } from './interaction-support.js';

/** The consent page: which claims the relying party will receive; the grant is remembered (oidc-provider Grant). */
export function consentPage(deps: { provider: Provider; render: typeof render }) {
  const { provider } = deps;

  async function show(ctx: Context, details: Details): Promise<void> {
    const missingScopes = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    deps.render(ctx, 'interaction/consent', {
      uid: details.uid,
      csrfToken: ctx.state.csrfToken,
      clientName: await clientNameOf(provider, details),
      scopes: missingScopes
        .filter((scope): scope is ScopeName => scope in SCOPE_CLAIMS && scope !== 'openid')
        .map((scope) => ({ name: scope, claims: [...SCOPE_CLAIMS[scope]] })),
    });
  }

  async function confirm(ctx: Context): Promise<void> {
    const details = await loadInteraction(provider, ctx);
    if (details.prompt.name !== 'consent' || !details.session) throw new AppError('bad_request', 'no consent pending');
    const { accountId } = details.session;
    const clientId = String(details.params.client_id);
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const promptDetails = details.prompt.details;
    const missingScope = promptDetails.missingOIDCScope as string[] | undefined;
    const missingClaims = promptDetails.missingOIDCClaims as string[] | undefined;
    const missingResourceScopes = promptDetails.missingResourceScopes as Record<string, string[]> | undefined;
    if (missingScope) grant.addOIDCScope(missingScope.join(' '));
    if (missingClaims) grant.addOIDCClaims(missingClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await finishInteraction(ctx, details, { consent: { grantId } }, true);
  }

  return { show, confirm };
}
