import type { Account } from '../../domain/account.js';
import type { AssuranceLevel } from '../../domain/levels.js';
import type { CoarseLocation } from '../../domain/network-location.js';
import type { PasswordRefusal } from '../../domain/password-policy.js';
import type { NotificationChannel } from '../../domain/ports.js';
import type { Result } from '../../shared/result.js';
import type { OwnerLockStatus } from '../locks/types.js';

/**
 * The public vocabulary of the owner's own account (Decision 34 Art 12.1.dd) for the pages under `/account`. Stable:
 * pages depend on these names and strings. Every use case takes the account id the page got from the signed-in
 * session (or, for unlocking, from the owner's password), never from a form field.
 */

export type Locale = 'vi' | 'en';

/** Who is asking: the client IP for the limits per address and the coarse location, the language of messages. */
export interface OwnerRequestContext {
  ip: string;
  locale: Locale;
}

// --- the overview ------------------------------------------------------------------------------------------------------

/** One sign-in as the owner sees it: when, to which service, at which level, from roughly where. */
export interface SignInView {
  /** Epoch ms. */
  at: number;
  /** The relying party's client id (the page shows its name). */
  clientId?: string;
  level?: AssuranceLevel;
  location: CoarseLocation;
}

/** A person registered through this account (Art 6.2, 6.3). */
export interface DependantView {
  fullName: string;
  birthDate: string;
  status: Account['status'];
  level: AssuranceLevel;
}

/** Everything `/account` shows. */
export interface AccountOverview {
  account: Account;
  /** Open locks, reasons and how to lift each (Art 10, 11, 12.1.dd). */
  lockStatus: OwnerLockStatus;
  recentSignIns: SignInView[];
  dependants: DependantView[];
}

// --- one-time-code steps ---------------------------------------------------------------------------------------------

/** What a code confirms: a new phone or email (the code goes to it), or lifting one's own lock (Art 11.1). */
export type CodePurpose = 'contact_change' | 'unlock';

/**
 *   awaiting_code  a code was sent; the owner types it.
 *   completed      the change was made.
 *   locked         too many wrong codes: start again (later).
 */
export type CodeFlowState = 'awaiting_code' | 'completed' | 'locked';

/** What pages may show of a code step; never the code, its hash or the whole contact. */
export interface CodeFlowView {
  id: string;
  purpose: CodePurpose;
  state: CodeFlowState;
  channel: NotificationChannel;
  /** "+8490*****67", "ng*******@example.vn". */
  maskedContact: string;
  /** Epoch ms the step ends. */
  expiresAt: number;
  codeExpiresAt?: number;
  codeAttemptsRemaining: number;
  /** Epoch ms another code may be sent; absent when none can. */
  nextSendAt?: number;
}

/**
 * Why a code could not be sent or resent.
 *   flow_not_found      unknown, expired or another account's step: start again.
 *   invalid_state       already completed or locked.
 *   resend_too_soon, send_limit_reached  limits of this step (see nextSendAt).
 *   rate_limited        too many codes to this contact, or too many steps from this address.
 *   sender_unavailable  nothing was sent and nothing counted (HTTP 503).
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
 *   code_invalid  wrong; `codeAttemptsRemaining` says what is left.
 *   code_expired  no usable code (expired or used up): ask for a new one.
 *   flow_locked   too many wrong codes in this step: it is over.
 *   rate_limited  too many wrong codes for this account lately.
 */
export type VerifyCodeError = 'flow_not_found' | 'invalid_state' | 'code_invalid' | 'code_expired' | 'flow_locked' | 'rate_limited';

// --- change password -------------------------------------------------------------------------------------------------

/**
 *   current_password_wrong  the current password did not match (counted against the account).
 *   rate_limited            too many wrong passwords lately.
 *   new_password_unchanged  the new password is the current one.
 *   account_unavailable     the account is gone or not active (sign in again).
 *   plus the password policy's refusals (domain/password-policy.ts).
 */
