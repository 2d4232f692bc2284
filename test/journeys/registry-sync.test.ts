import { describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import type { Identity } from '../../src/domain/account.js';
import { API_SCOPES } from '../../src/domain/api-scopes.js';
import type { CitizenRecord, ForeignerRecord } from '../../src/domain/registry.js';
import { createCitizen, TEST_CLIENT, type AccountFixture } from '../support/provider-harness.js';
import { API_CLIENTS, useLifecycleJourney } from '../support/lifecycle-harness.js';
import { callApi, pushRegistryEvent, tokenFor, userinfoStatus } from '../support/lifecycle-steps.js';
import { personas } from '../support/registration-steps.js';
import { authorizationRequest, logIn } from '../support/relying-party.js';
import { UserAgent } from '../support/user-agent.js';

/** Decision 34 Art 9.1: changes in the national databases flow into the accounts, and the owner is always told. */
describe('registry events and the reconciliation pass', () => {
  const journey = useLifecycleJourney();
  let sequence = 0;
  const eventId = (): string => `evt-${Date.now()}-${(sequence += 1)}`;
  const subjectOf = (fixture: AccountFixture): Record<string, string> =>
    fixture.account.identity.kind === 'citizen'
      ? { personalIdNumber: fixture.account.identity.idNumber ?? '' }
      : { passportNumber: fixture.account.identity.passportNumber ?? '', nationality: fixture.account.identity.nationality ?? '' };

  const population = (): Promise<string> => tokenFor(journey.running.issuer, API_CLIENTS.population, API_SCOPES.registryEvents);

  async function templatesSentTo(fixture: AccountFixture): Promise<string[]> {
    const messages = (await journey.running.container.notifications.outbox?.messages({ to: fixture.account.phone ?? '' })) ?? [];
    return messages.map((message) => message.template);
  }

  async function canSignIn(fixture: AccountFixture): Promise<boolean> {
    const agent = new UserAgent();
    const request = await authorizationRequest(journey.rp);
    const loginPage = await agent.navigate(request.url.toString(), TEST_CLIENT.redirectUri);
    const afterLogin = await agent.submit(loginPage, '/login', fixture.loginFields, TEST_CLIENT.redirectUri);
    if (afterLogin.url.startsWith(TEST_CLIENT.redirectUri)) return new URL(afterLogin.url).searchParams.has('code');
    if (!afterLogin.html.includes('/confirm')) return false;
    const confirmed = await agent.submit(afterLogin, '/confirm', {}, TEST_CLIENT.redirectUri);
    return new URL(confirmed.url).searchParams.has('code');
  }

  it('locks on a death, applies a redelivery once, and lifts on the correction only (Art 10.5)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const tokens = await logIn(journey.rp, new UserAgent(), owner, { scope: 'openid offline_access', prompt: 'consent' });
    const registry = await population();
    const died = { id: eventId(), type: 'person.died', source: 'population', subject: subjectOf(owner) };

    expect(await pushRegistryEvent(issuer, registry, died)).toMatchObject({ status: 200, body: { outcome: 'applied', actions: ['open_lock:death'] } });
    expect(await pushRegistryEvent(issuer, registry, died)).toMatchObject({ status: 200, body: { outcome: 'duplicate', actions: [] } });
    expect((await container.locks.openLocks(owner.account.id)).map((lock) => [lock.reason, lock.requestedBy.kind])).toEqual([['death', 'registry']]);
    await expect(oidc.refreshTokenGrant(journey.rp, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await canSignIn(owner)).toBe(false);

    // Nobody but the registry lifts it: not an agency, not the owner.
    const [deathLock] = await container.locks.openLocks(owner.account.id);
    const agency = await tokenFor(issuer, API_CLIENTS.agencyA, API_SCOPES.lockRestore);
    expect(await callApi(issuer, agency, 'POST', `/api/v1/accounts/${owner.account.id}/locks/${deathLock?.id ?? ''}/lift`, {})).toMatchObject({
      status: 403,
      body: { detail: 'registry_correction_only' },
    });
    expect(await container.locks.liftOwnLock({ accountId: owner.account.id, lockId: deathLock?.id ?? '', locale: 'vi' })).toEqual({ ok: false, error: 'registry_correction_only' });

    const corrected = await pushRegistryEvent(issuer, registry, { id: eventId(), type: 'death.corrected', source: 'population', subject: subjectOf(owner) });
    expect(corrected.body).toMatchObject({ outcome: 'applied', actions: ['lift_locks:death'] });
    expect(await container.locks.isLocked(owner.account.id)).toBe(false);
    expect(await canSignIn(owner)).toBe(true);
    expect(await templatesSentTo(owner)).toEqual(expect.arrayContaining(['account_locked', 'account_restored']));
  });

  it('locks and unlocks on the number being invalidated and corrected (Art 10.4)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const registry = await population();
    await pushRegistryEvent(issuer, registry, { id: eventId(), type: 'id_number.invalidated', source: 'population', subject: subjectOf(owner) });
    expect((await container.locks.statusOf(owner.account.id)).locks).toMatchObject([{ reason: 'id_number_invalidated', howToLift: 'registry_correction' }]);
    await pushRegistryEvent(issuer, registry, { id: eventId(), type: 'id_number.corrected', source: 'population', subject: subjectOf(owner) });
    expect(await container.locks.isLocked(owner.account.id)).toBe(false);
  });

  it('puts a new name in the next ID token and tells the owner what changed', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const tokens = await logIn(journey.rp, new UserAgent(), owner, {
      scope: 'openid offline_access profile',
      prompt: 'consent',
      claims: JSON.stringify({ id_token: { name: null } }),
    });
    expect(tokens.claims()?.name).toBe('Lê Thị Hồng Nhung');

    const changed = await pushRegistryEvent(issuer, await population(), {
      id: eventId(),
      type: 'identity.changed',
      source: 'population',
      subject: subjectOf(owner),
      changes: { fullName: 'Lê Hồng Nhung' },
    });
    expect(changed.body).toMatchObject({ outcome: 'applied', actions: ['update_identity:full_name'] });

    const refreshed = await oidc.refreshTokenGrant(journey.rp, tokens.refresh_token ?? '');
    expect(refreshed.claims()?.name).toBe('Lê Hồng Nhung');
    const notice = (await container.notifications.outbox?.messages({ to: owner.account.phone ?? '' }))?.find((message) => message.template === 'identity_updated');
    expect(notice?.params).toEqual({ fields: 'full_name' });
    expect(await container.locks.isLocked(owner.account.id)).toBe(false);
  });

  it('hides an expired identity card from the claims and tells the owner to renew it, without locking (draft 2025)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    await container.accounts.save({ ...owner.account, documents: [{ type: 'identity_card', expiresOn: '2030-05-17', hidden: false }] });
    const tokens = await logIn(journey.rp, new UserAgent(), owner, { scope: 'openid documents' });
    expect(await oidc.fetchUserInfo(journey.rp, tokens.access_token, owner.account.id)).toMatchObject({
      documents: [{ type: 'identity_card', expires_on: '2030-05-17' }],
    });

    const expired = await pushRegistryEvent(issuer, await population(), {
      id: eventId(),
      type: 'document.expired',
      source: 'population',
      subject: subjectOf(owner),
      document: { type: 'identity_card' },
    });
    expect(expired.body).toMatchObject({ outcome: 'applied', actions: ['hide_document:identity_card'] });
    expect(await container.locks.isLocked(owner.account.id)).toBe(false);
    expect(await userinfoStatus(issuer, tokens.access_token)).toBe(200);
    expect(await oidc.fetchUserInfo(journey.rp, tokens.access_token, owner.account.id)).not.toHaveProperty('documents');
    expect(await templatesSentTo(owner)).toContain('document_expired');

    await pushRegistryEvent(issuer, await population(), {
      id: eventId(),
      type: 'document.renewed',
      source: 'population',
      subject: subjectOf(owner),
      document: { type: 'identity_card', expiresOn: '2045-05-17' },
    });
    expect(await oidc.fetchUserInfo(journey.rp, tokens.access_token, owner.account.id)).toMatchObject({
      documents: [{ type: 'identity_card', expires_on: '2045-05-17' }],
    });
  });

  it('locks a foreigner whose residence expired and lifts it on renewal (later rules)', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container, {
      identity: { kind: 'foreigner', idNumber: undefined, passportNumber: `P${Date.now() % 100_000_000}`, nationality: 'JPN', fullName: 'Sato Kenji' },
    });
    const immigration = await tokenFor(issuer, API_CLIENTS.immigration, API_SCOPES.registryEvents);
    await pushRegistryEvent(issuer, immigration, { id: eventId(), type: 'residence.expired', source: 'immigration', subject: subjectOf(owner) });
    expect((await container.locks.statusOf(owner.account.id)).locks).toMatchObject([{ reason: 'foreign_document_expired', howToLift: 'document_renewal' }]);
    // A population event cannot name a foreigner.
    expect((await pushRegistryEvent(issuer, await population(), { id: eventId(), type: 'person.died', source: 'population', subject: subjectOf(owner) })).status).toBe(400);
    await pushRegistryEvent(issuer, immigration, { id: eventId(), type: 'residence.renewed', source: 'immigration', subject: subjectOf(owner) });
    expect(await container.locks.isLocked(owner.account.id)).toBe(false);
  });

  it('refuses an unsigned or tampered event, and changes nothing', async () => {
    const { issuer, container } = journey.running;
    const owner = await createCitizen(container);
    const registry = await population();
    const event = { id: eventId(), type: 'person.died', source: 'population', occurredAt: new Date().toISOString(), subject: subjectOf(owner) };
    expect(await callApi(issuer, registry, 'POST', '/api/v1/registry/events', event)).toMatchObject({ status: 401, body: { detail: 'signature_missing' } });
    expect(await pushRegistryEvent(issuer, registry, event, 'another-key-that-is-long-enough-0123456789')).toMatchObject({ status: 401, body: { detail: 'signature_mismatch' } });
    expect(await pushRegistryEvent(issuer, registry, { ...event, extra: 1 })).toMatchObject({ status: 400 });
    // The scope alone is needed too: an agency token cannot push, even correctly signed.
    const agency = await tokenFor(issuer, API_CLIENTS.agencyA, API_SCOPES.statusRead);
    expect((await pushRegistryEvent(issuer, agency, event)).status).toBe(403);
    expect(await container.locks.isLocked(owner.account.id)).toBe(false);
  });

  it('catches missed events in the reconciliation pass: death and expired residence lock, an expired card is only hidden', async () => {
    const { container } = journey.running;
    const identityOf = (record: CitizenRecord | ForeignerRecord): Partial<Identity> =>
      record.kind === 'citizen'
        ? { kind: 'citizen', idNumber: record.idNumber, fullName: record.fullName, birthDate: record.birthDate, gender: record.gender }
        : { kind: 'foreigner', idNumber: undefined, passportNumber: record.passportNumber, nationality: record.nationality, fullName: record.fullName, birthDate: record.birthDate, gender: record.gender };
    const deceased = await createCitizen(container, { identity: identityOf(personas.citizens.deceased) });
    const expiredCard = await createCitizen(container, { identity: identityOf(personas.citizens.expiredCard) });
    const expiredResidence = await createCitizen(container, { identity: identityOf(personas.foreigners.expiredResidence) });

    const report = await container.reconciliation.runPass();
    expect(report).toMatchObject({ registryUnavailable: false });
    expect((await container.locks.openLocks(deceased.account.id)).map((lock) => lock.reason)).toEqual(['death']);
    expect((await container.locks.openLocks(expiredResidence.account.id)).map((lock) => lock.reason)).toEqual(['foreign_document_expired']);
    expect(await container.locks.isLocked(expiredCard.account.id)).toBe(false);
    expect((await container.accounts.findById(expiredCard.account.id))?.documents).toEqual([expect.objectContaining({ type: 'identity_card', hidden: true })]);
    expect(await templatesSentTo(expiredCard)).toContain('document_expired');

    // A second pass finds nothing new to do for them (idempotent).
    await container.reconciliation.runPass();
    expect(await container.locks.openLocks(deceased.account.id)).toHaveLength(1);
  });
});
