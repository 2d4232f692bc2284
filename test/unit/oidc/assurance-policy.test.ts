import { describe, expect, it } from '@jest/globals';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { buildInteractionPolicy, clientPolicyOf, levelRequestOf, VERIFICATION_PROMPT } from '../../../src/oidc/assurance-policy.js';
import { DEFAULT_ACR_NAMES } from '../../../src/domain/levels.js';
import { ManualClock } from '../../../src/shared/clock.js';

const ctxWith = (params: Record<string, unknown>, client: Record<string, unknown> = {}): KoaContextWithOIDC =>
  ({ oidc: { params, client } }) as unknown as KoaContextWithOIDC;

describe('what an authorization request asks for', () => {
  it.each<[string, Record<string, unknown>, object]>([
    ['nothing', {}, {}],
    ['acr_values, a preference list', { acr_values: 'urn:vn:eid:loa:2 urn:vn:eid:loa:1' }, { acrValues: ['urn:vn:eid:loa:2', 'urn:vn:eid:loa:1'] }],
    [
      'an essential acr with values',
      { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:vn:eid:loa:2'] } } }) },
      { essentialAcr: ['urn:vn:eid:loa:2'] },
    ],
    ['an essential acr with one value', { claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'urn:vn:eid:loa:1' } } }) }, { essentialAcr: ['urn:vn:eid:loa:1'] }],
    ['a voluntary acr claim (not essential)', { claims: JSON.stringify({ id_token: { acr: { values: ['urn:vn:eid:loa:2'] } } }) }, {}],
    ['claims without acr', { claims: JSON.stringify({ userinfo: { name: null } }) }, {}],
  ])('%s', (_name, params, request) => {
    expect(levelRequestOf(ctxWith(params))).toEqual(request);
  });

  it("reads the client's registration: allowed levels, default, minimum", () => {
    const client = { allowed_acr_values: ['urn:vn:eid:loa:2'], defaultAcrValues: ['urn:vn:eid:loa:2'], minimum_acr_value: 'urn:vn:eid:loa:2' };
    expect(clientPolicyOf(ctxWith({}, client))).toEqual({
      allowedAcrValues: ['urn:vn:eid:loa:2'],
      defaultAcrValues: ['urn:vn:eid:loa:2'],
      minimumAcrValue: 'urn:vn:eid:loa:2',
    });
    expect(clientPolicyOf(ctxWith({}, {}))).toEqual({});
  });
});

describe('the interaction policy', () => {
  it('replaces the unordered essential-acr checks and puts the level offer between sign-in and consent', () => {
    const policy = buildInteractionPolicy({ acrNames: DEFAULT_ACR_NAMES, clock: new ManualClock(), levelTwoWindowSeconds: 900 });
    expect(policy.map((prompt) => prompt.name)).toEqual(['login', VERIFICATION_PROMPT, 'consent']);
    const reasons = policy.get('login')?.checks.map((check) => check.reason) ?? [];
    expect(reasons).not.toContain('essential_acrs');
    expect(reasons).not.toContain('essential_acr');
    expect(reasons).toEqual(expect.arrayContaining(['no_session', 'max_age', 'account_unavailable', 'session_too_old', 'second_factor_required']));
    // Under prompt=none a missing sign-in or second factor is login_required; a missing verification is interaction_required.
    for (const check of policy.get('login')?.checks ?? []) expect(check.error).toBe('login_required');
    expect(policy.get(VERIFICATION_PROMPT)?.checks.map((check) => check.error)).toEqual(['interaction_required']);
  });
});
