import type { Context } from 'koa';
import { DEPENDANTS_PATH } from '../account/account-paths.js';
import { flowForPage } from './flow-guard.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { signInPage } from './registration-paths.js';
import { interactionIfStillOpen } from './relying-party-return.js';

/**
 * The account is active at level 1 (Decision 34 Art 5.1.a, 7). The flow cookie is kept until the registration
 * expires, so reloading this page shows it again; the flow id can do nothing more once the flow is completed.
 */
export function donePage(deps: RegistrationPagesDeps) {
  return async (ctx: Context): Promise<void> => {
    const page = await flowForPage(ctx, deps, 'completed');
    if (!page) return;
    const { flow, base } = page;
    if (flow.kind === 'dependant') {
      deps.render(ctx, 'registration/done', { kind: flow.kind, messageKey: 'registration.done.dependantActive', dependantsUrl: DEPENDANTS_PATH });
      return;
    }
    // Under a relying party's sign-in (a reload, the back button): "Continue" only while that sign-in is still open.
    const open = base.uid !== undefined && (await interactionIfStillOpen(ctx, deps.provider, base.uid)) !== undefined;
    deps.render(ctx, 'registration/done', {
      kind: flow.kind,
      messageKey: 'registration.done.active',
      ...(open && base.uid !== undefined ? { continueUrl: signInPage(base.uid) } : {}),
    });
  };
}
