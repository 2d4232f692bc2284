import Router from '@koa/router';
import { consentPage } from './consent-page.js';
import type { Level2PagesDeps } from './level2-pages-deps.js';
import { LEVEL2_INTERACTION_PREFIX, LEVEL2_STANDALONE_PREFIX } from './level2-paths.js';
import { photoPage } from './photo-page.js';
import { photoUpload } from './photo-upload.js';
import { resultPage } from './result-page.js';

/**
 * The level-2 verification pages (Decision 34 Art 5.1.b), one handler per step:
 *
 *   GET        <base>           consent (recorded first), or on to the photo when a current consent is on record
 *   POST       <base>/consent   record the consent
 *   GET|POST   <base>/photo     the photo: camera or file, one multipart upload (config level2.uploadMaxBytes)
 *   GET        <base>/result    matched / not matched (attempts left) / no attempt left / go to a police counter
 *
 * `<base>` is `/account/level2` (signed-in owner) or `/interaction/<uid>/level2` (a relying party's sign-in asked for
 * level 2; a match there goes back to `/interaction/<uid>`). Every POST needs the CSRF token; the photo's multipart
 * body is parsed (in memory, size-limited) before the token is checked, since the token travels inside it.
 */
export function createLevel2Router(deps: Level2PagesDeps): Router {
  const router = new Router();
  const consent = consentPage(deps);
  const photo = photoPage(deps);
  const result = resultPage(deps);
  const upload = photoUpload(deps.settings.uploadMaxBytes);

  for (const base of [LEVEL2_STANDALONE_PREFIX, LEVEL2_INTERACTION_PREFIX]) {
    router.get(base, consent.start);
    router.post(`${base}/consent`, deps.formBody, deps.requireCsrf, consent.submit);
    router.get(`${base}/photo`, photo.view);
    router.post(`${base}/photo`, upload, deps.requireCsrf, photo.submit);
    router.get(`${base}/result`, result);
  }
  return router;
}
