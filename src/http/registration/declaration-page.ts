import type { Context } from 'koa';
import { parseBody } from '../dto/parse.js';
import { CitizenRegistrationForm } from '../dto/registration-citizen-form.js';
import { ForeignerRegistrationForm } from '../dto/registration-foreigner-form.js';
import type { FieldProblem, MessageKey, RegistrationField, RegistrationFormValues } from '../view-models.js';
import { birthDateOf, echoFormValues, formProblems, withoutSpaces } from './form-values.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { baseOf, registrationPages, type RegistrationBase } from './registration-paths.js';
import { clientNameOf, interactionOf } from './relying-party-return.js';
import { respondToStart } from './respond-to-start.js';

type SelfKind = 'citizen' | 'foreigner';

const EMPTY_FORM: RegistrationFormValues = { acceptTerms: false, acceptDataProcessing: false };

/**
 * The declaration of a person registering themselves (Decision 34 Art 6.1, 6.4.a–e): identification number (citizen)
 * or passport + nationality (foreigner), full name, date of birth, gender, phone, email, where the code goes, and the
 * two consents. The registry is asked only once the form is complete.
 */
export function declarationPage(deps: RegistrationPagesDeps, kind: SelfKind) {
  async function show(
    ctx: Context,
    base: RegistrationBase,
    form: RegistrationFormValues,
    shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey },
    status = 200,
  ): Promise<void> {
    const details = base.uid === undefined ? undefined : await interactionOf(ctx, deps.provider, base.uid);
    const pages = registrationPages(base);
    deps.render(
      ctx,
      'registration/form',
      {
        kind,
        action: pages[kind],
        csrfToken: ctx.state.csrfToken,
        backUrl: pages.choose,
        ...(details ? { clientName: await clientNameOf(deps.provider, details) } : {}),
        problems: shown.problems,
        ...(shown.refusal ? { refusal: shown.refusal } : {}),
        form,
      },
      status,
    );
  }

  async function showEmpty(ctx: Context): Promise<void> {
    await show(ctx, baseOf(ctx), EMPTY_FORM, { problems: [] });
  }

  async function submit(ctx: Context): Promise<void> {
    const base = baseOf(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    const values = echoFormValues(body);
    // Checked before the service is called: a relying party's sign-in that has gone is a 400 like the sign-in page's.
    if (base.uid !== undefined) await interactionOf(ctx, deps.provider, base.uid);
    const context = { ip: ctx.ip, locale: ctx.state.locale };
    const common = (form: CitizenRegistrationForm | ForeignerRegistrationForm) => ({
      fullName: form.fullName,
      birthDate: birthDateOf(form),
      gender: form.gender,
      channel: form.channel,
      phone: form.phone,
      email: form.email,
      consent: { acceptedTerms: form.acceptTerms === 'yes', acceptedDataProcessing: form.acceptDataProcessing === 'yes' },
      ...(base.uid !== undefined ? { interactionUid: base.uid } : {}),
    });
    const rerender = (shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey }, status: number) =>
      show(ctx, base, values, shown, status);

    if (kind === 'citizen') {
      const parsed = parseBody(CitizenRegistrationForm, body);
      const problems = formProblems(parsed.ok ? [] : (parsed.fields ?? []), values);
      if (!parsed.ok || problems.length > 0) return rerender({ problems }, 400);
      const form = parsed.value;
      const result = await deps.registration.startCitizen({ ...common(form), idNumber: withoutSpaces(form.idNumber) }, context);
      return respondToStart(ctx, deps.clock, base, result, 'idNumber', rerender);
    }
    const parsed = parseBody(ForeignerRegistrationForm, body);
    const problems = formProblems(parsed.ok ? [] : (parsed.fields ?? []), values);
    if (!parsed.ok || problems.length > 0) return rerender({ problems }, 400);
    const form = parsed.value;
    const result = await deps.registration.startForeigner(
      {
        ...common(form),
        passportNumber: withoutSpaces(form.passportNumber).toUpperCase(),
        nationality: form.nationality.toUpperCase(),
      },
      context,
    );
    return respondToStart(ctx, deps.clock, base, result, 'passportNumber', rerender);
  }

  return { show: showEmpty, submit };
}
