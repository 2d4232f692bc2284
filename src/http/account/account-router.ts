import Router from '@koa/router';
import { finishSignIn } from './account-session.js';
import type { AccountPagesDeps } from './account-pages-deps.js';
import {
  CONTACT_CODE_PATH,
  CONTACT_PATH,
  CONTACT_RESEND_PATH,
  DEPENDANTS_PATH,
  LOCK_PATH,
  OVERVIEW_PATH,
  PASSWORD_PATH,
  RETURN_PAGES,
  SERVICES_PATH,
  SERVICES_REVOKE_PATH,
  SIGN_IN_CALLBACK_PATH,
  UNLOCK_CODE_PATH,
  UNLOCK_PATH,
  UNLOCK_RESEND_PATH,
} from './account-paths.js';
import { contactPages } from './contact-pages.js';
import { dependantsPage } from './dependants-page.js';
import { lockPage } from './lock-page.js';
import { overviewPage } from './overview-page.js';
import { passwordPage } from './password-page.js';
import { servicesPage } from './services-page.js';
import { unlockPages } from './unlock-pages.js';

/**
 * The owner's pages (Decision 34 Art 12.1.dd), one handler per page:
 *
 *   GET        /account                   status, level and how verified, identity data, recent sign-ins, dependants
 *   GET|POST   /account/lock              lock my account, at once (Art 10.1)
 *   GET|POST   /account/unlock            lift my own lock, signed out: login name + password (Art 11.1) ...
 *   GET|POST   /account/unlock/code       ... then a one-time code to the registered contact
 *   POST       /account/unlock/code/resend
 *   GET|POST   /account/password          change password (current one required, other sessions ended)
 *   GET|POST   /account/contact           new phone (?kind=phone) or email (?kind=email) ...
 *   GET|POST   /account/contact/code      ... confirmed by a code sent to it; the previous contact is told
 *   POST       /account/contact/code/resend
 *   GET        /account/services          services connected; POST /account/services/revoke withdraws a consent
 *   GET|POST   /account/dependants        register a dependant (Art 6.2, 6.3)
 *   GET        /account/callback          where the account pages' own sign-in returns
 *
 * Every POST needs the CSRF token. Signed-out visitors are sent through the provider's sign-in (the first-party
 * client `vneid-account`) and brought back to the page; sensitive changes ask for the credentials again when the
 * sign-in is older than `accountPages.reauthenticateAfterMinutes`.
 */
export function createAccountRouter(deps: AccountPagesDeps): Router {
  const router = new Router();
  const post = [deps.formBody, deps.requireCsrf] as const;
  const overview = overviewPage(deps);
  const dependants = dependantsPage(deps);
  const lock = lockPage(deps);
  const unlock = unlockPages(deps);
  const password = passwordPage(deps);
  const contact = contactPages(deps);
  const services = servicesPage(deps);

  router.get(OVERVIEW_PATH, overview);
  router.get(LOCK_PATH, lock.view);
  router.post(LOCK_PATH, ...post, lock.submit);
  router.get(UNLOCK_PATH, unlock.view);
  router.post(UNLOCK_PATH, ...post, unlock.submit);
  router.get(UNLOCK_CODE_PATH, unlock.code.view);
  router.post(UNLOCK_CODE_PATH, ...post, unlock.code.submit);
  router.post(UNLOCK_RESEND_PATH, ...post, unlock.code.resend);
  router.get(PASSWORD_PATH, password.view);
  router.post(PASSWORD_PATH, ...post, password.submit);
  router.get(CONTACT_PATH, contact.view);
  router.post(CONTACT_PATH, ...post, contact.submit);
  router.get(CONTACT_CODE_PATH, contact.code.view);
  router.post(CONTACT_CODE_PATH, ...post, contact.code.submit);
  router.post(CONTACT_RESEND_PATH, ...post, contact.code.resend);
  router.get(SERVICES_PATH, services.view);
  router.post(SERVICES_REVOKE_PATH, ...post, services.revoke);
  router.get(DEPENDANTS_PATH, dependants.view);
  router.post(DEPENDANTS_PATH, ...post, dependants.submit);

  router.get(SIGN_IN_CALLBACK_PATH, async (ctx) => {
    const finished = await finishSignIn(ctx, deps.provider, deps.issuer);
    // Cancelled on the sign-in page: back to where registrations start, signed out.
    ctx.status = 303;
    ctx.redirect(finished === undefined ? '/register' : RETURN_PAGES[finished.returnTo]);
  });

  return router;
}
