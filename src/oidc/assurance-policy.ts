import { errors, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Account } from '../domain/account.js';
import { requiredLevel, sessionLevel, type ClientLevelPolicy, type LevelRequest } from '../domain/assurance-requirement.js';
import { acrForLevel, levelForAcr, type AcrNames, type AssuranceLevel } from '../domain/levels.js';
import { nowSeconds, type Clock } from '../shared/clock.js';
import { accountRecordOf } from './find-account.js';

const { Check, Prompt } = interactionPolicy;

/**
 * The error of our login checks under prompt=none (OIDC Core 3.1.2.6): checks added to a prompt after it was built do
 * not inherit its error, and would answer `interaction_required`.
 */
const LOGIN_REQUIRED = 'login_required';

/** The prompt that offers level-2 verification when the account is only level 1 (after `login`, before `consent`). */
export const VERIFICATION_PROMPT = 'level_verification';

/** Reasons our checks put in `interaction.prompt.reasons`; the sign-in pages choose what to ask from them. */
export const ASSURANCE_REASONS = {
  /** The session's account is gone, not active, or locked (findAccount said undefined): sign in again. */
  accountUnavailable: 'account_unavailable',
  /** `max_age` measured on our clock (the provider's own check uses its wall clock). */
  maxAge: 'session_too_old',
  /** The account can reach the level but the session is below it: the second factor only (step-up). */
  secondFactor: 'second_factor_required',
  /** The account itself is below the level: level-2 verification, or back to the relying party. */
  accountLevel: 'account_level_insufficient',
} as const;

/** What the interaction pages read from `prompt.details`. */
export interface AssuranceDetails {
  requiredLevel: AssuranceLevel;
}

export interface AssurancePolicyDeps {
  acrNames: AcrNames;
  /**
   * The flows' clock: our sign-ins record their time with it (`ts` of the login result, the session's `loginTs`), and
   * the level-2 window and max_age are measured on it. oidc-provider's own max_age check reads the wall clock, which
   * tests cannot move; in production the two are the same.
   */
  clock: Clock;
  levelTwoWindowSeconds: number;
}

/** One authorization request, as far as levels are concerned; computed once per request. */
interface Assessment {
  required: AssuranceLevel;
  account?: Account;
  /** The level the session can vouch for now: aged (level-2 window) and never above the account's level. */
  sessionLevel?: AssuranceLevel;
}

/**
 * oidc-provider's interaction policy with the levels of Decision 34 Art 5 enforced (the provider itself treats
 * `acr_values` as a voluntary claim and compares essential acr values as plain strings, without order):
 *   - the required level is the lowest the request accepts (acr_values or an essential acr claim), raised to the
 *     client's minimum (Art 5.2, 12.2.b: the service user chooses); a request the client may not make ends at once
 *     with `unmet_authentication_requirements`;
 *   - a session below it whose account can reach it prompts for the second factor only (`login_required` under
 *     prompt=none); an account below it prompts for level-2 verification (`interaction_required` under prompt=none);
 *   - a level-2 sign-in is reused only within `levelTwoWindowSeconds`; after that the session vouches for level 1 and
 *     the next ID token says so;
 *   - `max_age` and `prompt=login` force a new sign-in, and a session whose account became locked is never reused.
 */
export function buildInteractionPolicy(deps: AssurancePolicyDeps): interactionPolicy.DefaultPolicy {
  const assessments = new WeakMap<KoaContextWithOIDC, Assessment>();
  const assess = (ctx: KoaContextWithOIDC): Assessment => {
    let assessment = assessments.get(ctx);
    if (!assessment) {
      assessment = assessRequest(ctx, deps);
      assessments.set(ctx, assessment);
    }
    return assessment;
  };
  const details = (ctx: KoaContextWithOIDC): Record<string, unknown> => {
    const shown: AssuranceDetails = { requiredLevel: assess(ctx).required };
    return { ...shown };
  };

  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider base policy has no login prompt');
  // Replaced by the ordered comparison below: with these, a level-2 session would not satisfy an essential level 1.
  login.checks.remove('essential_acrs');
  login.checks.remove('essential_acr');
  // The sign-in pages show the level asked for (a notice on the password page), whatever check asked for the sign-in.
  const loginDetails = login.details;
  login.details = async (ctx: KoaContextWithOIDC) => ({ ...(await loginDetails(ctx)), ...details(ctx) });

  login.checks.add(
    new Check(ASSURANCE_REASONS.accountUnavailable, 'the account of the session can no longer be used', LOGIN_REQUIRED, (ctx: KoaContextWithOIDC) => {
      return ctx.oidc.session?.accountId !== undefined && accountRecordOf(ctx.oidc.account) === undefined;
    }),
  );
  login.checks.add(
    new Check(ASSURANCE_REASONS.maxAge, 'End-User authentication is older than max_age', LOGIN_REQUIRED, (ctx: KoaContextWithOIDC) => {
      const maxAge = ctx.oidc.params?.max_age;
      const session = ctx.oidc.session;
      const authenticatedAt = session?.loginTs;
      if (maxAge === undefined || session?.accountId === undefined || ctx.oidc.result?.login) return false;
      if (typeof authenticatedAt !== 'number') return true;
      const age = nowSeconds(deps.clock) - authenticatedAt;
      // OIDC Core 3.1.2.1: max_age=0 asks for a new authentication like prompt=login.
      return Number(maxAge) === 0 || age > Number(maxAge);
    }),
  );
  login.checks.add(
    new Check(
      ASSURANCE_REASONS.secondFactor,
      'the session is below the requested authentication level',
      LOGIN_REQUIRED,
      (ctx: KoaContextWithOIDC) => {
        const { required, account, sessionLevel: level } = assess(ctx);
        if (!account) return false;
        ageSessionAcr(ctx, level, deps.acrNames);
        return account.level >= required && (level ?? 0) < required;
      },
    ),
  );

  policy.add(
    new Prompt(
      { name: VERIFICATION_PROMPT, requestable: false },
      details,
      new Check(ASSURANCE_REASONS.accountLevel, 'the account is below the requested authentication level', 'interaction_required', (ctx: KoaContextWithOIDC) => {
        const { required, account } = assess(ctx);
        return account !== undefined && account.level < required;
      }),
    ),
    policy.indexOf(login) + 1,
  );
  return policy;
}

