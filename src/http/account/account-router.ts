import Router from '@koa/router';
import type { Middleware } from 'koa';
import { finishSignIn } from './account-session.js';
import { DEPENDANTS_PATH, SIGN_IN_CALLBACK_PATH } from './account-paths.js';
import { dependantsPage, type DependantsPageDeps } from './dependants-page.js';

export interface AccountRouterDeps extends DependantsPageDeps {
  formBody: Middleware;
  requireCsrf: Middleware;
}

/**
 * The owner's signed-in pages, as far as registration needs them: `/account/dependants` (Decision 34 Art 6.2, 6.3)
 * and `/account/callback`, where the account pages' own sign-in returns.
 */
export function createAccountRouter(deps: AccountRouterDeps): Router {
  const router = new Router();
  const dependants = dependantsPage(deps);

  router.get(DEPENDANTS_PATH, dependants.view);
  router.post(DEPENDANTS_PATH, deps.formBody, deps.requireCsrf, dependants.submit);

  router.get(SIGN_IN_CALLBACK_PATH, async (ctx) => {
    const accountId = await finishSignIn(ctx, deps.provider, deps.issuer);
    // Cancelled on the sign-in page: back to where registrations start, signed out.
    ctx.status = 303;
    ctx.redirect(accountId === undefined ? '/register' : DEPENDANTS_PATH);
  });

  return router;
}
