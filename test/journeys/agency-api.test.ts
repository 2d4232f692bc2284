import { describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { API_SCOPES, API_SCOPE_VALUES } from '../../src/domain/api-scopes.js';
import { createCitizen, TEST_CLIENT } from '../support/provider-harness.js';
import { API_CLIENTS, useLifecycleJourney } from '../support/lifecycle-harness.js';
import { callApi, operatorToken, refreshAs, tokenFor, tokenRequest, userinfoStatus } from '../support/lifecycle-steps.js';
import { authorizationRequest, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/** The agency and service-user API (docs/api.md): Decision 34 Art 10.2, 11.2, 12, 13.5. */
describe('the agency and service-user API', () => {
  const journey = useLifecycleJourney();
  const lockScopes = `${API_SCOPES.statusRead} ${API_SCOPES.lockRequest} ${API_SCOPES.lockRestore} ${API_SCOPES.auditRead}`;

  it('is described by an OpenAPI 3.1 document, and discovery lists its scopes', async () => {
    const { issuer } = journey.running;
    const document = await callApi(issuer, undefined, 'GET', '/api/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({ openapi: '3.1.0', servers: [{ url: `${issuer}/api/v1` }] });
    expect(Object.keys(document.body.paths as object)).toEqual(
      expect.arrayContaining(['/accounts/status', '/accounts/{accountId}/locks', '/accounts/{accountId}/locks/{lockId}/lift', '/registry/events', '/clients/{clientId}/suspension', '/level2/in-person']),
    );
    expect(journey.rp.serverMetadata().scopes_supported).toEqual(expect.arrayContaining([...API_SCOPE_VALUES]));
  });

  it('answers problem+json 401 without a token, and 403 outside the token\'s scopes', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const none = await callApi(issuer, undefined, 'POST', '/api/v1/accounts/status', { personalIdNumber: owner.account.identity.idNumber });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const forged = await callApi(issuer, 'x'.repeat(43), 'POST', '/api/v1/accounts/status', { personalIdNumber: owner.account.identity.idNumber });
    expect(forged.headers.get('www-authenticate')).toContain('invalid_token');

    // A client cannot even obtain a scope it is not registered for.
    expect((await tokenRequest(issuer, API_CLIENTS.readOnly, API_SCOPES.lockRequest)).body.error).toBe('invalid_scope');
    const readOnly = await tokenFor(issuer, API_CLIENTS.readOnly, API_SCOPES.statusRead);
    const status = await callApi(issuer, readOnly, 'POST', '/api/v1/accounts/status', { personalIdNumber: owner.account.identity.idNumber });
    expect(status).toMatchObject({ status: 200, body: { accountId: owner.account.id, status: 'active', level: 1, locks: [] } });
    const lock = await callApi(issuer, readOnly, 'POST', `/api/v1/accounts/${owner.account.id}/locks`, { note: 'case 1' });
    expect(lock).toMatchObject({ status: 403, body: { code: 'forbidden', detail: 'insufficient_scope' } });

    // Unknown fields are refused, and values never come back in the problem.
    const extra = await callApi(issuer, readOnly, 'POST', '/api/v1/accounts/status', { personalIdNumber: owner.account.identity.idNumber, admin: true });
    expect(extra).toMatchObject({ status: 400, body: { code: 'bad_request', detail: expect.stringContaining('admin') } });
    expect(extra.text).not.toContain(owner.account.identity.idNumber ?? '-');
  });

  it('lets agency A lock and lift, and refuses agency B lifting A\'s lock (Art 11.2)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const tokens = await logIn(journey.rp, new UserAgent(), owner, { scope: 'openid offline_access', prompt: 'consent' });
    const agencyA = await tokenFor(issuer, API_CLIENTS.agencyA, lockScopes);
    const agencyB = await tokenFor(issuer, API_CLIENTS.agencyB, lockScopes);
    const locksPath = `/api/v1/accounts/${owner.account.id}/locks`;

    const opened = await callApi(issuer, agencyA, 'POST', locksPath, { note: 'Quyết định 12/QĐ-CSĐT' });
    expect(opened).toMatchObject({
      status: 201,
      body: { created: true, lock: { reason: 'agency_request', legalBasis: 'Decision 34 Art 10.2', requestedBy: { kind: 'agency', id: 'agency-a' }, liftPath: 'requesting_party' }, effects: { sessionsEnded: 1 } },
    });
    await expect(oidc.refreshTokenGrant(journey.rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    // The same request again changes nothing (idempotent per requester and reason).
    expect(await callApi(issuer, agencyA, 'POST', locksPath, { note: 'Quyết định 12/QĐ-CSĐT' })).toMatchObject({ status: 200, body: { created: false } });

    const lockId = String((opened.body.lock as { id: string }).id);
    const seenByB = await callApi(issuer, agencyB, 'GET', locksPath);
    expect(seenByB.body).toMatchObject({ locked: true, open: [{ id: lockId, requestedBy: { kind: 'agency' } }] });
    expect((seenByB.body.open as { requestedBy: { id?: string }; note?: string }[])[0]).not.toHaveProperty('requestedBy.id');

    const byB = await callApi(issuer, agencyB, 'POST', `${locksPath}/${lockId}/lift`, { note: 'not ours' });
    expect(byB).toMatchObject({ status: 403, body: { detail: 'not_requesting_party' } });
    const service = await tokenFor(issuer, API_CLIENTS.serviceUser, `${API_SCOPES.lockRestore}`);
    expect(await callApi(issuer, service, 'POST', `${locksPath}/${lockId}/lift`, {})).toMatchObject({ status: 403, body: { detail: 'not_requesting_party' } });
    expect((await container.locks.statusOf(owner.account.id)).locked).toBe(true);

    const byA = await callApi(issuer, agencyA, 'POST', `${locksPath}/${lockId}/lift`, { note: 'Quyết định 13/QĐ-CSĐT' });
    expect(byA).toMatchObject({ status: 200, body: { accountUsable: true, lock: { liftBasis: 'Decision 34 Art 11.2' } } });
    expect(await callApi(issuer, agencyA, 'POST', `${locksPath}/${lockId}/lift`, {})).toMatchObject({ status: 404, body: { detail: 'lock_not_found' } });

    // The refused attempt is in the trail, with who tried and why it was refused.
    const audit = await callApi(issuer, agencyA, 'GET', `/api/v1/accounts/${owner.account.id}/audit?limit=100`);
    const events = audit.body.events as { type: string; actor: { id?: string }; details?: Record<string, unknown> }[];
    expect(events.find((event) => event.type === 'lock.lift_refused' && event.actor.id === 'agency-b')).toMatchObject({ details: { refusal: 'not_requesting_party', lockId } });
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['account.locked', 'account.restored', 'api.called']));
  });

  it('exports an account\'s audit trail as NDJSON, oldest first', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const agencyA = await tokenFor(issuer, API_CLIENTS.agencyA, lockScopes);
    await callApi(issuer, agencyA, 'POST', `/api/v1/accounts/${owner.account.id}/locks`, { note: 'export test' });
    const response = await fetch(`${issuer}/api/v1/accounts/${owner.account.id}/audit/export`, { headers: { authorization: `Bearer ${agencyA}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { type: string; at: string });
    expect(lines.map((line) => line.type)).toEqual(expect.arrayContaining(['account.locked']));
    const times = lines.map((line) => Date.parse(line.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('lets the operator (private_key_jwt) suspend a relying party: its logins and tokens stop, and resume when reinstated (Art 13.5)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const tokens = await logIn(journey.rp, new UserAgent(), owner, { scope: 'openid offline_access', prompt: 'consent' });
    const operator = await operatorToken(issuer, journey.operatorKey, API_SCOPES.operator);

    expect(await callApi(issuer, operator, 'PUT', `/api/v1/clients/${TEST_CLIENT.id}/suspension`, { reason: 'TLS configuration fails the requirements' })).toMatchObject({ status: 201 });
    // Login refused at the authorization endpoint (an error page, no redirect) and at the token endpoint.
    const request = await authorizationRequest(journey.rp);
    const page = await new UserAgent().navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    expect(page.url.startsWith(TEST_CLIENT.redirectUri)).toBe(false);
    expect(page.status).toBe(400);
    const refresh = await refreshAs(issuer, TEST_CLIENT, tokens.refresh_token ?? '');
    expect(refresh.status).toBe(401);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_client' });
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(401);
    expect((await callApi(issuer, operator, 'GET', '/api/v1/clients/suspensions')).body).toMatchObject({ suspensions: [{ clientId: TEST_CLIENT.id, suspendedBy: 'operator' }] });

    // Only the operator suspends; an agency with the right token is refused.
    const agencyA = await tokenFor(issuer, API_CLIENTS.agencyA, lockScopes);
    expect((await callApi(issuer, agencyA, 'PUT', `/api/v1/clients/${API_CLIENTS.agencyB.id}/suspension`, { reason: 'x' })).status).toBe(403);

    expect((await callApi(issuer, operator, 'DELETE', `/api/v1/clients/${TEST_CLIENT.id}/suspension`)).status).toBe(204);
    const refreshed = await oidc.refreshTokenGrant(journey.rp, tokens.refresh_token ?? '');
    expect(refreshed.access_token).toEqual(expect.any(String));
  });

  it('refuses every call of a suspended API client, whatever token it holds', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const agencyB = await tokenFor(issuer, API_CLIENTS.agencyB, lockScopes);
    const operator = await operatorToken(issuer, journey.operatorKey, API_SCOPES.operator);
    await callApi(issuer, operator, 'PUT', `/api/v1/clients/${API_CLIENTS.agencyB.id}/suspension`, { reason: 'key leaked' });
    const refused = await callApi(issuer, agencyB, 'POST', '/api/v1/accounts/status', { personalIdNumber: owner.account.identity.idNumber });
    expect(refused).toMatchObject({ status: 403, body: { detail: 'client_suspended' } });
    expect((await tokenRequest(issuer, API_CLIENTS.agencyB, API_SCOPES.statusRead)).body.error).toBe('invalid_client');
    await callApi(issuer, operator, 'DELETE', `/api/v1/clients/${API_CLIENTS.agencyB.id}/suspension`);
    expect((await callApi(issuer, agencyB, 'POST', '/api/v1/accounts/status', { personalIdNumber: owner.account.identity.idNumber })).status).toBe(200);
  });

  it('takes a terms lock from the operator, which the owner lifts only after the remediation is recorded (Art 10.3, 11.3)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const operator = await operatorToken(issuer, journey.operatorKey, `${API_SCOPES.operator} ${API_SCOPES.lockRequest}`);
    const opened = await callApi(issuer, operator, 'POST', `/api/v1/accounts/${owner.account.id}/locks`, { note: 'account shared with a third party' });
    expect(opened).toMatchObject({ status: 201, body: { lock: { reason: 'terms_violation', liftPath: 'owner_after_remediation' } } });
    const lockId = String((opened.body.lock as { id: string }).id);
    expect(await container.locks.liftOwnLock({ accountId: owner.account.id, lockId, locale: 'vi' })).toEqual({ ok: false, error: 'remediation_required' });
    expect(await callApi(issuer, operator, 'POST', `/api/v1/accounts/${owner.account.id}/locks/${lockId}/remediation`, { note: 'owner changed password, confirmed' })).toMatchObject({ status: 200 });
    expect((await container.locks.statusOf(owner.account.id)).locks[0]).toMatchObject({ ownerMayLiftNow: true });
    expect(await container.locks.liftOwnLock({ accountId: owner.account.id, lockId, locale: 'vi' })).toMatchObject({ ok: true, value: { accountUsable: true } });
  });

  it('mounts the in-person level-2 record under its own scope', async () => {
    const { issuer } = journey.running;
    const counter = await tokenFor(issuer, API_CLIENTS.level2Recorder, API_SCOPES.level2Record);
    const record = { personalIdNumber: '001099999999', method: 'fpt', officerId: 'CA-HN-123', stationId: 'PC06-HN', legalBasis: 'Decision 34 Art 5.1.b', at: new Date().toISOString() };
    expect(await callApi(issuer, counter, 'POST', '/api/v1/level2/in-person', record)).toMatchObject({ status: 404, body: { detail: 'account_not_found' } });
    const agencyA = await tokenFor(issuer, API_CLIENTS.agencyA, API_SCOPES.statusRead);
    expect((await callApi(issuer, agencyA, 'POST', '/api/v1/level2/in-person', record)).status).toBe(403);
  });
});
