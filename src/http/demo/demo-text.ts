import type { Context } from 'koa';

/**
 * The demo's words, in English. The pages are translated through `ctx.state.t` (keys `demo.<name>` in
 * views/locales/*.json); these are used only for a key the catalogue does not have, so the demo never shows a bare key.
 */
export const DEMO_TEXT = {
  title: 'Demo relying party',
  intro:
    'This page plays a service that uses vn-eid for sign-in. Each service chooses the assurance level it requires; ' +
    'choose one to start a sign-in with the authorization code flow and PKCE.',
  level1Hint: 'Level 1: the declared identity was matched against the national population database.',
  level2Hint: 'Level 2: the identity was also verified by portrait or fingerprints.',
  signInLevel1: 'Sign in at level 1',
  signInLevel2: 'Sign in at level 2',
  clientLabel: 'Client',
  issuerLabel: 'Provider',
  resultTitle: 'Signed in to the demo service',
  requestedLevel: 'Level requested',
  achievedLevel: 'Level achieved (acr)',
  levelMet: 'The provider met the requested level.',
  levelNotMet: 'The provider returned a lower level than requested: a real service must refuse this sign-in.',
  idTokenClaims: 'ID token claims',
  userinfo: 'UserInfo response',
  signOut: 'Sign out',
  tryAgain: 'Try again',
  errorTitle: 'Sign-in did not complete',
  errorCode: 'Error code',
  errorDescription: 'Description from the provider',
  'errors.access_denied': 'The sign-in was cancelled or refused.',
  'errors.unmet_authentication_requirements':
    'The account could not sign in at the level this service requires. Level 2 needs the identity to be verified ' +
    'by portrait or fingerprints first.',
  'errors.login_required': 'The provider needs the user to sign in, but the request did not allow a sign-in page.',
  'errors.consent_required': 'The user has not agreed to share the requested information with this service.',
  'errors.interaction_required': 'The provider needs the user on a page, but the request did not allow one.',
  'errors.login_expired': 'This sign-in attempt is unknown or has expired. Start again from the demo page.',
  'errors.provider_unreachable':
    'The provider could not be reached or its discovery document could not be read. Try again shortly.',
  'errors.exchange_failed': 'The provider answered, but the tokens could not be obtained or did not pass validation.',
  'errors.unknown_level': 'There is no such level. Choose level 1 or level 2.',
  'errors.other': 'The provider returned an error.',
} as const;

export type DemoTextKey = keyof typeof DEMO_TEXT;
export type DemoText = Record<DemoTextKey, string>;

type Translate = (key: string) => unknown;

const isTranslate = (value: unknown): value is Translate => typeof value === 'function';

/** Every demo string in the request's language, resolved here so that views receive plain values. */
export function demoText(ctx: Context): DemoText {
  const state = ctx.state as { t?: unknown };
  const t = isTranslate(state.t) ? state.t : undefined;
  const text = { ...DEMO_TEXT } as DemoText;
  if (!t) return text;
  for (const key of Object.keys(DEMO_TEXT) as DemoTextKey[]) {
    const translated = t(`demo.${key}`);
    // i18next answers a missing key with the key itself.
    if (typeof translated === 'string' && translated !== '' && translated !== `demo.${key}`) text[key] = translated;
  }
  return text;
}
