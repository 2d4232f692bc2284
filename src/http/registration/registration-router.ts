import Router from '@koa/router';
import { chooseKindPage } from './choose-kind-page.js';
import { codePage } from './code-page.js';
import { declarationPage } from './declaration-page.js';
import { donePage } from './done-page.js';
import { passwordPage } from './password-page.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { INTERACTION_PREFIX, STANDALONE_PREFIX } from './registration-paths.js';

/**
 * Registration and activation pages (Decision 34 Art 6, 7), one handler per step, as login.gov does it:
 *
 *   GET        <base>                choose: citizen, foreigner (a dependant is registered from /account/dependants)
 *   GET|POST   <base>/citizen        the Art 6.4 declaration of a citizen
 *   GET|POST   <base>/foreigner      the Art 6.4 declaration of a foreigner
 *   GET|POST   <base>/code           the one-time activation code (Art 7.1)
 *   POST       <base>/code/resend    a new code
 *   GET|POST   <base>/password       the password; then the account is active at level 1
 *   GET        <base>/done           confirmation
 *
 * `<base>` is `/register`, or `/interaction/<uid>/register` when started from a relying party's sign-in page, which
 * the password step then completes (registration-paths.ts, relying-party-return.ts). Every POST needs the CSRF token.
 */
export function createRegistrationRouter(deps: RegistrationPagesDeps): Router {
  const router = new Router();
  const choose = chooseKindPage(deps);
  const citizen = declarationPage(deps, 'citizen');
  const foreigner = declarationPage(deps, 'foreigner');
  const code = codePage(deps);
  const password = passwordPage(deps);
  const done = donePage(deps);
  const post = [deps.formBody, deps.requireCsrf] as const;

  for (const base of [STANDALONE_PREFIX, INTERACTION_PREFIX]) {
    router.get(base, choose);
    router.get(`${base}/citizen`, citizen.show);
    router.post(`${base}/citizen`, ...post, citizen.submit);
    router.get(`${base}/foreigner`, foreigner.show);
    router.post(`${base}/foreigner`, ...post, foreigner.submit);
    router.get(`${base}/code`, code.view);
    router.post(`${base}/code`, ...post, code.submit);
    router.post(`${base}/code/resend`, ...post, code.resend);
    router.get(`${base}/password`, password.view);
    router.post(`${base}/password`, ...post, password.submit);
    router.get(`${base}/done`, done);
  }
  return router;
}
