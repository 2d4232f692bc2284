import type { Gender } from '../../domain/account.js';
import type { NotificationChannel } from '../../domain/ports.js';
import type { PasswordRefusal } from '../../domain/password-policy.js';
import type { Result } from '../../shared/result.js';

/**
 * The public vocabulary of registration and activation (Decision 34 Art 6, 7), for the pages built on top of
 * RegistrationService. Everything here is stable: pages depend on these names and strings.
 *
 * Outcomes the pages MUST show identically (one message, same status, same page, same timing budget):
 *   - `no_match`: the registry holds no such person, OR the declared data differ from the record, OR the identity is
 *     closed (deceased, number invalidated or re-established; Art 10.4, 10.5). Never say which.
 *   - `rate_limited` from any limiter (per number, per IP, per contact, wrong codes): one "too many attempts, try later".
 *   - `flow_not_found`: unknown id, expired flow, or a flow whose registration was replaced; show "start again".
 * An identity that already has an account (or a registration awaiting activation) is NOT an outcome for people
 * registering themselves: ID card data are widely known, so the answer would tell anyone whether a person has an
 * electronic identity. They get a started registration like any other (same pages, limits and timing) that can never
 * be activated; the holder is told on their own contact (identity-registration.ts, Decision 34 Art 12.1).
 * Outcomes that may be shown distinctly, because the decree's flow needs them and they are only reachable after the
 * declared Art 6.4.a–dd data matched the registry completely:
 *   - `account_exists` for a dependant's representative only (the registry named them parent or guardian), the
 *     eligibility refusals (`too_young`, `residence_not_eligible`, `must_register_self`, `representative_required`,
 *     `not_parent_or_guardian`).
 * Outcomes about the form itself (`invalid_*`, `consent_required`, `contact_missing`) depend only on what was typed and
 * may be shown next to the field (`invalid_id_number` is decided from the number's structure alone, before any
 * registry is asked). `representative_not_qualified` is about the signed-in representative's own account.
 * `registry_unavailable` and `sender_unavailable` are "try again later" (HTTP 503).
 * Limits are counted before the registry is asked, whatever it answers, so `rate_limited` reveals nothing either.
 */

/** Who is being registered: oneself as a citizen (Art 6.1) or a foreigner, or a dependant (Art 6.2, 6.3). */
export type RegistrationKind = 'citizen' | 'foreigner' | 'dependant';

/**
 * States of a registration flow:
 *   awaiting_code     the account exists (pending activation); a code was sent or must be (re)sent.
 *   awaiting_password the code was verified; the registrant chooses a password.
 *   completed         the account is active (level 1).
 *   locked            too many wrong codes in total: the registration cannot continue (register again later).
 */
export type RegistrationState = 'awaiting_code' | 'awaiting_password' | 'completed' | 'locked';

/** Where the activation code goes (Art 7.1: the registered phone number or email). */
export type CodeChannel = NotificationChannel;

export type Locale = 'vi' | 'en';

/** Who is asking, for the limits per IP and the language of the messages sent. */
export interface RequestContext {
  /** The client IP as the HTTP layer trusts it (ctx.ip with trustProxy). */
  ip: string;
  locale: Locale;
}

/** Consent given on the form (checkboxes); the service records the versions in force and the time. */
export interface ConsentInput {
  /** The terms of use of the electronic identification account. */
  acceptedTerms: boolean;
  /** The processing of personal data for electronic identification. */
  acceptedDataProcessing: boolean;
}

/** Fields common to every registration form. */
export interface RegistrationFormBase {
  /** Decision 34 Art 6.4.b. */
  fullName: string;
  /** Decision 34 Art 6.4.c, ISO YYYY-MM-DD. */
  birthDate: string;
  /** Decision 34 Art 6.4.d. */
  gender: Gender;
  /** Which contact receives the activation code (Art 7.1). */
  channel: CodeChannel;
  consent: ConsentInput;
  /** The oidc-provider interaction to return to once the account is active, if the registration began at a login. */
  interactionUid?: string;
}

/** A citizen registering themselves (Decision 34 Art 6.1, 6.4.a–e). */
export interface CitizenRegistrationInput extends RegistrationFormBase {
  /** Decision 34 Art 6.4.a: 12-digit personal identification number. */
  idNumber: string;
  /** Decision 34 Art 6.4.e: any common format; normalised to E.164 (default region VN). */
  phone: string;
  /** Decision 34 Art 6.4.e. */
  email: string;
}

