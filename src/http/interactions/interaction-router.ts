import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { loginKeyOf } from '../../domain/account.js';
import { AppError } from '../../domain/errors.js';
import { acrForLevel, type AcrNames } from '../../domain/levels.js';
import type { PasswordSignIn } from '../../flows/password-sign-in.js';
import { SCOPE_CLAIMS, type ScopeName } from '../../oidc/claims.js';
import { LoginForm } from '../dto/login-form.js';
import { parseBody } from '../dto/parse.js';

export interface InteractionDeps {
  provider: Provider;
  signIn: PasswordSignIn;
  acrNames: AcrNames;
  render: (ctx: Context, template: string, model: object, status?: number) => void;
  formBody: Middleware;
  requireCsrf: Middleware;
  onLogin: (outcome: 'success' | 'invalid_credentials' | 'invalid_input') => void;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The pages oidc-provider sends the browser to when it needs the user: sign-in and consent. */
export function createInteractionRouter(deps: InteractionDeps): Router {
  const { provider, render } = deps;
  const router = new Router({ prefix: '/interaction' });

  /** The interaction named in the URL must be the one bound to this browser's interaction cookie. */
  async function loadInteraction(ctx: Context): Promise<Details> {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== ctx.params.uid) throw new AppError('bad_request', 'interaction mismatch');
    return details;
  }

  async function clientName(details: Details): Promise<string> {
    const client = await provider.Client.find(String(details.params.client_id));
    return client?.clientName ?? String(details.params.client_id);
  }

  async function finish(ctx: Context, result: InteractionResults, merge: boolean): Promise<void> {
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    // 303 so the browser follows with GET after our form POST.
    ctx.status = 303;
    ctx.redirect(redirectTo);
  }

  async function renderLogin(ctx: Context, details: Details, extra: { error?: string; form?: Partial<LoginForm> }, status = 200) {
    const requested = String(details.params.acr_values ?? '').split(' ');
    render(
      ctx,
      'interaction/login',
      {
        uid: details.uid,
        csrfToken: ctx.state.csrfToken,
        clientName: await clientName(details),
        requestedLevel: requested.includes(deps.acrNames[1]) ? 2 : 1,
        error: extra.error,
        form: {
          kind: extra.form?.kind ?? 'citizen',
          idNumber: extra.form?.idNumber,
          passportNumber: extra.form?.passportNumber,
          nationality: extra.form?.nationality,
        },
      },
      status,
    );
  }

  router.get('/:uid', async (ctx) => {
    const details = await loadInteraction(ctx);
    if (details.prompt.name === 'login') {
      await renderLogin(ctx, details, {});
      return;
    }
    const missingScopes = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
    render(ctx, 'interaction/consent', {
      uid: details.uid,
      csrfToken: ctx.state.csrfToken,
      clientName: await clientName(details),
      scopes: missingScopes
        .filter((scope): scope is ScopeName => scope in SCOPE_CLAIMS && scope !== 'openid')
        .map((scope) => ({ name: scope, claims: [...SCOPE_CLAIMS[scope]] })),
    });
  });

  router.post('/:uid/login', deps.formBody, deps.requireCsrf, async (ctx) => {
    const details = await loadInteraction(ctx);
    if (details.prompt.name !== 'login') throw new AppError('bad_request', 'no sign-in pending');
    const body = ctx.request.body as Record<string, unknown>;
    const parsed = parseBody(LoginForm, body);
    const echoed: Partial<LoginForm> = {
      kind: body.kind === 'foreigner' ? 'foreigner' : 'citizen',
      idNumber: typeof body.idNumber === 'string' ? body.idNumber.slice(0, 12) : undefined,
      passportNumber: typeof body.passportNumber === 'string' ? body.passportNumber.slice(0, 20) : undefined,
      nationality: typeof body.nationality === 'string' ? body.nationality.slice(0, 3) : undefined,
    };
    if (!parsed.ok) {
      deps.onLogin('invalid_input');
      await renderLogin(ctx, details, { error: 'login.invalid_input', form: echoed }, 400);
      return;
    }
    const form = parsed.value;
    const outcome = await deps.signIn.verify(loginKeyOf(form), form.password);
    if (!outcome.ok) {
      deps.onLogin('invalid_credentials');
      await renderLogin(ctx, details, { error: 'login.invalid_credentials', form: echoed }, 401);
      return;
    }
    deps.onLogin('success');
    // A password alone achieves level 1, whatever the account's level (Decision 34 Art 5.1).
    await finish(
      ctx,
      { login: { accountId: outcome.value.id, acr: acrForLevel(1, deps.acrNames), amr: ['pwd'], remember: true } },
      false,
    );
  });

  router.post('/:uid/confirm', deps.formBody, deps.requireCsrf, async (ctx) => {
    const details = await loadInteraction(ctx);
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
    await finish(ctx, { consent: { grantId } }, true);
  });

  router.post('/:uid/abort', deps.formBody, deps.requireCsrf, async (ctx) => {
    await loadInteraction(ctx);
    await finish(ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
  });

  return router;
}
