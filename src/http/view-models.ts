import type { IdentityKind } from '../domain/account.js';
import type { AssuranceLevel } from '../domain/levels.js';
import type { Level2ConsentViewModel, Level2PhotoViewModel, Level2ResultViewModel } from './level2/level2-view-models.js';

/**
 * The plain objects each page is rendered from. Handlers build them; templates only read them. Every string is
 * escaped by the template engine, so values may come straight from user input or client metadata. Text shown to
 * people is never passed in: models carry message keys from views/locales/*.json instead.
 */

/** A key of views/locales/{vi,en}.json, e.g. `login.invalid_credentials`. */
export type MessageKey = string;

/** What the person typed, echoed back after a failed attempt. The password is never echoed. */
export interface LoginFormValues {
  kind: IdentityKind;
  /** Citizen: 12-digit personal identification number (Decision 34 Art 4.1.a). */
  idNumber?: string;
  /** Foreigner: passport or international travel document number (Decision 34 Art 4.2.a). */
  passportNumber?: string;
  /** Foreigner: nationality, ISO 3166-1 alpha-3 (Decision 34 Art 4.2.dd). */
  nationality?: string;
}

export type LoginField = 'idNumber' | 'passportNumber' | 'nationality' | 'password';

/** `interaction/login` — posts `kind`, `idNumber` | `passportNumber` + `nationality`, `password`, `_csrf`. */
export interface LoginViewModel {
  uid: string;
  csrfToken: string;
  clientName: string;
  /** The level the relying party asked for (Decision 34 Art 5.2); 2 shows a notice before the form. */
  requestedLevel?: AssuranceLevel;
  /** Message key of the problem to show in the error summary. */
  error?: MessageKey;
  /** Values for the message, e.g. the seconds to wait (`signIn.wait`). */
  errorVars?: Record<string, string | number>;
  /** Field the error summary links to; by default the identifying field of the chosen kind. */
  errorField?: LoginField;
  /** Where the owner of a login name whose password sign-in was disabled chooses a new password. */
  recoveryUrl?: string;
  form: LoginFormValues;
}

export interface ConsentScope {
  /** Scope name; shown through `scopes.<name>` when the catalogue has it, else as is. */
  name: string;
  /** Claim names; each shown through `claims.<name>` when the catalogue has it, else as is. */
  claims: string[];
}

/** `interaction/consent` — approve posts to /interaction/<uid>/confirm, deny to /interaction/<uid>/abort. */
export interface ConsentViewModel {
  uid: string;
  csrfToken: string;
  clientName: string;
  scopes: ConsentScope[];
}

/** `errors/error` — a human page; never a stack trace or an internal message. */
export interface ErrorViewModel {
  status: number;
  titleKey: MessageKey;
  messageKey: MessageKey;
  /** True when trying again later may help (503, 429): the page says so. */
  retry?: boolean;
  /** Where "try again" leads; only set for GET requests, because a POST cannot be repeated by a link. */
  retryUrl?: string;
  requestId: string;
  /** The OAuth error of a provider refusal, for the relying party's developer (protocol text, no personal data). */
  protocolError?: { error: string; description?: string };
}

/**
 * `interaction/logout` — RP-initiated logout confirmation. `form` is oidc-provider's hidden form (it carries the
 * provider's own xsrf value), inserted unescaped; the buttons submit it through their `form` attribute.
 */
export interface LogoutViewModel {
  form: string;
  clientName?: string;
}

/** `interaction/logged-out` — shown after an RP-initiated logout without a post_logout_redirect_uri. */
export interface LoggedOutViewModel {
  clientName?: string;
}

// --- registration and activation (views/registration/*, Decision 34 Art 6, 7) ------------------------------------------

/** A problem shown next to one field and in the error summary, which links to `#<field>`. */
export interface FieldProblem<F extends string = string> {
  field: F;
  message: MessageKey;
  /** Values for the message, e.g. the tries left. */
  vars?: Record<string, string | number>;
}

export type RegistrationPageKind = 'citizen' | 'foreigner' | 'dependant';

export type RegistrationField =
  | 'dependantKind'
  | 'idNumber'
  | 'passportNumber'
  | 'nationality'
  | 'fullName'
  | 'birthDay'
  | 'gender'
  | 'phone'
  | 'email'
  | 'channel'
  | 'consent';

