import type { Context } from 'koa';
import { AppError, DependencyUnavailableError } from '../../domain/errors.js';
import type { LoginName, OwnerRequestContext } from '../../flows/account/types.js';
import { fail, ok } from '../../shared/result.js';
import { UnlockForm } from '../dto/account-unlock-form.js';
import { parseBody } from '../dto/parse.js';
import type { FieldProblem, MessageKey } from '../view-models.js';
import { requestContextOf, type AccountPagesDeps } from './account-pages-deps.js';
import { OVERVIEW_PATH, UNLOCK_CODE_PATH, UNLOCK_PATH, UNLOCK_RESEND_PATH } from './account-paths.js';
import { lockItem } from './account-presenter.js';
import type { AccountUnlockViewModel, UnlockField } from './account-view-models.js';
import { codeStepPages } from './code-step-pages.js';
import { writeStepId } from './code-step-cookie.js';

const EMPTY_FORM: AccountUnlockViewModel['form'] = { kind: 'citizen', channel: 'sms' };

/**
 * `/account/unlock` — Decision 34 Art 11.1: the owner lifts their own lock. A locked account cannot sign in, so these
 * pages work signed out: the login name and password, then a one-time code to the registered phone or email
 * (flows/account/owner-unlock.ts). Afterwards the page says whether the account is usable again, or which locks
 * remain and who lifts them.
 */
export function unlockPages(deps: AccountPagesDeps) {
  function show(ctx: Context, form: AccountUnlockViewModel['form'], shown: { problems: FieldProblem<UnlockField>[]; refusal?: MessageKey }, status = 200) {
    deps.render(ctx, 'account/unlock', { action: UNLOCK_PATH, csrfToken: ctx.state.csrfToken, ...shown, form }, status);
  }

  function status(ctx: Context, shown: { titleKey: MessageKey; messageKey: MessageKey; role: 'status' | 'alert' }, lockStatus: Awaited<ReturnType<AccountPagesDeps['locks']['statusOf']>>, usable: boolean): void {
    deps.render(ctx, 'account/status', {
      ...shown,
      locks: lockStatus.locks.map((lock) => lockItem(lock, ctx.state.locale)),
      ...(usable ? { signInUrl: OVERVIEW_PATH } : {}),
    });
  }

  async function view(ctx: Context): Promise<void> {
    show(ctx, EMPTY_FORM, { problems: [] });
  }

  async function submit(ctx: Context): Promise<void> {
    const body = ctx.request.body as Record<string, unknown>;
    const text = (name: string, max: number): string | undefined => (typeof body[name] === 'string' ? body[name].slice(0, max) : undefined);
    const echoed: AccountUnlockViewModel['form'] = {
      kind: body.kind === 'foreigner' ? 'foreigner' : 'citizen',
      idNumber: text('idNumber', 12),
      passportNumber: text('passportNumber', 20),
      nationality: text('nationality', 3),
      channel: body.channel === 'email' ? 'email' : 'sms',
    };
    const parsed = parseBody(UnlockForm, body);
    if (!parsed.ok) {
      const fields = (parsed.fields ?? []).filter((field): field is UnlockField => ['kind', 'idNumber', 'passportNumber', 'nationality', 'password', 'channel'].includes(field));
      if (fields.length === 0 || (parsed.fields ?? []).some((field) => !fields.includes(field as UnlockField) && field !== '_csrf')) {
        throw new AppError('bad_request', 'unexpected form field');
      }
      return show(ctx, echoed, { problems: fields.map((field) => ({ field, message: `account.unlock.problems.${field}` })) }, 400);
    }
    const form = parsed.value;
    const login: LoginName =
      form.kind === 'citizen'
        ? { kind: 'citizen', idNumber: form.idNumber ?? '' }
        : { kind: 'foreigner', passportNumber: (form.passportNumber ?? '').toUpperCase(), nationality: (form.nationality ?? '').toUpperCase() };
    const started = await deps.self.startUnlock({ login, password: form.password, channel: form.channel }, requestContextOf(ctx));
    if (!started.ok) {
      switch (started.error) {
        case 'invalid_credentials':
          return show(ctx, echoed, { problems: [], refusal: 'account.unlock.refusal.invalid_credentials' }, 401);
        case 'contact_missing':
          return show(ctx, echoed, { problems: [], refusal: 'account.unlock.refusal.contact_missing' }, 422);
        case 'rate_limited':
          throw new AppError('rate_limited');
        case 'sender_unavailable':
          throw new DependencyUnavailableError('notifications');
        default: {
          const unexpected: never = started.error;
          throw new Error(`unknown unlock outcome ${String(unexpected)}`);
        }
      }
    }
    const outcome = started.value;
    if (outcome.kind === 'nothing_to_lift') {
      const locked = outcome.lockStatus.locked;
      return status(
        ctx,
        locked
          ? { titleKey: 'account.unlock.othersOnly.title', messageKey: 'account.unlock.othersOnly.message', role: 'alert' }
          : { titleKey: 'account.unlock.notLocked.title', messageKey: 'account.unlock.notLocked.message', role: 'status' },
        outcome.lockStatus,
        !locked,
      );
    }
    writeStepId(ctx, 'unlock', outcome.flow.id, outcome.flow.expiresAt - deps.clock.now());
    ctx.status = 303;
    ctx.redirect(UNLOCK_CODE_PATH);
  }

  const code = codeStepPages(deps, {
    purpose: 'unlock',
    paths: { code: UNLOCK_CODE_PATH, resend: UNLOCK_RESEND_PATH, startAgain: UNLOCK_PATH },
    // Whoever holds the step's cookie: it was issued only after the password matched.
    holder: async () => ({}),
    confirm: async (ctx, stepId, typed) => {
      const context: OwnerRequestContext = requestContextOf(ctx);
      const done = await deps.self.confirmUnlock(stepId, typed, context);
      if (!done.ok) return fail(done.error);
      const { accountUsable, lockStatus } = done.value;
      status(
        ctx,
        accountUsable
          ? { titleKey: 'account.unlock.done.title', messageKey: 'account.unlock.done.message', role: 'status' }
          : { titleKey: 'account.unlock.stillLocked.title', messageKey: 'account.unlock.stillLocked.message', role: 'alert' },
        lockStatus,
        accountUsable,
      );
      return ok(undefined);
    },
  });

  return { view, submit, code };
}
