import type { MessageKey } from '../view-models.js';

/**
 * Models of the sign-in pages that follow the password (views/interaction/*.eta). Plain objects; text shown to people
 * comes from message keys, never from these values.
 */

/** `interaction/second-factor` — the one-time code of a level-2 sign-in (posts `method`, `code`, `_csrf`). */
export interface SecondFactorViewModel {
  uid: string;
  csrfToken: string;
  clientName: string;
  method: 'sms' | 'totp';
  /** The other method the account has, offered as a link. */
  alternative?: 'sms' | 'totp';
  /** sms: the registered phone, partly hidden. */
  maskedPhone?: string;
  /** sms: whole minutes the current code still works; absent when there is none. */
  codeMinutesLeft?: number;
  /** sms: seconds until another code may be sent (0 = now). */
  resendInSeconds?: number;
  /** totp: the issuer name the app shows. */
  issuer: string;
  /** The account was verified at level 2 during this very sign-in. */
  verifiedJustNow: boolean;
  notice?: MessageKey;
  error?: MessageKey;
  errorVars?: Record<string, string | number>;
}

/**
 * `interaction/level-required` — the level cannot be reached as things stand: a level-1 account (offer level-2
 * verification) or a level-2 account without any second factor. Its button returns to the relying party with
 * `unmet_authentication_requirements`.
 */
export interface LevelRequiredViewModel {
  uid: string;
  csrfToken: string;
  clientName: string;
  titleKey: MessageKey;
  messageKey: MessageKey;
  backKey: MessageKey;
  /** The level-2 verification pages of this sign-in (src/http/level2). */
  verifyUrl?: string;
  /** The owner's account page (to add a phone number). */
  accountUrl?: string;
}

/** `interaction/locked` — the password was right but the account has an open lock (Decision 34 Art 10). */
export interface LockedViewModel {
  uid: string;
  csrfToken: string;
  clientName: string;
  accountUrl: string;
}
