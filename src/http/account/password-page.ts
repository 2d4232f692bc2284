import type { Context } from 'koa';
import { AppError } from '../../domain/errors.js';
import type { ChangePasswordError } from '../../flows/account/types.js';
import { ChangePasswordForm } from '../dto/account-password-form.js';
import { parseBody } from '../dto/parse.js';
import type { FieldProblem } from '../view-models.js';
import { requestContextOf, type AccountPagesDeps } from './account-pages-deps.js';
import { OVERVIEW_PATH, PASSWORD_PATH } from './account-paths.js';
import { requireOwner } from './owner-guard.js';
import { startSignIn } from './account-session.js';

type PasswordField = 'currentPassword' | 'newPassword' | 'newPasswordConfirm';

/** Where each refusal of the service is shown: the current password's, or the new one's. */
function problemOf(error: Exclude<ChangePasswordError, 'rate_limited' | 'account_unavailable'>): FieldProblem<PasswordField> {
  if (error === 'current_password_wrong') return { field: 'currentPassword', message: 'account.password.problems.current_password_wrong' };
  if (error === 'new_password_unchanged') return { field: 'newPassword', message: 'account.password.problems.new_password_unchanged' };
  return { field: 'newPassword', message: `registration.problems.${error}` };
}

/**
 * `GET|POST /account/password` — the owner changes the password (Decision 34 Art 12.1). A sign-in older than
 * `accountPages.reauthenticateAfterMinutes` is asked for again first, the current password is required in any case,
 * and every other session of the account is then ended (flows/account/password-change.ts).
 */
export function passwordPage(deps: AccountPagesDeps) {
  function show(ctx: Context, problems: FieldProblem<PasswordField>[], status = 200): void {
    deps.render(
      ctx,
      'account/password',
      {
        action: PASSWORD_PATH,
        csrfToken: ctx.state.csrfToken,
        minLength: deps.passwordPolicy.minLength,
        maxLength: deps.passwordPolicy.maxLength,
        problems,
        backUrl: OVERVIEW_PATH,
      },
      status,
    );
  }

  async function view(ctx: Context): Promise<void> {
    if (!(await requireOwner(ctx, deps, 'password', { fresh: true }))) return;
    show(ctx, []);
  }

  async function submit(ctx: Context): Promise<void> {
    const parsed = parseBody(ChangePasswordForm, ctx.request.body);
    if (!parsed.ok) throw new AppError('bad_request', 'unexpected form field');
    const owner = await requireOwner(ctx, deps, 'password', { fresh: true });
    if (!owner) return;
    if (!(await deps.changesPerAccount.consume(owner.account.id))) throw new AppError('rate_limited');
    const form = parsed.value;
    const problems: FieldProblem<PasswordField>[] = [];
    if (form.currentPassword === '') problems.push({ field: 'currentPassword', message: 'account.password.problems.current_password_required' });
    if (form.newPassword === '') problems.push({ field: 'newPassword', message: 'registration.problems.password_required' });
    else if (form.newPassword !== form.newPasswordConfirm) {
      problems.push({ field: 'newPasswordConfirm', message: 'registration.problems.password_mismatch' });
    }
    if (problems.length > 0) return show(ctx, problems, 400);

    const changed = await deps.self.changePassword(
      owner.account.id,
      { currentPassword: form.currentPassword, newPassword: form.newPassword, keepSessionId: owner.sessionId },
      requestContextOf(ctx),
    );
    if (changed.ok) {
      ctx.status = 303;
      ctx.redirect(`${OVERVIEW_PATH}?notice=password`);
      return;
    }
    switch (changed.error) {
      case 'rate_limited':
        throw new AppError('rate_limited');
      case 'account_unavailable':
        return startSignIn(ctx, { issuer: deps.issuer, maxAgeMs: deps.signInMaxAgeMs, returnTo: 'password' });
      default: {
        const problem = problemOf(changed.error);
        return show(ctx, [{ ...problem, vars: { minLength: deps.passwordPolicy.minLength, maxLength: deps.passwordPolicy.maxLength } }], 400);
      }
    }
  }

  return { view, submit };
}
