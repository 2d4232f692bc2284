import type { Context } from 'koa';
import { AppError, DependencyUnavailableError } from '../../domain/errors.js';
import type { CodeFlowView, CodePurpose, VerifyCodeError } from '../../flows/account/types.js';
import type { Result } from '../../shared/result.js';
import { parseBody } from '../dto/parse.js';
import { ActivationCodeForm } from '../dto/registration-code-form.js';
import { ResendCodeForm } from '../dto/registration-resend-form.js';
import type { FieldProblem, MessageKey } from '../view-models.js';
import type { AccountPagesDeps } from './account-pages-deps.js';
import { clearStepId, readStepId } from './code-step-cookie.js';

type CodeProblem = FieldProblem<'code' | 'resend'>;

const MINUTE_MS = 60_000;

/** Who the step belongs to: the signed-in owner (contact change), or whoever holds the step's cookie (unlock). */
export interface StepHolder {
  accountId?: string;
}

export interface CodeStepPagesOptions {
  purpose: CodePurpose;
  paths: { code: string; resend: string; startAgain: string };
  /** The holder of the step, or undefined once the response is written (sent to sign in). */
  holder(ctx: Context): Promise<StepHolder | undefined>;
  /**
   * Makes the change the code confirms and writes the response on success; returns the refusal otherwise
   * (`account_unavailable`: the account can no longer be changed, the holder must sign in again).
   */
  confirm(ctx: Context, stepId: string, code: string, holder: StepHolder): Promise<Result<void, VerifyCodeError | 'account_unavailable'>>;
}

/**
 * The one-time-code page of the owner's code steps (a new phone or email, lifting one's own lock): the code rules
 * are the activation code's (6 digits, 5 minutes, 5 tries, resends limited), and so is the page.
 */
export function codeStepPages(deps: AccountPagesDeps, options: CodeStepPagesOptions) {
  const { purpose, paths } = options;

  function show(ctx: Context, step: CodeFlowView, extra: { problems?: CodeProblem[]; notice?: MessageKey }, status = 200): void {
    const now = deps.clock.now();
    // A refused resend (429) says when the next code may be sent, as every 429 does (issue 6).
    if (status === 429 && step.nextSendAt !== undefined) ctx.set('Retry-After', String(Math.max(1, Math.ceil((step.nextSendAt - now) / 1000))));
    deps.render(
      ctx,
      'account/code',
      {
        purpose,
        action: paths.code,
        resendAction: paths.resend,
        csrfToken: ctx.state.csrfToken,
        channel: step.channel,
        maskedContact: step.maskedContact,
        ...(step.codeExpiresAt !== undefined && step.codeExpiresAt > now
          ? { codeMinutesLeft: Math.max(1, Math.ceil((step.codeExpiresAt - now) / MINUTE_MS)) }
          : {}),
        ...(step.nextSendAt !== undefined ? { resendInMinutes: Math.max(0, Math.ceil((step.nextSendAt - now) / MINUTE_MS)) } : {}),
        ...(extra.notice ? { notice: extra.notice } : {}),
        problems: extra.problems ?? [],
        startAgainUrl: paths.startAgain,
      },
      status,
    );
  }

  function ended(ctx: Context, reason: 'not_found' | 'locked'): void {
    clearStepId(ctx, purpose);
    deps.render(
      ctx,
      'registration/ended',
      {
        titleKey: `account.code.ended.${reason}.title`,
        messageKey: `account.code.ended.${reason}.message.${purpose}`,
        startAgainUrl: paths.startAgain,
      },
      reason === 'locked' ? 403 : 410,
    );
  }

  /** The step of this browser, still awaiting its code; otherwise the response is written and undefined returned. */
  async function currentStep(ctx: Context): Promise<{ step: CodeFlowView; holder: StepHolder } | undefined> {
    const holder = await options.holder(ctx);
    if (!holder) return undefined;
    const stepId = readStepId(ctx, purpose);
    const step = stepId === undefined ? undefined : await deps.self.loadCodeFlow(stepId, { purpose, ...holder });
    if (!step || step.state === 'completed') {
      ended(ctx, 'not_found');
      return undefined;
    }
    if (step.state === 'locked') {
      ended(ctx, 'locked');
      return undefined;
    }
    return { step, holder };
  }

  async function showAgain(ctx: Context, stepId: string, holder: StepHolder, problems: CodeProblem[] | ((step: CodeFlowView) => CodeProblem[]), status: number) {
    const step = await deps.self.loadCodeFlow(stepId, { purpose, ...holder });
    if (!step || step.state === 'completed') return ended(ctx, 'not_found');
    if (step.state === 'locked') return ended(ctx, 'locked');
    show(ctx, step, { problems: typeof problems === 'function' ? problems(step) : problems }, status);
  }

  async function view(ctx: Context): Promise<void> {
    const current = await currentStep(ctx);
    if (!current) return;
    show(ctx, current.step, ctx.query.notice === 'sent' ? { notice: 'account.code.notice.sent' } : {});
  }

  async function submit(ctx: Context): Promise<void> {
    const current = await currentStep(ctx);
    if (!current) return;
    const { step, holder } = current;
    const parsed = parseBody(ActivationCodeForm, ctx.request.body);
    if (!parsed.ok && (parsed.fields ?? []).some((field) => field !== 'code')) throw new AppError('bad_request', 'unexpected form field');
    const code = parsed.ok ? parsed.value.code.replace(/[\s-]/g, '') : '';
    if (!/^\d{6}$/.test(code)) return show(ctx, step, { problems: [{ field: 'code', message: 'registration.problems.code' }] }, 400);
    const result = await options.confirm(ctx, step.id, code, holder);
    if (result.ok) {
      clearStepId(ctx, purpose);
      return;
    }
    switch (result.error) {
      case 'code_invalid':
        return showAgain(
          ctx,
          step.id,
          holder,
          (after) => [{ field: 'code', message: 'registration.problems.code_invalid', vars: { count: after.codeAttemptsRemaining } }],
          400,
        );
      case 'code_expired':
        return showAgain(ctx, step.id, holder, [{ field: 'code', message: 'registration.problems.code_expired' }], 400);
      case 'flow_locked':
        return ended(ctx, 'locked');
      case 'rate_limited':
        throw new AppError('rate_limited');
      case 'flow_not_found':
      case 'invalid_state':
      case 'account_unavailable':
        return ended(ctx, 'not_found');
      default: {
        const unexpected: never = result.error;
        throw new Error(`unknown code outcome ${String(unexpected)}`);
      }
    }
  }

  async function resend(ctx: Context): Promise<void> {
    const current = await currentStep(ctx);
    if (!current) return;
    const { step, holder } = current;
    if (!parseBody(ResendCodeForm, ctx.request.body).ok) throw new AppError('bad_request', 'unexpected form field');
    const result = await deps.self.resendCode(step.id, { purpose, ...holder });
    if (result.ok) {
      ctx.status = 303;
      ctx.redirect(`${paths.code}?notice=sent`);
      return;
    }
    switch (result.error) {
      case 'resend_too_soon':
      case 'send_limit_reached':
        return showAgain(ctx, step.id, holder, [{ field: 'resend', message: `registration.problems.${result.error}` }], 429);
      case 'rate_limited':
        throw new AppError('rate_limited');
      case 'sender_unavailable':
        throw new DependencyUnavailableError('notifications');
      case 'flow_not_found':
      case 'invalid_state':
        return ended(ctx, 'not_found');
      default: {
        const unexpected: never = result.error;
        throw new Error(`unknown send outcome ${String(unexpected)}`);
      }
    }
  }

  return { view, submit, resend };
}
