import type { Gender, IdentityKind } from '../../domain/account.js';
import type { AssuranceLevel } from '../../domain/levels.js';
import type { FieldProblem, MessageKey } from '../view-models.js';

/**
 * The plain objects the owner's pages (views/account/*) are rendered from; like every view model they carry message
 * keys rather than text, and the template engine escapes every value. Registered in ViewModels below, so each
 * `render()` call of these pages is type-checked.
 */

/** One open lock as the owner sees it (Decision 34 Art 10, 11, 12.1.dd): why, since when, who asked, how to lift it. */
export interface LockItem {
  reasonKey: MessageKey;
  requestedByKey: MessageKey;
  legalBasis: string;
  /** "24/11/2026 09:15". */
  atText: string;
  /** ISO 8601, for the <time> element. */
  atIso: string;
  howToLiftKey: MessageKey;
  note?: string;
}

export interface SignInItem {
  atText: string;
  atIso: string;
  /** The relying party's name (or client id when it has none). */
  service: string;
  level?: AssuranceLevel;
  locationKey: MessageKey;
}

export interface DependantItem {
  fullName: string;
  birthDateText: string;
  statusKey: MessageKey;
  level: AssuranceLevel;
}

/** `account/overview` — Decision 34 Art 12.1.dd: the account's status, level, data as held, use, dependants. */
export interface AccountOverviewViewModel {
  notice?: MessageKey;
  locked: boolean;
  locks: LockItem[];
  level: AssuranceLevel;
  /** How level 2 was verified (Art 5.1.b); absent at level 1 or for accounts verified before it was recorded. */
  verification?: { channelKey: MessageKey; methodKey: MessageKey; atText: string; atIso: string };
  identity: {
    kind: IdentityKind;
    fullName: string;
    birthDateText: string;
    gender: Gender;
    idNumber?: string;
    passportNumber?: string;
    /** The country's name in the page language. */
    nationality?: string;
  };
  phone?: string;
  email?: string;
  signIns: SignInItem[];
  dependants: DependantItem[];
  links: {
    lock: string;
    password: string;
    phone: string;
    email: string;
    services?: string;
    dependants: string;
    level2?: string;
    authenticator?: string;
    signOut: string;
  };
}

/** `account/lock` — confirm locking one's own account (Art 10.1); the POST locks at once. */
export interface AccountLockViewModel {
  action: string;
  csrfToken: string;
  backUrl: string;
}

/**
 * `account/status` — the account's locks after something changed them (locked just now, an unlock request): a title
 * and message, the open locks with how to lift each, and where to go next.
 */
export interface AccountStatusViewModel {
  titleKey: MessageKey;
  messageKey: MessageKey;
  /** `status` for a confirmation, `alert` for a refusal. */
  role: 'status' | 'alert';
  locks: LockItem[];
  unlockUrl?: string;
  signInUrl?: string;
}

export type UnlockField = 'kind' | 'idNumber' | 'passportNumber' | 'nationality' | 'password' | 'channel';

/** `account/unlock` — lift my own lock (Art 11.1), signed out: login name, password, where the code goes. */
export interface AccountUnlockViewModel {
  action: string;
  csrfToken: string;
  problems: FieldProblem<UnlockField>[];
  /** A refusal not tied to one field (wrong credentials, too many attempts). */
  refusal?: MessageKey;
  form: { kind: IdentityKind; idNumber?: string; passportNumber?: string; nationality?: string; channel: 'sms' | 'email' };
}

/** `account/code` — the one-time code of a contact change or an unlock request. */
export interface AccountCodeViewModel {
  purpose: 'contact_change' | 'unlock';
  action: string;
  resendAction: string;
  csrfToken: string;
  channel: 'sms' | 'email';
  maskedContact: string;
  codeMinutesLeft?: number;
  resendInMinutes?: number;
  notice?: MessageKey;
  problems: FieldProblem<'code' | 'resend'>[];
  startAgainUrl: string;
}

/** `account/password` — current password, then the new one twice. */
export interface AccountPasswordViewModel {
  action: string;
  csrfToken: string;
  minLength: number;
  maxLength: number;
  problems: FieldProblem<'currentPassword' | 'newPassword' | 'newPasswordConfirm'>[];
  backUrl: string;
}

/** `account/contact` — a new phone number or email; the code goes to it. */
export interface AccountContactViewModel {
  kind: 'phone' | 'email';
  action: string;
  csrfToken: string;
  current?: string;
  value?: string;
  problems: FieldProblem<'value'>[];
  backUrl: string;
}

/** `account/services` — the relying parties the owner agreed to share data with; each consent can be withdrawn. */
export interface AccountServicesViewModel {
  notice?: MessageKey;
  services: { clientId: string; name: string }[];
  revokeAction: string;
  csrfToken: string;
  backUrl: string;
}

declare module '../view-models.js' {
  interface ViewModels {
    'account/overview': AccountOverviewViewModel;
    'account/lock': AccountLockViewModel;
    'account/status': AccountStatusViewModel;
    'account/unlock': AccountUnlockViewModel;
    'account/code': AccountCodeViewModel;
    'account/password': AccountPasswordViewModel;
    'account/contact': AccountContactViewModel;
    'account/services': AccountServicesViewModel;
  }
}
