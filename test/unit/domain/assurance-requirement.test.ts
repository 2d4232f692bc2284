import { describe, expect, it } from '@jest/globals';
import { requiredLevel, sessionLevel, type ClientLevelPolicy, type LevelRequest } from '../../../src/domain/assurance-requirement.js';
import { DEFAULT_ACR_NAMES } from '../../../src/domain/levels.js';

const [L1, L2] = DEFAULT_ACR_NAMES;

describe('the level a sign-in must reach (Decision 34 Art 5.2, 12.2.b)', () => {
  it.each<[string, LevelRequest, ClientLevelPolicy, number | 'unsupported_acr']>([
    ['nothing asked, no client policy', {}, {}, 1],
    ['acr_values level 1', { acrValues: [L1] }, {}, 1],
    ['acr_values level 2', { acrValues: [L2] }, {}, 2],
    ['preference list: any value is acceptable, level 1 suffices', { acrValues: [L2, L1] }, {}, 1],
    ['essential acr claim wins over acr_values', { acrValues: [L1], essentialAcr: [L2] }, {}, 2],
    ['client default when nothing asked', {}, { defaultAcrValues: [L2] }, 2],
    ['client minimum raises a lower request', { acrValues: [L1] }, { minimumAcrValue: L2 }, 2],
    ['client minimum raises the default', {}, { defaultAcrValues: [L1], minimumAcrValue: L2 }, 2],
    ['unknown values are dropped', { acrValues: ['urn:other', L2] }, {}, 2],
    ['only unknown values cannot be met', { acrValues: ['urn:other'] }, {}, 'unsupported_acr'],
    ['a level the client may not use is dropped', { acrValues: [L1, L2] }, { allowedAcrValues: [L2] }, 2],
    ['only levels the client may not use cannot be met', { acrValues: [L1] }, { allowedAcrValues: [L2] }, 'unsupported_acr'],
  ])('%s', (_case, request, client, expected) => {
    const result = requiredLevel(request, client, DEFAULT_ACR_NAMES);
    expect(result.ok ? result.value : result.error).toBe(expected);
  });
});

describe('the level a session still vouches for', () => {
  const window = 900;
  it.each<[string, { acr?: string; authenticatedAt?: number }, number, number | undefined]>([
    ['no sign-in', {}, 1000, undefined],
    ['level 1 never ages', { acr: L1, authenticatedAt: 0 }, 100_000, 1],
    ['level 2 within the window', { acr: L2, authenticatedAt: 1000 }, 1000 + window, 2],
    ['level 2 past the window counts as level 1', { acr: L2, authenticatedAt: 1000 }, 1001 + window, 1],
    ['level 2 without a time counts as level 1', { acr: L2 }, 1000, 1],
    ['an acr we do not know', { acr: 'urn:other', authenticatedAt: 1000 }, 1000, undefined],
  ])('%s', (_case, session, now, expected) => {
    expect(sessionLevel(session, DEFAULT_ACR_NAMES, now, window)).toBe(expected);
  });
});
