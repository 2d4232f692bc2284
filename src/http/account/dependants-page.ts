import type { Context } from 'koa';
import type { Account } from '../../domain/account.js';
import type { RegistrationApi } from '../../flows/registration/types.js';
import type { Clock } from '../../shared/clock.js';
import { parseBody } from '../dto/parse.js';
import { DependantRegistrationForm } from '../dto/registration-dependant-form.js';
import { birthDateOf, echoFormValues, formProblems, withoutSpaces } from '../registration/form-values.js';
import { standaloneBase } from '../registration/registration-paths.js';
import { respondToStart } from '../registration/respond-to-start.js';
import type { FieldProblem, MessageKey, RegistrationField, RegistrationFormValues } from '../view-models.js';
import type { render } from '../views.js';
import { DEPENDANTS_PATH } from './account-paths.js';
import { requireOwner, type OwnerGuardDeps } from './owner-guard.js';

export interface DependantsPageDeps extends OwnerGuardDeps {
  registration: RegistrationApi;
  clock: Clock;
  render: typeof render;
}

const EMPTY_FORM: RegistrationFormValues = { dependantKind: 'citizen', acceptTerms: false, acceptDataProcessing: false };

/**
 * A parent or guardian registers a child under 14 or a person under guardianship through their own account (Decision
 * 34 Art 6.2, 6.3, 6.4.g). The representative is the signed-in account, never a form field; whether it may register
 * this person (active, level 2, named by the registry as parent or guardian) is the service's decision. Activation
 * then follows the same code and password pages as any registration.
 */
export function dependantsPage(deps: DependantsPageDeps) {
  function show(
    ctx: Context,
    representative: Account,
    form: RegistrationFormValues,
    shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey },
    status = 200,
  ): void {
    deps.render(
      ctx,
      'registration/form',
      {
        kind: 'dependant',
        action: DEPENDANTS_PATH,
        csrfToken: ctx.state.csrfToken,
        problems: shown.problems,
        ...(shown.refusal ? { refusal: shown.refusal } : {}),
        form,
        representative: {
          fullName: representative.identity.fullName,
          hasPhone: representative.phone !== undefined,
          hasEmail: representative.email !== undefined,
        },
      },
      status,
    );
  }

  async function view(ctx: Context): Promise<void> {
    const owner = await requireOwner(ctx, deps, 'dependants');
    if (!owner) return;
    show(ctx, owner.account, EMPTY_FORM, { problems: [] });
  }

  async function submit(ctx: Context): Promise<void> {
    // Signed out meanwhile (expired session, logout in another tab): sign in again, then fill the form again.
    const owner = await requireOwner(ctx, deps, 'dependants');
    if (!owner) return;
    const account = owner.account;
    const body = ctx.request.body as Record<string, unknown>;
    const values = echoFormValues(body);
    const parsed = parseBody(DependantRegistrationForm, body);
    const problems = formProblems(parsed.ok ? [] : (parsed.fields ?? []), values);
    const rerender = async (shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey }, status: number) =>
      show(ctx, account, values, shown, status);
    if (!parsed.ok || problems.length > 0) return rerender({ problems }, 400);
    const form = parsed.value;
    const dependant =
      form.dependantKind === 'citizen'
        ? { kind: 'citizen' as const, idNumber: withoutSpaces(form.idNumber ?? '') }
        : {
            kind: 'foreigner' as const,
            passportNumber: withoutSpaces(form.passportNumber ?? '').toUpperCase(),
            nationality: (form.nationality ?? '').toUpperCase(),
          };
    const phone = form.phone?.trim();
    const email = form.email?.trim();
    const result = await deps.registration.startDependant(
      {
        representativeAccountId: account.id,
        dependant,
        fullName: form.fullName,
        birthDate: birthDateOf(form),
        gender: form.gender,
        channel: form.channel,
        // Left empty, the representative's own contact receives the code (Art 6.4.g names the dependant's data only).
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        consent: { acceptedTerms: form.acceptTerms === 'yes', acceptedDataProcessing: form.acceptDataProcessing === 'yes' },
      },
      { ip: ctx.ip, locale: ctx.state.locale },
    );
    await respondToStart(ctx, deps.clock, standaloneBase(), result, dependant.kind === 'citizen' ? 'idNumber' : 'passportNumber', rerender);
  }

  return { view, submit };
}
