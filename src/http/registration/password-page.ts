import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { RegistrationCompleted } from '../../flows/registration/types.js';
import { ChoosePasswordForm } from '../dto/registration-password-form.js';
import { parseBody } from '../dto/parse.js';
import type { FieldProblem } from '../view-models.js';
import { flowForPage, redirectToState, renderEnded } from './flow-guard.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { registrationPages, signInPage, type RegistrationBase } from './registration-paths.js';
import { returnToRelyingParty } from './relying-party-return.js';

type PasswordProblem = FieldProblem<'password' | 'passwordConfirm'>;

/**
 * Activation, second step (Decision 34 Art 7): the registrant chooses a password, typed twice; the service applies
 * the policy (8–64 characters, common passwords and the person's own data refused, no composition rules) and
 * activates the account at level 1. Started from a relying party's sign-in, that sign-in is then completed.
 */
export function passwordPage(deps: RegistrationPagesDeps) {
  function show(ctx: Context, base: RegistrationBase, problems: PasswordProblem[], status = 200): void {
    deps.render(
      ctx,
      'registration/password',
      {
        action: registrationPages(base).password,
        csrfToken: ctx.state.csrfToken,
        minLength: deps.passwordPolicy.minLength,
        maxLength: deps.passwordPolicy.maxLength,
        problems,
      },
      status,
    );
  }

  async function view(ctx: Context): Promise<void> {
    const page = await flowForPage(ctx, deps, 'awaiting_password');
    if (!page) return;
    show(ctx, page.base, []);
  }

  async function complete(ctx: Context, base: RegistrationBase, completed: RegistrationCompleted): Promise<void> {
    if (base.uid === undefined) {
      ctx.status = 303;
      ctx.redirect(registrationPages(base).done);
      return;
    }
    const outcome = await returnToRelyingParty(ctx, deps, base.uid, completed.accountId);
    if (outcome.kind === 'finished') return;
    deps.render(ctx, 'registration/done', {
      kind: completed.flow.kind,
      ...(outcome.kind === 'level_two_required'
        ? { messageKey: 'registration.done.levelTwoRequired', clientName: outcome.clientName, continueUrl: signInPage(base.uid) }
        : { messageKey: 'registration.done.signInExpired' }),
    });
  }

  async function submit(ctx: Context): Promise<void> {
    const page = await flowForPage(ctx, deps, 'awaiting_password');
    if (!page) return;
    const { flow, base } = page;
    const parsed = parseBody(ChoosePasswordForm, ctx.request.body);
    if (!parsed.ok) throw new AppError('bad_request', 'unexpected form field');
    const { password, passwordConfirm } = parsed.value;
    if (password === '') return show(ctx, base, [{ field: 'password', message: 'registration.problems.password_required' }], 400);
    if (password !== passwordConfirm) {
      return show(ctx, base, [{ field: 'passwordConfirm', message: 'registration.problems.password_mismatch' }], 400);
    }
    const result = await deps.registration.setPassword(flow.id, password);
    if (result.ok) return complete(ctx, base, result.value);
    switch (result.error) {
      case 'password_too_short':
      case 'password_too_long':
      case 'password_too_common':
      case 'password_is_personal_data':
        return show(ctx, base, [{ field: 'password', message: `registration.problems.${result.error}`, vars: deps.passwordPolicy }], 400);
      case 'flow_not_found':
        return renderEnded(ctx, deps, base, 'not_found');
      case 'invalid_state': {
        // Usually the time to choose a password ran out: a new code is needed (the code page says so).
        const now = await deps.registration.load(flow.id);
        if (!now) return renderEnded(ctx, deps, base, 'not_found');
        if (now.state === 'locked') return renderEnded(ctx, deps, base, 'locked');
        return redirectToState(ctx, now, now.state === 'awaiting_code' ? '?notice=timeout' : '');
      }
      default: {
        const unexpected: never = result.error;
        throw new Error(`unknown password outcome ${String(unexpected)}`);
      }
    }
  }

  return { view, submit };
}
