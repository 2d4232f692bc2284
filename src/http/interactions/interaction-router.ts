import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { SecondFactorKind } from '../../domain/authentication-methods.js';
import { VERIFICATION_PROMPT } from '../../oidc/assurance-policy.js';
import { consentPage } from './consent-page.js';
import { finishInteraction, loadInteraction } from './interaction-support.js';
import { levelRequiredPage } from './level-required-page.js';
import { passwordPage } from './password-page.js';
import { secondFactorPage } from './second-factor-page.js';
import type { SignInPagesDeps } from './sign-in-pages-deps.js';

export interface InteractionDeps extends SignInPagesDeps {
  formBody: Middleware;
  requireCsrf: Middleware;
}

/**
 * The pages oidc-provider sends the browser to when it needs the person (oidc/assurance-policy.ts decides which):
 *   login               the password page, or, when only the level is missing, the second factor (step-up);
 *   level_verification  a level-1 account asked for level 2: verify now (src/http/level2) or go back (unmet);
 *   consent             which claims the relying party will receive.
 */
export function createInteractionRouter(deps: InteractionDeps): Router {
  const { provider } = deps;
  const router = new Router({ prefix: '/interaction' });
  const password = passwordPage(deps);
  const secondFactor = secondFactorPage(deps);
  const levelRequired = levelRequiredPage(deps);
  const consent = consentPage(deps);
  const guarded = [deps.formBody, deps.requireCsrf] as const;

  router.get('/:uid', async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    const method: SecondFactorKind | undefined = ctx.query.method === 'sms' ? 'sms' : ctx.query.method === 'totp' ? 'totp' : undefined;
    const asked = { ...(method ? { method } : {}), autoSend: true };
    switch (details.prompt.name) {
      case 'login':
        if (!(await secondFactor.showIfPending(ctx, details, asked))) await password.show(ctx, details, {});
        return;
      case VERIFICATION_PROMPT:
        // Back from a level-2 verification that succeeded: only the second factor is missing now.
        if (!(await secondFactor.showIfPending(ctx, details, asked))) await levelRequired.show(ctx, details);
        return;
      default:
        await consent.show(ctx, details);
    }
  });

  router.post('/:uid/login', ...guarded, password.submit);
  router.post('/:uid/second-factor', ...guarded, secondFactor.submit);
  router.post('/:uid/second-factor/send', ...guarded, secondFactor.send);
  router.post('/:uid/unmet', ...guarded, levelRequired.unmet);
  router.post('/:uid/confirm', ...guarded, consent.confirm);

  router.post('/:uid/abort', ...guarded, async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    await finishInteraction(ctx, details, { error: 'access_denied', error_description: 'End-User aborted interaction' }, false);
  });

  return router;
}