export type ChangePasswordError =
  | PasswordRefusal
  | 'current_password_wrong'
  | 'new_password_unchanged'
  | 'rate_limited'
  | 'account_unavailable';

export interface PasswordChanged {
  /** Other sessions of the account that were signed out. */
  sessionsEnded: number;
}

// --- change phone or email -------------------------------------------------------------------------------------------

export type ContactKind = 'phone' | 'email';

/**
 *   invalid_phone, invalid_email  not a usable number / address (Art 6.4.e rules).
 *   same_contact                  it is already the account's.
 *   account_unavailable           the account is gone or not active.
 *   rate_limited, sender_unavailable  as for SendCodeError.
 */
export type StartContactChangeError = 'invalid_phone' | 'invalid_email' | 'same_contact' | 'account_unavailable' | 'rate_limited' | 'sender_unavailable';

export interface ContactChanged {
  kind: ContactKind;
  /**
   * Whether the owner was told: on the previous contact of that kind, or, when the account had none, on its other
   * contact; false when there was nowhere to send it or the notice could not be sent.
   */
  previousNotified: boolean;
}

// --- lifting one's own lock (signed out) -----------------------------------------------------------------------------

/**
 *   invalid_credentials  unknown login name, not active, or wrong password: one answer for all (no account probing).
 *   rate_limited         too many attempts for this account or from this address.
 *   contact_missing      the account has no contact of the chosen kind.
 *   sender_unavailable   nothing was sent (HTTP 503).
 */
export type StartUnlockError = 'invalid_credentials' | 'rate_limited' | 'contact_missing' | 'sender_unavailable';

/**
 * After the password: either a code is on its way (there is a lock the owner may lift), or there is nothing the owner
 * can lift themselves (not locked, or only locks others lift): the status says which and how.
 */
export type UnlockStarted =
  | { kind: 'code_sent'; flow: CodeFlowView; lockStatus: OwnerLockStatus }
  | { kind: 'nothing_to_lift'; lockStatus: OwnerLockStatus };

export interface UnlockCompleted {
  /** Locks lifted by this step. */
  lifted: number;
  /** False while locks the owner cannot lift remain open. */
  accountUsable: boolean;
  lockStatus: OwnerLockStatus;
}

/** Login name of the person unlocking, as the sign-in page takes it. */
export type LoginName = { kind: 'citizen'; idNumber: string } | { kind: 'foreigner'; passportNumber: string; nationality: string };

/** The owner's own account as the pages under `/account` use it (AccountSelfService implements it). */
export interface AccountSelfServiceApi {
  overview(accountId: string): Promise<AccountOverview | undefined>;
  changePassword(
    accountId: string,
    input: { currentPassword: string; newPassword: string; keepSessionId?: string },
    context: OwnerRequestContext,
  ): Promise<Result<PasswordChanged, ChangePasswordError>>;
  startContactChange(
    accountId: string,
    input: { kind: ContactKind; value: string },
    context: OwnerRequestContext,
  ): Promise<Result<CodeFlowView, StartContactChangeError>>;
  confirmContactChange(accountId: string, flowId: string, code: string): Promise<Result<ContactChanged, VerifyCodeError | 'account_unavailable'>>;
  resendCode(flowId: string, expected: { purpose: CodePurpose; accountId?: string }): Promise<Result<CodeFlowView, SendCodeError>>;
  loadCodeFlow(flowId: string, expected: { purpose: CodePurpose; accountId?: string }): Promise<CodeFlowView | undefined>;
  startUnlock(
    input: { login: LoginName; password: string; channel: NotificationChannel },
    context: OwnerRequestContext,
  ): Promise<Result<UnlockStarted, StartUnlockError>>;
  confirmUnlock(flowId: string, code: string, context: OwnerRequestContext): Promise<Result<UnlockCompleted, VerifyCodeError>>;
}
