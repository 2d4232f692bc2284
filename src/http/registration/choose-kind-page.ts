import type { Context } from 'koa';
import { DEPENDANTS_PATH } from '../account/account-paths.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { baseOf, registrationPages, signInPage, standaloneBase } from './registration-paths.js';
import { clientNameOf, interactionIfStillOpen } from './relying-party-return.js';

/**
 * First page: who is registering. Citizens and foreigners register themselves (Decision 34 Art 6.1); children under
 * 14 and people under guardianship are registered by a parent or guardian from that person's own account (Art 6.2,
 * 6.3), which the page explains and links to.
 */
export function chooseKindPage(deps: RegistrationPagesDeps) {
  return async (ctx: Context): Promise<void> => {
    const base = baseOf(ctx);
    const details = base.uid === undefined ? undefined : await interactionIfStillOpen(ctx, deps.provider, base.uid);
    if (base.uid !== undefined && !details) {
      // The relying party's sign-in is over (expired, finished, another browser's): register on its own.
      ctx.status = 303;
      ctx.redirect(registrationPages(standaloneBase()).choose);
      return;
    }
    deps.render(ctx, 'registration/choose', {
      base: base.path,
      ...(details ? { clientName: await clientNameOf(deps.provider, details) } : {}),
      ...(base.uid !== undefined ? { signInUrl: signInPage(base.uid) } : {}),
      dependantsUrl: DEPENDANTS_PATH,
    });
  };
}
