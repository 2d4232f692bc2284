import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { API_SCOPES } from '../../src/domain/api-scopes.js';
import { loginKeyOf } from '../../src/domain/account.js';
import { signRegistryEvent } from '../../src/http/api/registry-signature.js';
import { accountSnapshot } from '../support/hostile-steps.js';
import { hostileShape, hostileString, type HostileShape } from '../support/hostile-values.js';
import { API_CLIENTS, REGISTRY_EVENT_KEY, useLifecycleJourney } from '../support/lifecycle-harness.js';
import { callApi, operatorToken, tokenFor, type ApiAnswer } from '../support/lifecycle-steps.js';
import { createCitizen, type AccountFixture } from '../support/provider-harness.js';
import { parseRouteKey, ROUTE_INPUTS, routesOfKind } from './input-inventory.js';

const RUNS_PER_ROUTE = 40;
const RUNS_OF_PATHS = 80;
const lockScopes = `${API_SCOPES.statusRead} ${API_SCOPES.lockRequest} ${API_SCOPES.lockRestore} ${API_SCOPES.auditRead}`;

/** An API route under attack: whose token, and a body no hostile value can turn into a valid request. */
interface ApiTarget {
  route: string;
  token: 'agency' | 'operator' | 'registry' | 'recorder';
  /** A body kept invalid by one field (an unknown reason, type or method) or naming nothing that exists. */
  base(victim: AccountFixture): Record<string, unknown>;
}

/**
 * Issue 6, the bearer-token API (docs/api.md): every JSON input of every /api/v1 route gets hostile text, wrong types
 * and broken bodies; path parameters get hostile segments. The answer is a 4xx problem+json with a `code` (never a
 * 5xx), and the account the requests name is byte-identical afterwards. Bases are invalid in one field the hostile
 * value cannot repair (an unknown lock reason, an unknown event type, an unknown method), so nothing can succeed.
 */
