/**
 * Assurance levels of an electronic identification account. Decision 34 Art 5.1: level 1 = declared data matched
 * against the national database; level 2 = also verified by portrait or fingerprints. Art 5.2 and 12.2.b: the service
 * user (relying party) chooses the level per service, so levels are ordered and a higher one satisfies a lower request.
 */
export type AssuranceLevel = 1 | 2;

export const ASSURANCE_LEVELS: readonly AssuranceLevel[] = [1, 2];

/** The acr names, index 0 = level 1. Configurable because the national naming may change. */
export type AcrNames = readonly [string, string];

export const DEFAULT_ACR_NAMES: AcrNames = ['urn:vn:eid:loa:1', 'urn:vn:eid:loa:2'];

export function acrForLevel(level: AssuranceLevel, names: AcrNames): string {
  return names[level - 1] as string;
}

export function levelForAcr(acr: string, names: AcrNames): AssuranceLevel | undefined {
  const index = names.indexOf(acr);
  return index === -1 ? undefined : ((index + 1) as AssuranceLevel);
}

/** Decision 34 Art 5: a level-2 account or session satisfies a request for level 1. */
export function satisfiesLevel(achieved: AssuranceLevel, required: AssuranceLevel): boolean {
  return achieved >= required;
}
