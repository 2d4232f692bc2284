import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import { VERIFICATION_PROMPT } from '../../oidc/assurance-policy.js';
import type { SignInPagesDeps } from './sign-in-pages-deps.js';
import { clientNameOf, finishInteraction, loadInteraction, type Details } from './interaction-support.js';
import type { LevelRequiredViewModel } from './sign-in-view-models.js';

/**
 * A relying party asked for level 2 and the signed-in account is level 1 (Decision 34 Art 5.2: the service user chooses
 * the level). The person may verify their identity right now (src/http/level2, which comes back to this interaction)
 * or go back to the service, which then receives `unmet_authentication_requirements`.
 */
export function levelRequiredPage(deps: SignInPagesDeps) {
  async function show(ctx: Context, details: Details): Promise<void> {
    const model: LevelRequiredViewModel = {
      uid: details.uid,
      csrfToken: ctx.state.csrfToken,
      clientName: await clientNameOf(deps.provider, details),
      titleKey: 'signIn.levelRequired.title',
      messageKey: 'signIn.levelRequired.message',
      backKey: 'signIn.levelRequired.back',
      verifyUrl: deps.levelTwoVerificationPath(details.uid),
    };
    deps.render(ctx, 'interaction/level-required', model, 200);
  }

  /** "Return to the service": the level cannot be met, so the relying party is told so (OIDC Core 3.1.2.6). */
  async function unmet(ctx: Context): Promise<void> {
    const details = await loadInteraction(deps.provider, ctx);
    if (details.prompt.name !== VERIFICATION_PROMPT && details.prompt.name !== 'login') {
      throw new AppError('bad_request', 'no sign-in pending');
    }
    deps.onLogin('insufficient_level');
    await finishInteraction(
      ctx,
      details,
      { error: 'unmet_authentication_requirements', error_description: 'the account cannot sign in at the requested level' },
      false,
    );
  }

  return { show, unmet };
}