/** A foreigner registering themselves (Decision 34 Art 6.1, 6.4.a–e; draft 2025 eligibility). */
export interface ForeignerRegistrationInput extends RegistrationFormBase {
  /** Decision 34 Art 6.4.a: passport or international travel document number. */
  passportNumber: string;
  /** Decision 34 Art 6.4.dd: ISO 3166-1 alpha-3. */
  nationality: string;
  phone: string;
  email: string;
}

/** The dependant's own identity data (Decision 34 Art 6.4.g: points a, b, c, d and dd for that person). */
export type DependantIdentityInput =
  | { kind: 'citizen'; idNumber: string }
  | { kind: 'foreigner'; passportNumber: string; nationality: string };

/**
 * A parent or guardian registering a child under 14 or a person under guardianship through their own account
 * (Decision 34 Art 6.2, 6.3, 6.4.g).
 */
export interface DependantRegistrationInput extends RegistrationFormBase {
  /**
   * The signed-in representative's account id, taken from the session by the page, NEVER from a form field. It must be
   * active and level 2 and named by the registry as the dependant's parent or guardian.
   */
  representativeAccountId: string;
  dependant: DependantIdentityInput;
  /** The dependant's own contact details; when omitted, the representative's account's phone / email are used. */
  phone?: string;
  email?: string;
}

/**
 * Why a registration could not start. See the header of this file for which ones pages must show identically.
 *   invalid_identity          a declared identity field is malformed (empty name, impossible date, bad passport or
 *                             nationality format).
 *   invalid_id_number         Art 4.1.a: not 12 digits, unknown province, or the century/gender/year digits contradict
 *                             the declared birth date and gender; decided before any registry is asked.
 *   invalid_phone, invalid_email  Art 6.4.e: not a usable phone number / email address.
 *   contact_missing           the chosen channel has no contact (a dependant whose representative has no email, ...).
 *   consent_required          both consents are needed.
 *   representative_not_qualified  Art 6.2, 6.3 + later rules: the representative's account is not active at level 2.
 *   rate_limited              too many attempts for this number or from this IP.
 *   registry_unavailable      the registry could not answer: nothing was created, try again later (HTTP 503).
 *   no_match, account_exists, too_young, residence_not_eligible, must_register_self, representative_required,
 *   not_parent_or_guardian    see the header.
 */
export type StartRegistrationError =
  | 'invalid_identity'
  | 'invalid_id_number'
  | 'invalid_phone'
  | 'invalid_email'
  | 'contact_missing'
  | 'consent_required'
  | 'representative_not_qualified'
  | 'rate_limited'
  | 'registry_unavailable'
  | 'no_match'
  | 'account_exists'
  | 'too_young'
  | 'residence_not_eligible'
  | 'must_register_self'
  | 'representative_required'
  | 'not_parent_or_guardian';

/**
 * Why a code could not be (re)sent.
 *   flow_not_found      unknown, expired or replaced registration: start again.
 *   invalid_state       the code was already verified, or the registration is completed or locked.
 *   resend_too_soon     less than the minimum interval since the last code (see `nextSendAt` in the view).
 *   send_limit_reached  the codes allowed per registration per hour are used up (see `nextSendAt`).
 *   rate_limited        too many codes to this phone number / email address.
 *   sender_unavailable  nothing was sent and nothing counted; try again later (HTTP 503).
 */
export type SendCodeError =
  | 'flow_not_found'
  | 'invalid_state'
  | 'resend_too_soon'
  | 'send_limit_reached'
  | 'rate_limited'
  | 'sender_unavailable';

/**
 * Why a code was not accepted.
 *   code_invalid         wrong code; `codeAttemptsRemaining` in the view says how many tries this code has left.
 *   code_expired         no usable code: expired (5 min), used up by wrong tries, or never delivered: ask for a new one.
 *   registration_locked  too many wrong codes in total: the registration is over (state `locked`).
 *   rate_limited         too many wrong codes for this identity across registrations: try later.
 *   flow_not_found, invalid_state  as for SendCodeError.
 */
export type VerifyCodeError =
  | 'flow_not_found'
  | 'invalid_state'
  | 'code_invalid'
  | 'code_expired'
  | 'registration_locked'
  | 'rate_limited';

