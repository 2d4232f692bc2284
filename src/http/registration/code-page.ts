import type { Context } from 'koa';
import { AppError, DependencyUnavailableError } from '../../domain/errors.js';
import type { RegistrationFlowView } from '../../flows/registration/types.js';
import { ActivationCodeForm } from '../dto/registration-code-form.js';
import { ResendCodeForm } from '../dto/registration-resend-form.js';
import { parseBody } from '../dto/parse.js';
import type { FieldProblem, MessageKey } from '../view-models.js';
import { flowForPage, redirectToState, renderEnded } from './flow-guard.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { registrationPages, type RegistrationBase } from './registration-paths.js';

type CodeProblem = FieldProblem<'code' | 'resend'>;

const MINUTE_MS = 60_000;

/** Notices the code page shows after a redirect; the query names one of these, never free text. */
const NOTICES: Record<string, MessageKey> = {
  sent: 'registration.code.notice.sent',
  failed: 'registration.code.notice.deliveryFailed',
  timeout: 'registration.code.notice.passwordTimedOut',
};

function noticeOf(ctx: Context): MessageKey | undefined {
  if (ctx.query.delivery === 'failed') return NOTICES.failed;
  const notice = ctx.query.notice;
  return typeof notice === 'string' ? NOTICES[notice] : undefined;
}

/**
 * Activation, first step (Decision 34 Art 7.1): the 6-digit code sent to the phone or email chosen. A code works 5
 * minutes, once, for 5 wrong tries; new codes are limited. Every count is the service's; the page says what is left.
 */
export function codePage(deps: RegistrationPagesDeps) {
  function show(
    ctx: Context,
    base: RegistrationBase,
    flow: RegistrationFlowView,
    extra: { problems?: CodeProblem[]; notice?: MessageKey },
    status = 200,
  ): void {
    const now = deps.clock.now();
    const pages = registrationPages(base);
    // A refused resend (429) says when the next code may be sent, as every 429 does (issue 6).
    if (status === 429 && flow.nextSendAt !== undefined) ctx.set('Retry-After', String(Math.max(1, Math.ceil((flow.nextSendAt - now) / 1000))));
    deps.render(
      ctx,
      'registration/code',
      {
        action: pages.code,
        resendAction: pages.resend,
        csrfToken: ctx.state.csrfToken,
        channel: flow.channel,
        maskedContact: flow.maskedContact,
        ...(flow.codeExpiresAt !== undefined && flow.codeExpiresAt > now
          ? { codeMinutesLeft: Math.max(1, Math.ceil((flow.codeExpiresAt - now) / MINUTE_MS)) }
          : {}),
        ...(flow.nextSendAt !== undefined ? { resendInMinutes: Math.max(0, Math.ceil((flow.nextSendAt - now) / MINUTE_MS)) } : {}),
        ...(extra.notice ? { notice: extra.notice } : {}),
        problems: extra.problems ?? [],
        startAgainUrl: pages.choose,
      },
      status,
    );
  }

  /** The flow as it stands after a refusal, to show what is left; the refusal itself may have ended it. */
  async function showAgain(
    ctx: Context,
    base: RegistrationBase,
    flowId: string,
    problems: CodeProblem[] | ((flow: RegistrationFlowView) => CodeProblem[]),
    status: number,
  ): Promise<void> {
    const flow = await deps.registration.load(flowId);
    if (!flow) return renderEnded(ctx, deps, base, 'not_found');
    if (flow.state === 'locked') return renderEnded(ctx, deps, base, 'locked');
    if (flow.state !== 'awaiting_code') return redirectToState(ctx, flow);
    show(ctx, base, flow, { problems: typeof problems === 'function' ? problems(flow) : problems }, status);
  }

  async function view(ctx: Context): Promise<void> {
    const page = await flowForPage(ctx, deps, 'awaiting_code');
    if (!page) return;
    const notice = noticeOf(ctx);
    show(ctx, page.base, page.flow, notice ? { notice } : {});
  }

  async function submit(ctx: Context): Promise<void> {
    const page = await flowForPage(ctx, deps, 'awaiting_code');
    if (!page) return;
    const { flow, base } = page;
    const parsed = parseBody(ActivationCodeForm, ctx.request.body);
    if (!parsed.ok && (parsed.fields ?? []).some((field) => field !== 'code')) throw new AppError('bad_request', 'unexpected form field');
    // Typed with spaces or a dash ("123 456") still counts; anything but six digits is not a try.
    const code = parsed.ok ? parsed.value.code.replace(/[\s-]/g, '') : '';
    if (!/^\d{6}$/.test(code)) {
      show(ctx, base, flow, { problems: [{ field: 'code', message: 'registration.problems.code' }] }, 400);
      return;
    }
    const result = await deps.registration.verifyCode(flow.id, code);
    if (result.ok) {
      ctx.status = 303;
      ctx.redirect(registrationPages(base).password);
      return;
    }
    switch (result.error) {
      case 'code_invalid':
        return showAgain(
          ctx,
          base,
          flow.id,
          (after) => [{ field: 'code', message: 'registration.problems.code_invalid', vars: { count: after.codeAttemptsRemaining } }],
          400,
        );
      case 'code_expired':
        return showAgain(ctx, base, flow.id, [{ field: 'code', message: 'registration.problems.code_expired' }], 400);
      case 'registration_locked':
        return renderEnded(ctx, deps, base, 'locked');
      case 'rate_limited':
        throw new AppError('rate_limited');
      case 'flow_not_found':
        return renderEnded(ctx, deps, base, 'not_found');
      case 'invalid_state':
        return showAgain(ctx, base, flow.id, [], 409);
      default: {
        const unexpected: never = result.error;
        throw new Error(`unknown code outcome ${String(unexpected)}`);
      }
    }
  }

  async function resend(ctx: Context): Promise<void> {
    const page = await flowForPage(ctx, deps, 'awaiting_code');
    if (!page) return;
    const { flow, base } = page;
    if (!parseBody(ResendCodeForm, ctx.request.body).ok) throw new AppError('bad_request', 'unexpected form field');
    const result = await deps.registration.sendCode(flow.id);
    if (result.ok) {
      ctx.status = 303;
      ctx.redirect(`${registrationPages(base).code}?notice=sent`);
      return;
    }
    switch (result.error) {
      case 'resend_too_soon':
      case 'send_limit_reached':
        // Limits of this registration, with the time left shown on the page: the person keeps the code form.
        return showAgain(ctx, base, flow.id, [{ field: 'resend', message: `registration.problems.${result.error}` }], 429);
      case 'rate_limited':
        throw new AppError('rate_limited');
      case 'sender_unavailable':
        // Nothing was sent and nothing counted (Art 7 + convention 8): "try again later".
        throw new DependencyUnavailableError('notifications');
      case 'flow_not_found':
        return renderEnded(ctx, deps, base, 'not_found');
      case 'invalid_state':
        return showAgain(ctx, base, flow.id, [], 409);
      default: {
        const unexpected: never = result.error;
        throw new Error(`unknown send outcome ${String(unexpected)}`);
      }
    }
  }

  return { view, submit, resend };
}
