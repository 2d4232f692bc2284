import { fail, ok, type Result } from '../shared/result.js';
import { levelForAcr, type AcrNames, type AssuranceLevel } from './levels.js';

/**
 * Which level a sign-in must reach. Decision 34 Art 5.2 and 12.2.b: the service user (relying party) chooses the level
 * each of its services requires; the provider honours that choice exactly.
 */

/** What the authorization request asked for. */
export interface LevelRequest {
  /** `acr_values`: space-separated, any of them is acceptable (OIDC Core 3.1.2.1). */
  acrValues?: readonly string[];
  /** `claims.id_token.acr` with `essential: true`: `values` (any of) or `value`. */
  essentialAcr?: readonly string[];
}

/** The relying party's registration (config/clients*.json). */
export interface ClientLevelPolicy {
  /** Levels it may ask for; all levels when absent. */
  allowedAcrValues?: readonly string[];
  /** Level used when a request names none (`default_acr_values`, first entry). */
  defaultAcrValues?: readonly string[];
  /** Never less than this, whatever the request says. */
  minimumAcrValue?: string;
}

export type RequirementProblem = 'unsupported_acr';

const levelsOf = (values: readonly string[], names: AcrNames, allowed: readonly string[] | undefined): AssuranceLevel[] =>
  values
    .filter((value) => allowed === undefined || allowed.includes(value))
    .map((value) => levelForAcr(value, names))
    .filter((level): level is AssuranceLevel => level !== undefined);

/**
 * The lowest level that satisfies the request (a preference list accepts any of its values, and a higher level
 * satisfies a lower one, Art 5), raised to the client's minimum. A request naming only levels that do not exist or
 * that the client may not use cannot be met (`unsupported_acr`): the relying party asked for something we never give.
 */
export function requiredLevel(
  request: LevelRequest,
  client: ClientLevelPolicy,
  names: AcrNames,
): Result<AssuranceLevel, RequirementProblem> {
  const minimum = (client.minimumAcrValue && levelForAcr(client.minimumAcrValue, names)) || 1;
  const asked = request.essentialAcr?.length ? request.essentialAcr : request.acrValues;
  if (asked && asked.length > 0) {
    const levels = levelsOf(asked, names, client.allowedAcrValues);
    if (levels.length === 0) return fail('unsupported_acr');
    return ok(Math.max(Math.min(...levels), minimum) as AssuranceLevel);
  }
  const defaults = levelsOf(client.defaultAcrValues ?? [], names, undefined);
  return ok(Math.max(defaults[0] ?? 1, minimum) as AssuranceLevel);
}

/** A sign-in session as far as levels are concerned. */
export interface SessionAssurance {
  /** The acr the session was authenticated at. */
  acr?: string;
  /** When that authentication happened, epoch seconds. */
  authenticatedAt?: number;
}

/**
 * The level a session can still vouch for now. A level-2 authentication ages: it is reused only within
 * `levelTwoWindowSeconds` (issue policy, configurable); after that the session counts as level 1 until the second
 * factor is given again.
 */
export function sessionLevel(
  session: SessionAssurance,
  names: AcrNames,
  nowSeconds: number,
  levelTwoWindowSeconds: number,
): AssuranceLevel | undefined {
  const level = session.acr ? levelForAcr(session.acr, names) : undefined;
  if (level === 2 && (session.authenticatedAt === undefined || nowSeconds - session.authenticatedAt > levelTwoWindowSeconds)) {
    return 1;
  }
  return level;
}
