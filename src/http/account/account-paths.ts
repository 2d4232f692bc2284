/** The owner's pages (ARCHITECTURE "http/account/"; Decision 34 Art 12.1.dd). */
export const ACCOUNT_PREFIX = '/account';
/** Status, level, identity data, recent sign-ins, dependants: the overview. */
export const OVERVIEW_PATH = ACCOUNT_PREFIX;
/** Decision 34 Art 6.2, 6.3: a parent or guardian registers a dependant from here. */
export const DEPENDANTS_PATH = `${ACCOUNT_PREFIX}/dependants`;
/** Where the account pages' own sign-in returns (the redirect URI of their first-party client). */
export const SIGN_IN_CALLBACK_PATH = `${ACCOUNT_PREFIX}/callback`;
/** Decision 34 Art 10.1: lock my account, at once. */
export const LOCK_PATH = `${ACCOUNT_PREFIX}/lock`;
/** Decision 34 Art 11.1: lift my own lock (signed out: a locked account cannot sign in). */
export const UNLOCK_PATH = `${ACCOUNT_PREFIX}/unlock`;
export const UNLOCK_CODE_PATH = `${UNLOCK_PATH}/code`;
export const UNLOCK_RESEND_PATH = `${UNLOCK_CODE_PATH}/resend`;
export const PASSWORD_PATH = `${ACCOUNT_PREFIX}/password`;
/** A new phone number or email (`?kind=phone|email`), confirmed by a code sent to it. */
export const CONTACT_PATH = `${ACCOUNT_PREFIX}/contact`;
export const CONTACT_CODE_PATH = `${CONTACT_PATH}/code`;
export const CONTACT_RESEND_PATH = `${CONTACT_CODE_PATH}/resend`;
/** Relying parties the owner consented to share data with, and the withdrawal of that consent. */
export const SERVICES_PATH = `${ACCOUNT_PREFIX}/services`;
export const SERVICES_REVOKE_PATH = `${SERVICES_PATH}/revoke`;
/** Pages of other parts, linked from the overview when they are mounted. */
export const LEVEL2_PATH = `${ACCOUNT_PREFIX}/level2`;
export const AUTHENTICATOR_PATH = `${ACCOUNT_PREFIX}/authenticator`;

/**
 * The signed-in pages a sign-in may return to. The sign-in cookie carries one of these names, never a URL, so the
 * callback cannot be turned into an open redirect.
 */
export const RETURN_PAGES = {
  overview: OVERVIEW_PATH,
  dependants: DEPENDANTS_PATH,
  lock: LOCK_PATH,
  password: PASSWORD_PATH,
  phone: `${CONTACT_PATH}?kind=phone`,
  email: `${CONTACT_PATH}?kind=email`,
  services: SERVICES_PATH,
  /** The level-2 verification pages (src/http/level2). */
  verify: LEVEL2_PATH,
  /** The TOTP authenticator app of level-2 sign-in (src/http/account/authenticator-page.ts). */
  authenticator: AUTHENTICATOR_PATH,
} as const;

export type ReturnPage = keyof typeof RETURN_PAGES;

export const isReturnPage = (value: string): value is ReturnPage => Object.hasOwn(RETURN_PAGES, value);
