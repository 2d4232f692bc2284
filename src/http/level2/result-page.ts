import type { Context } from 'koa';
import type { Level2Status } from '../../flows/level2/types.js';
import type { Level2PagesDeps } from './level2-pages-deps.js';
import { level2Pages } from './level2-paths.js';
import type { Level2ResultKind, Level2ResultViewModel } from './level2-view-models.js';
import { level2Visit, type Level2Visit } from './level2-visit.js';

/** Times are shown as people in Vietnam read them, whatever the server's time zone. */
const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export function formatWhen(epochMs: number, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: VIETNAM_TIME_ZONE,
  }).format(new Date(epochMs));
}

export function renderResult(
  ctx: Context,
  deps: Pick<Level2PagesDeps, 'render'>,
  visit: Level2Visit,
  model: Omit<Level2ResultViewModel, 'exit'>,
  status = 200,
): void {
  deps.render(ctx, 'level2/result', { ...model, exit: visit.exit }, status);
}

/** The outcomes the photo page redirects to; the query only picks the message, the facts come from the account. */
const OUTCOMES = new Set<string>(['matched', 'already_level_2', 'not_matched', 'attempts_exhausted', 'reference_unavailable']);

/**
 * After an attempt (Post/Redirect/Get, so a reload never sends the photo again): level 2 reached, not matched with the
 * attempts left, no attempt left until a given time, or no usable portrait at the registry (go to a police counter).
 */
export function resultPage(deps: Level2PagesDeps) {
  return async (ctx: Context): Promise<void> => {
    const visit = await level2Visit(ctx, deps);
    if (!visit) return;
    const outcome = typeof ctx.query.outcome === 'string' && OUTCOMES.has(ctx.query.outcome) ? ctx.query.outcome : undefined;
    const current = await deps.level2.status(visit.account.id);
    const pages = level2Pages(visit.base);
    if (!current || outcome === undefined) {
      ctx.status = 303;
      ctx.redirect(pages.start);
      return;
    }
    const model = modelOf(ctx, visit, current, outcome as Level2ResultKind);
    if (!model) {
      // Nothing left to report (attempts freed meanwhile, another tab moved on): back to where the person stands.
      ctx.status = 303;
      ctx.redirect(pages.start);
      return;
    }
    renderResult(ctx, deps, visit, model);
  };

  function modelOf(
    ctx: Context,
    visit: Level2Visit,
    current: Level2Status,
    outcome: Level2ResultKind,
  ): Omit<Level2ResultViewModel, 'exit'> | undefined {
    const locale: string = ctx.state.locale;
    const pages = level2Pages(visit.base);
    if (current.level === 2) {
      const verification = current.verification;
      return {
        kind: outcome === 'matched' ? 'matched' : 'already_level_2',
        ...(verification ? { verifiedWith: verification.method, verifiedOn: formatWhen(verification.at, locale) } : {}),
      };
    }
    if (outcome === 'reference_unavailable') return { kind: 'reference_unavailable' };
    if (current.attemptsLeft === 0) {
      return {
        kind: 'attempts_exhausted',
        attemptsLeft: 0,
        ...(current.nextAttemptAt !== undefined ? { nextAttemptAt: formatWhen(current.nextAttemptAt, locale) } : {}),
      };
    }
    if (outcome === 'not_matched') return { kind: 'not_matched', attemptsLeft: current.attemptsLeft, retryUrl: pages.photo };
    return undefined;
  }
}
