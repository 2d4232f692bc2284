import type { Context } from 'koa';
import { AppError, DependencyUnavailableError } from '../../domain/errors.js';
import type { ContactKind } from '../../flows/account/types.js';
import { fail, ok } from '../../shared/result.js';
import { ContactChangeForm } from '../dto/account-contact-form.js';
import { parseBody } from '../dto/parse.js';
import type { FieldProblem, MessageKey } from '../view-models.js';
import { requestContextOf, type AccountPagesDeps } from './account-pages-deps.js';
import { CONTACT_CODE_PATH, CONTACT_PATH, CONTACT_RESEND_PATH, OVERVIEW_PATH } from './account-paths.js';
import { startSignIn } from './account-session.js';
import { codeStepPages } from './code-step-pages.js';
import { writeStepId } from './code-step-cookie.js';
import { requireOwner } from './owner-guard.js';

const kindOf = (value: unknown): ContactKind => (value === 'email' ? 'email' : 'phone');

/**
 * `/account/contact` — the owner replaces the phone number (`?kind=phone`) or email (`?kind=email`) of the account
 * (Decision 34 Art 6.4.e, 12.1). A stale sign-in is asked for again first; the code goes to the new contact, and the
 * previous one is told once it changed (flows/account/contact-change.ts).
 */
export function contactPages(deps: AccountPagesDeps) {
  function show(ctx: Context, kind: ContactKind, current: string | undefined, value: string | undefined, problems: FieldProblem<'value'>[], status = 200): void {
    deps.render(
      ctx,
      'account/contact',
      {
        kind,
        action: CONTACT_PATH,
        csrfToken: ctx.state.csrfToken,
        ...(current ? { current } : {}),
        ...(value !== undefined ? { value } : {}),
        problems,
        backUrl: OVERVIEW_PATH,
      },
      status,
    );
  }

  async function view(ctx: Context): Promise<void> {
    const kind = kindOf(ctx.query.kind);
    const owner = await requireOwner(ctx, deps, kind, { fresh: true });
    if (!owner) return;
    show(ctx, kind, kind === 'phone' ? owner.account.phone : owner.account.email, undefined, []);
  }

  async function submit(ctx: Context): Promise<void> {
    const parsed = parseBody(ContactChangeForm, ctx.request.body);
    if (!parsed.ok) throw new AppError('bad_request', 'unexpected form field');
    const { kind, value } = parsed.value;
    const owner = await requireOwner(ctx, deps, kind, { fresh: true });
    if (!owner) return;
    if (!(await deps.changesPerAccount.consume(owner.account.id))) throw new AppError('rate_limited');
    const current = kind === 'phone' ? owner.account.phone : owner.account.email;
    const refuse = (message: MessageKey) => show(ctx, kind, current, value, [{ field: 'value', message }], 400);
    const started = await deps.self.startContactChange(owner.account.id, { kind, value }, requestContextOf(ctx));
    if (started.ok) {
      writeStepId(ctx, 'contact_change', started.value.id, started.value.expiresAt - deps.clock.now());
      ctx.status = 303;
      ctx.redirect(CONTACT_CODE_PATH);
      return;
    }
    switch (started.error) {
      case 'invalid_phone':
      case 'invalid_email':
        return refuse(`registration.problems.${started.error}`);
      case 'same_contact':
        return refuse('account.contact.problems.same_contact');
      case 'rate_limited':
        throw new AppError('rate_limited');
      case 'sender_unavailable':
        throw new DependencyUnavailableError('notifications');
      case 'account_unavailable':
        return startSignIn(ctx, { issuer: deps.issuer, maxAgeMs: deps.signInMaxAgeMs, returnTo: kind });
      default: {
        const unexpected: never = started.error;
        throw new Error(`unknown contact change outcome ${String(unexpected)}`);
      }
    }
  }

  const code = codeStepPages(deps, {
    purpose: 'contact_change',
    paths: { code: CONTACT_CODE_PATH, resend: CONTACT_RESEND_PATH, startAgain: OVERVIEW_PATH },
    holder: async (ctx) => {
      const owner = await requireOwner(ctx, deps, 'overview');
      return owner ? { accountId: owner.account.id } : undefined;
    },
    confirm: async (ctx, stepId, typed, holder) => {
      if (holder.accountId === undefined) return fail('account_unavailable');
      const changed = await deps.self.confirmContactChange(holder.accountId, stepId, typed);
      if (!changed.ok) return fail(changed.error);
      ctx.status = 303;
      ctx.redirect(`${OVERVIEW_PATH}?notice=${changed.value.kind}`);
      return ok(undefined);
    },
  });

  return { view, submit, code };
}