/** The level the request needs for this client; a level the client may not use ends the request at once. */
function assessRequest(ctx: KoaContextWithOIDC, deps: AssurancePolicyDeps): Assessment {
  const requirement = requiredLevel(levelRequestOf(ctx), clientPolicyOf(ctx), deps.acrNames);
  if (!requirement.ok) {
    throw new errors.UnmetAuthenticationRequirements('none of the requested authentication levels is available to this client');
  }
  const account = accountRecordOf(ctx.oidc.account);
  const { session } = ctx.oidc;
  const aged = sessionLevel(
    { acr: session?.acr, authenticatedAt: session?.loginTs },
    deps.acrNames,
    nowSeconds(deps.clock),
    deps.levelTwoWindowSeconds,
  );
  const level = aged === undefined || account === undefined ? aged : (Math.min(aged, account.level) as AssuranceLevel);
  return { required: requirement.value, ...(account ? { account } : {}), ...(level !== undefined ? { sessionLevel: level } : {}) };
}

/**
 * The session says what it can vouch for now: a level-2 sign-in past its window (or of an account since lowered to
 * level 1) is recorded as level 1, so an ID token issued from this session never claims more than is true now.
 */
function ageSessionAcr(ctx: KoaContextWithOIDC, level: AssuranceLevel | undefined, names: AcrNames): void {
  const session = ctx.oidc.session;
  const recorded = session?.acr ? levelForAcr(session.acr, names) : undefined;
  if (session && level !== undefined && recorded !== undefined && level < recorded) session.acr = acrForLevel(level, names);
}

/** `acr_values` (a preference list) and the essential `acr` of the claims parameter, as the request sent them. */
export function levelRequestOf(ctx: KoaContextWithOIDC): LevelRequest {
  const params = ctx.oidc.params;
  const acrValues = typeof params?.acr_values === 'string' ? params.acr_values.split(' ').filter(Boolean) : undefined;
  const essentialAcr = essentialAcrOf(params?.claims);
  return { ...(acrValues ? { acrValues } : {}), ...(essentialAcr ? { essentialAcr } : {}) };
}

function essentialAcrOf(claimsParameter: unknown): string[] | undefined {
  if (typeof claimsParameter !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(claimsParameter);
  } catch {
    // The provider has already refused a claims parameter that is not JSON (checkClaims).
    return undefined;
  }
  const acr = (parsed as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } } })?.id_token?.acr;
  if (!acr || acr.essential !== true) return undefined;
  if (Array.isArray(acr.values)) return acr.values.filter((value): value is string => typeof value === 'string');
  return typeof acr.value === 'string' ? [acr.value] : undefined;
}

/** The relying party's registration: `allowed_acr_values` and `minimum_acr_value` are ours, kept snake_case. */
export function clientPolicyOf(ctx: KoaContextWithOIDC): ClientLevelPolicy {
  const client = ctx.oidc.client;
  const strings = (value: unknown): string[] | undefined =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
  const allowed = strings(client?.allowed_acr_values);
  const defaults = strings(client?.defaultAcrValues);
  const minimum = client?.minimum_acr_value;
  return {
    ...(allowed ? { allowedAcrValues: allowed } : {}),
    ...(defaults ? { defaultAcrValues: defaults } : {}),
    ...(typeof minimum === 'string' ? { minimumAcrValue: minimum } : {}),
  };
}
