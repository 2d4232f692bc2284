import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { Translate } from '../i18n.js';
import type { FieldProblem } from '../view-models.js';
import type { Level2PagesDeps } from './level2-pages-deps.js';
import { level2Pages, signInPageOf } from './level2-paths.js';
import { level2Visit, type Level2Visit } from './level2-visit.js';

/** The paragraphs of the consent text, in the order shown; the last one is what the checkbox says. */
export const CONSENT_PARAGRAPHS = [
  'level2.consent.purpose',
  'level2.consent.data',
  'level2.consent.retention',
  'level2.consent.alternative',
] as const;
export const CONSENT_STATEMENT = 'level2.consent.statement';

/** The exact text the person agrees to, in their language: recorded (as a digest) with its version and the time. */
export const consentTextOf = (t: Translate): string => [...CONSENT_PARAGRAPHS, CONSENT_STATEMENT].map((key) => t(key)).join('\n\n');

const ALLOWED_FIELDS = new Set(['_csrf', 'accept']);

/**
 * First page (Decision 34 Art 5.1.b + personal-data rules: biometrics only with explicit consent, recorded before any
 * photo): what will happen to the photo, what is kept, the in-person alternative, and the consent checkbox.
 */
export function consentPage(deps: Level2PagesDeps) {
  async function show(ctx: Context, visit: Level2Visit, problems: FieldProblem<'accept'>[], status = 200): Promise<void> {
    const current = await deps.level2.status(visit.account.id);
    deps.render(
      ctx,
      'level2/consent',
      {
        action: level2Pages(visit.base).consent,
        csrfToken: ctx.state.csrfToken,
        paragraphs: [...CONSENT_PARAGRAPHS],
        consentVersion: current?.consentVersion ?? '',
        attemptsLeft: current?.attemptsLeft ?? 0,
        attemptsTotal: deps.settings.attemptsTotal,
        windowHours: Math.round(deps.settings.windowSeconds / 3600),
        ...(visit.clientName !== undefined ? { clientName: visit.clientName } : {}),
        problems,
        exit: visit.exit,
      },
      status,
    );
  }

  /** Where an account with nothing to verify goes: back to the sign-in, or the page saying it is level 2 already. */
  function leave(ctx: Context, visit: Level2Visit): void {
    ctx.status = 303;
    ctx.redirect(visit.base.uid !== undefined ? signInPageOf(visit.base.uid) : `${level2Pages(visit.base).result}?outcome=already_level_2`);
  }

  /** GET <base>: the consent page, or straight on when a current consent is on record. */
  async function start(ctx: Context): Promise<void> {
    const visit = await level2Visit(ctx, deps);
    if (!visit) return;
    const current = await deps.level2.status(visit.account.id);
    if (!current || current.ineligible) return leave(ctx, visit);
    if (current.consentCurrent) {
      ctx.status = 303;
      ctx.redirect(level2Pages(visit.base).photo);
      return;
    }
    await show(ctx, visit, []);
  }

  async function submit(ctx: Context): Promise<void> {
    const visit = await level2Visit(ctx, deps);
    if (!visit) return;
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (Object.keys(body).some((field) => !ALLOWED_FIELDS.has(field))) throw new AppError('bad_request', 'unexpected form field');
    const recorded = await deps.level2.recordConsent(visit.account.id, {
      accepted: body.accept === 'yes',
      text: consentTextOf(ctx.state.t),
      locale: ctx.state.locale,
    });
    if (recorded.ok) {
      ctx.status = 303;
      ctx.redirect(level2Pages(visit.base).photo);
      return;
    }
    if (recorded.error === 'consent_required') {
      await show(ctx, visit, [{ field: 'accept', message: 'level2.consent.problems.required' }], 400);
      return;
    }
    leave(ctx, visit);
  }

  return { start, submit };
}
