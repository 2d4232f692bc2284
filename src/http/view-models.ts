import type { IdentityKind } from '../domain/account.js';
import type { AssuranceLevel } from '../domain/levels.js';

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
  /** Field the error summary links to; by default the identifying field of the chosen kind. */
  errorField?: LoginField;
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

/** Template name -> model. A page listed here has its `render()` calls type-checked; others take any object. */
export interface ViewModels {
  'interaction/login': LoginViewModel;
  'interaction/consent': ConsentViewModel;
  'interaction/logout': LogoutViewModel;
  'interaction/logged-out': LoggedOutViewModel;
  'errors/error': ErrorViewModel;
}

export type TemplateName = keyof ViewModels;

/** The model a template takes: its entry in ViewModels, or any object for templates not listed (e.g. demo/). */
export type ModelFor<T extends string> = T extends TemplateName ? ViewModels[T] : object;
