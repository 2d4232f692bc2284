/** The owner's signed-in pages (ARCHITECTURE "http/account/"). */
export const ACCOUNT_PREFIX = '/account';
/** Decision 34 Art 6.2, 6.3: a parent or guardian registers a dependant from here. */
export const DEPENDANTS_PATH = `${ACCOUNT_PREFIX}/dependants`;
/** Where the account pages' own sign-in returns (the redirect URI of their first-party client). */
export const SIGN_IN_CALLBACK_PATH = `${ACCOUNT_PREFIX}/callback`;