/** What the person typed, echoed back after a refusal. Always strings, as typed. */
export interface RegistrationFormValues {
  /** Dependant form: whether the dependant is a citizen or a foreigner. */
  dependantKind?: 'citizen' | 'foreigner';
  idNumber?: string;
  passportNumber?: string;
  nationality?: string;
  fullName?: string;
  birthDay?: string;
  birthMonth?: string;
  birthYear?: string;
  gender?: 'male' | 'female';
  phone?: string;
  email?: string;
  channel?: 'sms' | 'email';
  acceptTerms: boolean;
  acceptDataProcessing: boolean;
}

/** `registration/choose` — who is registering; links to the form of each kind. */
export interface RegistrationChooseViewModel {
  /** `/register`, or `/interaction/<uid>/register` when started from a relying party's sign-in. */
  base: string;
  /** The relying party the person returns to once the account is active. */
  clientName?: string;
  /** Back to the sign-in page the registration was started from. */
  signInUrl?: string;
  /** The signed-in page where parents and guardians register a dependant (Art 6.2, 6.3). */
  dependantsUrl: string;
}

/** `registration/form` — the Art 6.4 declaration of a citizen, a foreigner, or (from the account page) a dependant. */
export interface RegistrationFormViewModel {
  kind: RegistrationPageKind;
  action: string;
  csrfToken: string;
  /** The page before (the choice of kind); none on the account page. */
  backUrl?: string;
  clientName?: string;
  problems: FieldProblem<RegistrationField>[];
  /** A refusal decided after the registry was asked (no match, account exists, not eligible...): not tied to a field. */
  refusal?: MessageKey;
  form: RegistrationFormValues;
  /** Dependant form: the signed-in parent or guardian (Art 6.2, 6.3). */
  representative?: { fullName: string; hasPhone: boolean; hasEmail: boolean };
  /** Dependant form: RP-initiated logout of the account pages' session. */
  signOutUrl?: string;
}

/** `registration/code` — enter the one-time activation code (Art 7.1), or ask for a new one. */
export interface RegistrationCodeViewModel {
  action: string;
  resendAction: string;
  csrfToken: string;
  channel: 'sms' | 'email';
  /** Partly hidden: "+84 90*****567". */
  maskedContact: string;
  /** Whole minutes until the current code stops working; absent when no usable code exists. */
  codeMinutesLeft?: number;
  /** Minutes until another code may be sent: 0 = now; absent = no more codes in this state. */
  resendInMinutes?: number;
  /** An information message at the top, e.g. "a new code was sent". */
  notice?: MessageKey;
  /** `resend` problems (too soon, limit reached) link to the resend button. */
  problems: FieldProblem<'code' | 'resend'>[];
  startAgainUrl: string;
}

/** `registration/password` — choose the password (8–64 characters, no composition rules). */
export interface RegistrationPasswordViewModel {
  action: string;
  csrfToken: string;
  minLength: number;
  maxLength: number;
  problems: FieldProblem<'password' | 'passwordConfirm'>[];
}

/** `registration/done` — the account is active at level 1. */
export interface RegistrationDoneViewModel {
  kind: RegistrationPageKind;
  /** What to tell the person: active, active but the service needs level 2, the sign-in expired... */
  messageKey: MessageKey;
  clientName?: string;
  /** Where "Continue" leads (the relying party's sign-in page), when there is somewhere to continue to. */
  continueUrl?: string;
  /** Dependant: register another from the account page. */
  dependantsUrl?: string;
}

/** `registration/ended` — the registration cannot continue (unknown or expired, too many wrong codes). */
export interface RegistrationEndedViewModel {
  titleKey: MessageKey;
  messageKey: MessageKey;
  startAgainUrl: string;
}

/** Template name -> model. A page listed here has its `render()` calls type-checked; others take any object. */
export interface ViewModels {
  'level2/consent': Level2ConsentViewModel;
  'level2/photo': Level2PhotoViewModel;
  'level2/result': Level2ResultViewModel;
  'interaction/login': LoginViewModel;
  'interaction/consent': ConsentViewModel;
  'interaction/logout': LogoutViewModel;
  'interaction/logged-out': LoggedOutViewModel;
  'errors/error': ErrorViewModel;
  'registration/choose': RegistrationChooseViewModel;
  'registration/form': RegistrationFormViewModel;
  'registration/code': RegistrationCodeViewModel;
  'registration/password': RegistrationPasswordViewModel;
  'registration/done': RegistrationDoneViewModel;
  'registration/ended': RegistrationEndedViewModel;
}

export type TemplateName = keyof ViewModels;

/** The model a template takes: its entry in ViewModels, or any object for templates not listed (e.g. demo/). */
export type ModelFor<T extends string> = T extends TemplateName ? ViewModels[T] : object;
