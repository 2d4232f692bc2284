import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { FieldProblem } from '../view-models.js';
import type { Level2PagesDeps } from './level2-pages-deps.js';
import { level2Pages, signInPageOf } from './level2-paths.js';
import { renderResult } from './result-page.js';
import { level2Visit, type Level2Visit } from './level2-visit.js';
import { isJpegOrPng, PHOTO_FIELD, uploadedPhoto } from './photo-upload.js';

type PhotoProblem = FieldProblem<'photo'>;

const ALLOWED_FIELDS = new Set(['_csrf']);
/** How long a person is told to wait while the registry or the matcher is down. */
const RETRY_AFTER_SECONDS = 60;

/**
 * Second page: the photo. With JavaScript, static/level2-camera.js offers the camera (getUserMedia), draws one frame
 * to a canvas at most 1280 px wide or high and puts it in the file field; without it, the file field itself opens the
 * front camera on phones (`capture="user"`) or a file chooser. Either way one multipart POST of one JPEG or PNG.
 */
export function photoPage(deps: Level2PagesDeps) {
  function show(ctx: Context, visit: Level2Visit, attemptsLeft: number, problems: PhotoProblem[], status = 200): void {
    deps.render(
      ctx,
      'level2/photo',
      {
        action: level2Pages(visit.base).photo,
        csrfToken: ctx.state.csrfToken,
        attemptsLeft,
        windowHours: Math.round(deps.settings.windowSeconds / 3600),
        maxMegabytes: Math.floor(deps.settings.uploadMaxBytes / (1024 * 1024)),
        problems,
        exit: visit.exit,
      },
      status,
    );
  }

  function goTo(ctx: Context, location: string): void {
    ctx.status = 303;
    ctx.redirect(location);
  }

  async function view(ctx: Context): Promise<void> {
    const visit = await level2Visit(ctx, deps);
    if (!visit) return;
    const current = await deps.level2.status(visit.account.id);
    const pages = level2Pages(visit.base);
    if (!current || current.ineligible || !current.consentCurrent) return goTo(ctx, pages.start);
    if (current.attemptsLeft === 0) return goTo(ctx, `${pages.result}?outcome=attempts_exhausted`);
    show(ctx, visit, current.attemptsLeft, []);
  }

  async function submit(ctx: Context): Promise<void> {
    const photo = uploadedPhoto(ctx);
    try {
      const visit = await level2Visit(ctx, deps);
      if (!visit) return;
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      if (Object.keys(body).some((field) => !ALLOWED_FIELDS.has(field))) throw new AppError('bad_request', 'unexpected form field');
      const pages = level2Pages(visit.base);
      const problem = (message: string): Promise<void> => showAgain(ctx, visit, [{ field: PHOTO_FIELD, message }], 400);
      if (!photo) return await problem('level2.photo.problems.missing');
      if (!isJpegOrPng(photo)) return await problem('level2.photo.problems.format');

      const outcome = await deps.level2.verifyPortrait(visit.account.id, photo);
      if (outcome.ok) {
        const attempt = outcome.value;
        switch (attempt.kind) {
          case 'matched':
            // During a sign-in: back to its page, which now asks only for what is still missing (the second factor).
            return goTo(ctx, visit.base.uid !== undefined ? signInPageOf(visit.base.uid) : `${pages.result}?outcome=matched`);
          case 'not_matched':
            return goTo(ctx, `${pages.result}?outcome=not_matched`);
          case 'retake':
            return await showAgain(ctx, visit, [{ field: PHOTO_FIELD, message: `level2.photo.problems.${attempt.reason}` }], 422);
          default: {
            const unexpected: never = attempt;
            throw new Error(`unknown portrait attempt ${String(unexpected)}`);
          }
        }
      }
      switch (outcome.error) {
        case 'consent_required':
          return goTo(ctx, pages.start);
        case 'already_level_2':
          return goTo(ctx, visit.base.uid !== undefined ? signInPageOf(visit.base.uid) : `${pages.result}?outcome=already_level_2`);
        case 'attempts_exhausted':
        case 'photo_rejections_exhausted':
          return goTo(ctx, `${pages.result}?outcome=attempts_exhausted`);
        case 'reference_unavailable':
          return goTo(ctx, `${pages.result}?outcome=reference_unavailable`);
        case 'unavailable':
          // Fail closed: nothing was compared and no attempt was used; "try again later".
          ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
          return renderResult(ctx, deps, visit, { kind: 'unavailable', retryUrl: pages.photo }, 503);
        case 'account_not_found':
        case 'not_active':
          throw new AppError('forbidden');
        default: {
          const unexpected: never = outcome.error;
          throw new Error(`unknown portrait refusal ${String(unexpected)}`);
        }
      }
    } finally {
      // Whatever happened (signed out meanwhile, a refusal before the comparison, an error), the photo goes now.
      photo?.fill(0);
    }
  }

  async function showAgain(ctx: Context, visit: Level2Visit, problems: PhotoProblem[], status: number): Promise<void> {
    const current = await deps.level2.status(visit.account.id);
    show(ctx, visit, current?.attemptsLeft ?? 0, problems, status);
  }

  return { view, submit };
}