describe('hostile values in the API', () => {
  const journey = useLifecycleJourney();

  const targets: ApiTarget[] = [
    { route: 'POST /api/v1/accounts/status', token: 'agency', base: () => ({ personalIdNumber: '000000000000' }) },
    { route: 'POST /api/v1/accounts/:accountId/locks', token: 'agency', base: () => ({ reason: 'not-a-reason', note: 'Quyết định 1/QĐ' }) },
    { route: 'POST /api/v1/accounts/:accountId/locks/:lockId/lift', token: 'agency', base: () => ({ note: 'Quyết định 2/QĐ' }) },
    { route: 'POST /api/v1/accounts/:accountId/locks/:lockId/remediation', token: 'operator', base: () => ({ note: 'đã khắc phục' }) },
    {
      route: 'POST /api/v1/registry/events',
      token: 'registry',
      base: (victim) => ({ id: 'evt-hostile', type: 'not-a-type', source: 'population', occurredAt: new Date().toISOString(), subject: { personalIdNumber: victim.account.identity.idNumber } }),
    },
    {
      route: 'POST /api/v1/level2/in-person',
      token: 'recorder',
      base: (victim) => ({ personalIdNumber: victim.account.identity.idNumber, method: 'not-a-method', officerId: 'officer-1', stationId: 'station-1', legalBasis: 'Luật Căn cước 2023', at: new Date().toISOString() }),
    },
    { route: 'PUT /api/v1/clients/:clientId/suspension', token: 'operator', base: () => ({ reason: 'kiểm tra' }) },
  ];

  async function tokens(): Promise<Record<ApiTarget['token'], string>> {
    const { issuer } = journey.running;
    return {
      agency: await tokenFor(issuer, API_CLIENTS.agencyA, lockScopes),
      operator: await operatorToken(issuer, journey.operatorKey, `${API_SCOPES.operator} ${API_SCOPES.statusRead} ${API_SCOPES.lockRequest} ${API_SCOPES.auditRead}`),
      registry: await tokenFor(issuer, API_CLIENTS.population, API_SCOPES.registryEvents),
      recorder: await tokenFor(issuer, API_CLIENTS.level2Recorder, API_SCOPES.level2Record),
    };
  }

  /** The route's path with the victim's account, a lock id that does not exist, and a client that is not registered. */
  const pathOf = (route: string, victim: AccountFixture): string =>
    parseRouteKey(route).path.replace(':accountId', victim.account.id).replace(':lockId', 'no-such-lock').replace(':clientId', 'no-such-client');

  /** A problem+json refusal with a code, never a 5xx. */
  function problemsOf(answer: ApiAnswer): string[] {
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`server error ${answer.status}`);
    if (answer.status < 400 || answer.status >= 500) problems.push(`status ${answer.status}`);
    if (!(answer.headers.get('content-type') ?? '').includes('application/problem+json')) problems.push('not problem+json');
    if (typeof answer.body.code !== 'string') problems.push('no code');
    return problems;
  }

  const jsonOf = (shape: HostileShape): unknown => {
    switch (shape.shape) {
      case 'text':
        return shape.value;
      case 'repeated':
        return shape.values;
      case 'nested':
        return { [shape.key]: shape.value };
      case 'json':
        return shape.value;
      case 'bad-utf8':
        return decodeURIComponent(shape.escaped.replace(/%([89A-F][0-9A-F])/gi, '')) || '\uFFFD';
    }
  };

  /** Sends the body as the registry would, signed, so that the hostile value reaches validation. */
  async function send(target: ApiTarget, token: string, path: string, raw: string, contentType = 'application/json'): Promise<ApiAnswer> {
    const { method } = parseRouteKey(target.route);
    const timestamp = Math.floor(Date.now() / 1000);
    const signature: Record<string, string> =
      target.token === 'registry' ? { 'X-Vneid-Signature': `t=${timestamp},v1=${signRegistryEvent(REGISTRY_EVENT_KEY, timestamp, raw)}` } : {};
    return callApi(journey.running.issuer, token, method, path, raw, { 'content-type': contentType, ...signature });
  }

  it('covers every API route of the inventory', () => {
    const covered = new Set([...targets.map((target) => target.route), 'GET /api/v1/accounts/:accountId/locks', 'GET /api/v1/accounts/:accountId/audit', 'GET /api/v1/accounts/:accountId/audit/export', 'GET /api/v1/clients/suspensions', 'DELETE /api/v1/clients/:clientId/suspension']);
    expect(routesOfKind('api').filter((route) => !covered.has(route))).toEqual([]);
  });

  for (const target of targets) {
    it(`${target.route}: hostile JSON values and broken bodies are refused with a problem, and the account is unchanged`, async () => {
      const victim = await createCitizen(journey.running.container);
      const token = (await tokens())[target.token];
      const path = pathOf(target.route, victim);
      const inputs = (ROUTE_INPUTS[target.route]?.inputs ?? []).filter((input) => !['accountId', 'lockId', 'clientId', 'X-Vneid-Signature'].includes(input));
      const before = await accountSnapshot(journey.running, victim.account.id, loginKeyOf(victim.account.identity));
      const brokenBody = fc.constantFrom(
        '{"personalIdNumber":',
        '[]',
        '"a string"',
        '12',
        'null',
        `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
        '{"a":1,"a":2}',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
      );
      const failures: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom(...inputs, 'isAdmin', 'constructor'), hostile: hostileShape }),
            fc.record({ kind: fc.constant('raw' as const), raw: brokenBody, contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain') }),
          ),
          async (attack) => {
            const raw = attack.kind === 'field' ? JSON.stringify({ ...target.base(victim), [attack.field]: jsonOf(attack.hostile) }) : attack.raw;
            const answer = await send(target, token, path, raw, attack.kind === 'raw' ? attack.contentType : 'application/json');
            const problems = problemsOf(answer);
            if (problems.length > 0) failures.push(`${JSON.stringify(attack).slice(0, 160)} -> ${problems.join('; ')} ${answer.text.slice(0, 200)}`);
            return problems.length === 0;
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      ).catch((error: unknown) => {
        throw new Error(`${failures.slice(0, 5).join('\n')}\n${String(error).slice(0, 1500)}`);
      });
      expect(await accountSnapshot(journey.running, victim.account.id, loginKeyOf(victim.account.identity))).toBe(before);
    });
  }

  it('hostile path segments and query values of every API route answer 4xx problems', async () => {
    const victim = await createCitizen(journey.running.container);
    const all = await tokens();
    const before = await accountSnapshot(journey.running, victim.account.id, loginKeyOf(victim.account.identity));
    const routes = routesOfKind('api').map(parseRouteKey).filter((route) => route.path.includes(':'));
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), hostileString, hostileString, async (route, segment, query) => {
        const encoded = encodeURIComponent(segment.replace(/[\uD800-\uDFFF]/g, '\uFFFD')) || '%20';
        const path = route.path.replace(/:\w+/, encoded).replace(':lockId', 'no-such-lock').replace(':accountId', victim.account.id).replace(':clientId', 'no-such-client');
        const search = `?limit=${encodeURIComponent(query.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}&before=${encodeURIComponent(query.slice(0, 40).replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`;
        const token = route.path.includes('/clients/') || route.path.endsWith('/remediation') ? all.operator : all.agency;
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : { note: 'x', reason: 'not-a-reason' };
        const answer = await callApi(journey.running.issuer, token, route.method, `/api/v1${path.slice('/api/v1'.length)}${search}`, body);
        const problems = problemsOf(answer);
        if (problems.length > 0) failures.push(`${route.method} ${path}${search.slice(0, 60)} -> ${problems.join('; ')}`);
        return problems.length === 0;
      }),
      { numRuns: RUNS_OF_PATHS },
    ).catch((error: unknown) => {
      throw new Error(`${failures.slice(0, 5).join('\n')}\n${String(error).slice(0, 1500)}`);
    });
    expect(await accountSnapshot(journey.running, victim.account.id, loginKeyOf(victim.account.identity))).toBe(before);
  });

  it('refuses a JSON body over 16 KiB with 413 problem+json', async () => {
    const token = (await tokens()).agency;
    const answer = await callApi(journey.running.issuer, token, 'POST', '/api/v1/accounts/status', { personalIdNumber: '0'.repeat(20_000) });
    expect(answer).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
