import type { Context } from 'koa';
import { parseBody } from '../dto/parse.js';
import { CitizenRegistrationForm } from '../dto/registration-citizen-form.js';
import { ForeignerRegistrationForm } from '../dto/registration-foreigner-form.js';
import type { FieldProblem, MessageKey, RegistrationField, RegistrationFormValues } from '../view-models.js';
import { birthDateOf, echoFormValues, formProblems, withoutSpaces } from './form-values.js';
import type { RegistrationPagesDeps } from './registration-pages-deps.js';
import { baseOf, registrationPages, standaloneBase, type RegistrationBase } from './registration-paths.js';
import { clientNameOf, interactionIfStillOpen } from './relying-party-return.js';
import { respondToStart } from './respond-to-start.js';

type SelfKind = 'citizen' | 'foreigner';

const EMPTY_FORM: RegistrationFormValues = { acceptTerms: false, acceptDataProcessing: false };

/**
 * The declaration of a person registering themselves (Decision 34 Art 6.1, 6.4.a–e): identification number (citizen)
 * or passport + nationality (foreigner), full name, date of birth, gender, phone, email, where the code goes, and the
 * two consents. The registry is asked only once the form is complete.
 */
export function declarationPage(deps: RegistrationPagesDeps, kind: SelfKind) {
  /**
   * The base the registration runs under: the relying party's sign-in while it is still open in this browser; once it
   * is over (expired, finished, another browser's), the registration simply goes on by itself.
   */
  async function currentBase(ctx: Context): Promise<{ base: RegistrationBase; clientName?: string }> {
    const base = baseOf(ctx);
    if (base.uid === undefined) return { base };
    const details = await interactionIfStillOpen(ctx, deps.provider, base.uid);
    return details ? { base, clientName: await clientNameOf(deps.provider, details) } : { base: standaloneBase() };
  }

  function show(
    ctx: Context,
    current: { base: RegistrationBase; clientName?: string },
    form: RegistrationFormValues,
    shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey },
    status = 200,
  ): void {
    const pages = registrationPages(current.base);
    deps.render(
      ctx,
      'registration/form',
      {
        kind,
        action: pages[kind],
        csrfToken: ctx.state.csrfToken,
        backUrl: pages.choose,
        ...(current.clientName !== undefined ? { clientName: current.clientName } : {}),
        problems: shown.problems,
        ...(shown.refusal ? { refusal: shown.refusal } : {}),
        form,
      },
      status,
    );
  }

  async function showEmpty(ctx: Context): Promise<void> {
    const current = await currentBase(ctx);
    if (current.base.path !== baseOf(ctx).path) {
      ctx.status = 303;
      ctx.redirect(registrationPages(current.base)[kind]);
      return;
    }
    show(ctx, current, EMPTY_FORM, { problems: [] });
  }

  async function submit(ctx: Context): Promise<void> {
    const current = await currentBase(ctx);
    const { base } = current;
    const body = ctx.request.body as Record<string, unknown>;
    const values = echoFormValues(body);
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
    const rerender = async (shown: { problems: FieldProblem<RegistrationField>[]; refusal?: MessageKey }, status: number) =>
      show(ctx, current, values, shown, status);

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
