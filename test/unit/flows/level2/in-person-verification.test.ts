import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { InPersonVerificationInput } from '../../../../src/flows/level2/types.js';
import { createRedisClient, waitUntilConnected } from '../../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../../support/redis-server.js';
import { DAY, HOUR, MINUTE, world, type World } from './level2-harness.js';

/**
 * Level 2 in person (Decision 34 Art 5.1.b; later rules: at a police counter). The agency API calls
 * recordInPersonVerification once an officer has compared fingerprints (in the agency's system) or the portrait.
 */

let server: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = createRedisClient({ url: server.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  await waitUntilConnected(redis, 5000);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

function counter(w: World, idNumber: string | undefined, overrides: Partial<InPersonVerificationInput> = {}): InPersonVerificationInput {
  return {
    accountRef: { kind: 'citizen', idNumber: idNumber ?? '' },
    method: 'fpt',
    officerId: 'CA-HN-0042',
    stationId: 'PC06-HaNoi-BaDinh',
    legalBasis: 'Decision 34 Art 5.1.b',
    at: w.clock.now() - 20 * MINUTE,
    recordedBy: 'agency-police',
    ...overrides,
  };
}

describe('recording an officer’s verification', () => {
  it('raises a citizen’s account to level 2 with method fpt, the officer, the station, the legal basis and the time', async () => {
    const w = world(redis);
    const account = await w.citizen();
    const input = counter(w, account.identity.idNumber);
    const recorded = await w.service.recordInPersonVerification(input);
    const verification = {
      method: 'fpt',
      at: input.at,
      officerId: 'CA-HN-0042',
      stationId: 'PC06-HaNoi-BaDinh',
      legalBasis: 'Decision 34 Art 5.1.b',
      channel: 'in_person',
    };
    expect(recorded).toEqual({ ok: true, value: { accountId: account.id, previousLevel: 1, level: 2, verification } });
    expect(await w.accounts.findById(account.id)).toMatchObject({ level: 2, levelVerification: verification });
    expect(w.audit.events.map((event) => event.type)).toEqual(['level2.recorded', 'level.changed']);
    expect(w.audit.events[0]).toMatchObject({ actor: { kind: 'agency', id: 'agency-police' }, legalBasis: 'Decision 34 Art 5.1.b' });
  });

  it('finds a foreigner by passport and nationality, and accepts an RFC 3339 time and a portrait check', async () => {
    const w = world(redis);
    const account = await w.foreigner();
    const at = new Date(w.clock.now() - 2 * HOUR).toISOString();
    const recorded = await w.service.recordInPersonVerification(
      counter(w, undefined, {
        accountRef: { kind: 'foreigner', passportNumber: account.identity.passportNumber ?? '', nationality: 'KOR' },
        method: 'face',
        at,
      }),
    );
    expect(recorded).toMatchObject({ ok: true, value: { accountId: account.id, verification: { method: 'face', at: Date.parse(at) } } });
  });

  it('finds an account by its id too', async () => {
    const w = world(redis);
    const account = await w.citizen();
    expect((await w.service.recordInPersonVerification(counter(w, undefined, { accountRef: { kind: 'account', accountId: account.id } }))).ok).toBe(true);
  });

  it('replaces the record of an account already at level 2 with the newer verification', async () => {
    const w = world(redis);
    const account = await w.citizen();
    await w.service.recordInPersonVerification(counter(w, account.identity.idNumber, { method: 'face' }));
    w.clock.advance(DAY);
    const again = await w.service.recordInPersonVerification(counter(w, account.identity.idNumber, { stationId: 'PC06-HCM-Q1' }));
    expect(again).toMatchObject({ ok: true, value: { previousLevel: 2, verification: { method: 'fpt', stationId: 'PC06-HCM-Q1' } } });
    expect((await w.accounts.findById(account.id))?.levelVerification?.stationId).toBe('PC06-HCM-Q1');
  });

  it('verifies a dependant itself, and nobody else', async () => {
    const w = world(redis);
    const representative = await w.citizen();
    const dependant = await w.citizen({ representativeAccountId: representative.id });
    await w.service.recordInPersonVerification(counter(w, dependant.identity.idNumber));
    expect((await w.accounts.findById(dependant.id))?.level).toBe(2);
    expect((await w.accounts.findById(representative.id))?.level).toBe(1);
  });
});

describe('what is refused', () => {
  it.each([
    ['a method other than fpt or face', { method: 'iris' }],
    ['an officer id with spaces', { officerId: 'officer 42' }],
    ['an empty station', { stationId: '' }],
    ['an empty legal basis', { legalBasis: '  ' }],
    ['a legal basis with control characters', { legalBasis: 'Art 5\n1.b' }],
    ['a time that is not a time', { at: 'yesterday' }],
    ['a negative epoch', { at: -5 }],
  ])('%s: invalid_input, nothing changed', async (_label, overrides) => {
    const w = world(redis);
    const account = await w.citizen();
    const input = { ...counter(w, account.identity.idNumber), ...overrides } as InPersonVerificationInput;
    expect(await w.service.recordInPersonVerification(input)).toEqual({ ok: false, error: 'invalid_input' });
    expect((await w.accounts.findById(account.id))?.level).toBe(1);
  });

  it('refuses a time in the future or older than level2.inPersonMaxAgeDays', async () => {
    const w = world(redis);
    const account = await w.citizen();
    const id = account.identity.idNumber;
    expect(await w.service.recordInPersonVerification(counter(w, id, { at: w.clock.now() + HOUR }))).toEqual({ ok: false, error: 'at_in_future' });
    expect(await w.service.recordInPersonVerification(counter(w, id, { at: w.clock.now() - 31 * DAY }))).toEqual({ ok: false, error: 'at_too_old' });
    // A few minutes of clock difference between the agency's system and ours are tolerated.
    expect((await w.service.recordInPersonVerification(counter(w, id, { at: w.clock.now() + 2 * MINUTE }))).ok).toBe(true);
  });

  it('refuses an unknown person, an account pending activation, and a closed identity', async () => {
    const w = world(redis);
    expect(await w.service.recordInPersonVerification(counter(w, '001199999999'))).toEqual({ ok: false, error: 'account_not_found' });
    const pending = await w.citizen({ status: 'pending_activation', activationExpiresAt: w.clock.now() + DAY });
    expect(await w.service.recordInPersonVerification(counter(w, pending.identity.idNumber))).toEqual({ ok: false, error: 'not_active' });
    const deceased = await w.citizen({ record: { lifeStatus: 'deceased' } });
    expect(await w.service.recordInPersonVerification(counter(w, deceased.identity.idNumber))).toEqual({ ok: false, error: 'identity_closed' });
    expect((await w.accounts.findById(deceased.id))?.level).toBe(1);
  });

  it('records nothing while the registry cannot answer (fail closed)', async () => {
    const w = world(redis);
    const account = await w.citizen();
    w.registries.down = true;
    expect(await w.service.recordInPersonVerification(counter(w, account.identity.idNumber))).toEqual({ ok: false, error: 'registry_unavailable' });
    expect((await w.accounts.findById(account.id))?.level).toBe(1);
    expect(w.audit.events).toEqual([]);
  });
});