/**
 * Why a password was refused (domain/password-policy.ts: 8–64 characters, not a common password, not the ID number,
 * passport number, phone, email or birth date); none of these reveals anything about other accounts.
 */
export type PasswordProblem = PasswordRefusal;

/**
 * Why the password step failed: the password's own problems, or flow_not_found / invalid_state (the code was not
 * verified, or the time to choose a password after the code ran out: the view is back in `awaiting_code`).
 */
export type SetPasswordError = PasswordProblem | 'flow_not_found' | 'invalid_state';

/** What pages may show about a registration; never the code, its hash or the full contact. */
export interface RegistrationFlowView {
  id: string;
  state: RegistrationState;
  kind: RegistrationKind;
  channel: CodeChannel;
  /** The contact the code goes to, partly hidden: "+8490*****67", "ng*******@example.vn" (domain/contact.ts). */
  maskedContact: string;
  interactionUid?: string;
  /** Epoch ms: when the registration (and its pending account) expires if not activated. */
  expiresAt: number;
  /** Epoch ms: when the current code stops working; absent when no usable code exists. */
  codeExpiresAt?: number;
  /** Tries left for the current code (0 when none is usable). */
  codeAttemptsRemaining: number;
  /** Epoch ms: the earliest time another code may be sent; absent when no more codes can be sent in this state. */
  nextSendAt?: number;
  /** Epoch ms: in awaiting_password, the time by which the password must be chosen. */
  passwordDeadline?: number;
}

/**
 * A registration that matched and whose pending account now exists; the page shows the code form in every case.
 *   sent          the code is on its way.
 *   failed        the sender was down: nothing was sent; show "we could not send the code, try again" with the resend
 *                 button (sendCode), allowed at once.
 *   rate_limited  too many codes went to this phone number / address lately; show "try again later" with the resend
 *                 button (sendCode answers rate_limited until the limit allows).
 */
export interface RegistrationStarted {
  flow: RegistrationFlowView;
  codeDelivery: 'sent' | 'failed' | 'rate_limited';
}

/** The account is active at level 1: the page signs the person in or returns to `interactionUid`. */
export interface RegistrationCompleted {
  flow: RegistrationFlowView;
  accountId: string;
  /** Set when a representative registered a dependant: the account that did (Art 6.2, 6.3). */
  representativeAccountId?: string;
}

/**
 * Registration and activation as the pages use them (implemented by RegistrationService, built by
 * createRegistrationService). The flow id is the only handle: an unguessable 128-bit value the page keeps in the
 * user's (signed, HttpOnly) cookie or session, never in a URL that could leak through Referer or logs.
 * Expected outcomes are returned; a thrown DependencyUnavailableError means Redis is down (HTTP 503).
 */
export interface RegistrationApi {
  /** Decision 34 Art 6.1, 7.1.a: match against the population registry, create the pending account, send a code. */
  startCitizen(input: CitizenRegistrationInput, context: RequestContext): Promise<Result<RegistrationStarted, StartRegistrationError>>;
  /** Decision 34 Art 6.1, 7.1.b: the same against the immigration registry. */
  startForeigner(
    input: ForeignerRegistrationInput,
    context: RequestContext,
  ): Promise<Result<RegistrationStarted, StartRegistrationError>>;
  /** Decision 34 Art 6.2, 6.3, 6.4.g: through the signed-in parent's or guardian's account. */
  startDependant(
    input: DependantRegistrationInput,
    context: RequestContext,
  ): Promise<Result<RegistrationStarted, StartRegistrationError>>;
  /** Sends a new code (the previous one stops working). Also the retry after `codeDelivery: 'failed'`. */
  sendCode(flowId: string): Promise<Result<RegistrationFlowView, SendCodeError>>;
  /** Checks the 6-digit code; on success the state becomes awaiting_password. */
  verifyCode(flowId: string, code: string): Promise<Result<RegistrationFlowView, VerifyCodeError>>;
  /** Chooses the password; the account becomes active at level 1. Retrying with the same password after a failure is safe. */
  setPassword(flowId: string, password: string): Promise<Result<RegistrationCompleted, SetPasswordError>>;
  /** The flow as pages may show it; undefined when unknown, expired or replaced (show flow_not_found). */
  load(flowId: string): Promise<RegistrationFlowView | undefined>;
}
