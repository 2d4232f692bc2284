import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { RedisKeys } from '../../../src/storage/keys.js';
import { createRedisAdapterFactory } from '../../../src/storage/oidc-adapter.js';
import { TestRedisServer } from '../../support/redis-server.js';

/**
 * The same scenarios against oidc-provider's own MemoryAdapter (the reference behaviour) and ours: every observation
 * must be identical. Expiry is covered in oidc-adapter.test.ts (the memory adapter reads the wall clock), and so is the
 * one intended difference: a second consume() of one record is refused here, while the memory adapter overwrites.
 */

// The library ships its memory adapter without type declarations; a variable specifier keeps tsc from looking for them.
const MEMORY_ADAPTER_MODULE = 'oidc-provider/lib/adapters/memory_adapter.js';
let createMemoryAdapter: (clockTolerance?: number) => AdapterFactory;

let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

type Scenario = (adapterFor: (model: string) => Adapter) => Promise<unknown[]>;

const token = (grantId: string, extra: Partial<AdapterPayload> = {}): AdapterPayload => ({
  accountId: 'account-1',
  clientId: 'client-1',
  grantId,
  scope: 'openid',
  ...extra,
});

/** A snapshot of what a caller would see; `consumed` is a timestamp, so only its presence and type are compared. */
function observe(value: unknown): unknown {
  if (value === undefined) return 'absent';
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  if ('consumed' in copy) copy.consumed = typeof copy.consumed === 'number' ? 'a number' : copy.consumed;
  return copy;
}

async function outcomeOf(operation: () => Promise<unknown>): Promise<string> {
  try {
    await operation();
    return 'resolved';
  } catch {
    return 'rejected';
  }
}

const GRANTABLE = ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'];

const scenarios: [string, Scenario][] = [
  [
    'upsert then find, for every model',
    async (adapterFor) => {
      const models = ['Session', 'Interaction', 'Grant', 'ClientCredentials', 'PushedAuthorizationRequest',
        'ReplayDetection', 'Client', 'RegistrationAccessToken', ...GRANTABLE];
      const seen: unknown[] = [];
      for (const model of models) {
        await adapterFor(model).upsert('id-1', { kind: model, jti: 'id-1', uid: 'uid-1', list: [], nested: {} }, 60);
        seen.push(observe(await adapterFor(model).find('id-1')));
      }
      return seen;
    },
  ],
  ['find of an unknown id', async (adapterFor) => [observe(await adapterFor('AccessToken').find('nope'))]],
  [
    'a second upsert replaces the first',
    async (adapterFor) => {
      await adapterFor('Interaction').upsert('i-1', { a: 1, b: 2 }, 60);
      await adapterFor('Interaction').upsert('i-1', { a: 3 }, 60);
      return [observe(await adapterFor('Interaction').find('i-1'))];
    },
  ],
  [
    'a record without expiresIn',
    async (adapterFor) => {
      await adapterFor('Client').upsert('c-1', { client_id: 'c-1', redirect_uris: [] });
      return [observe(await adapterFor('Client').find('c-1'))];
    },
  ],
  [
    'Session by uid, through a uid change and destroy',
    async (adapterFor) => {
      const sessions = adapterFor('Session');
      await sessions.upsert('s-1', { uid: 'uid-1', accountId: 'a' }, 600);
      const seen = [observe(await sessions.findByUid('uid-1'))];
      await sessions.upsert('s-1', { uid: 'uid-2', accountId: 'a' }, 600);
      seen.push(observe(await sessions.findByUid('uid-1')), observe(await sessions.findByUid('uid-2')));
      await sessions.destroy('s-1');
      seen.push(observe(await sessions.findByUid('uid-2')), observe(await sessions.find('s-1')));
      return seen;
    },
  ],
  [
    'two sessions claiming one uid: destroying the older keeps the newer findable',
    async (adapterFor) => {
      const sessions = adapterFor('Session');
      await sessions.upsert('s-1', { uid: 'shared' }, 600);
      await sessions.upsert('s-2', { uid: 'shared', n: 2 }, 600);
      await sessions.destroy('s-1');
      return [observe(await sessions.findByUid('shared'))];
    },
  ],
  [
    'an Interaction is not found by the uid it carries',
    async (adapterFor) => {
      await adapterFor('Interaction').upsert('i-1', { uid: 'i-1' }, 600);
      return [observe(await adapterFor('Session').findByUid('i-1'))];
    },
  ],
  [
    'DeviceCode by user code, through a user code change and destroy',
    async (adapterFor) => {
      const codes = adapterFor('DeviceCode');
      await codes.upsert('d-1', token('g-1', { userCode: 'AAAA' }), 600);
      const seen = [observe(await codes.findByUserCode('AAAA'))];
      await codes.upsert('d-1', token('g-1', { userCode: 'BBBB' }), 600);
      seen.push(observe(await codes.findByUserCode('AAAA')), observe(await codes.findByUserCode('BBBB')));
      await codes.destroy('d-1');
      seen.push(observe(await codes.findByUserCode('BBBB')));
      return seen;
    },
  ],
  [
    'revokeByGrantId removes every grantable model of the grant, whichever adapter is asked',
    async (adapterFor) => {
      for (const model of GRANTABLE) await adapterFor(model).upsert(`${model}-1`, token('g-1', { userCode: `${model}-uc` }), 600);
      await adapterFor('AccessToken').upsert('other', token('g-2'), 600);
      await adapterFor('Grant').upsert('g-1', { accountId: 'account-1' }, 600);
      await adapterFor('Interaction').upsert('i-1', { grantId: 'g-1' }, 600);
      await adapterFor('Session').upsert('s-1', { uid: 'u', grantId: 'g-1' }, 600);
      await adapterFor('AuthorizationCode').revokeByGrantId('g-1');
      const seen: unknown[] = [];
      for (const model of GRANTABLE) {
        seen.push(observe(await adapterFor(model).find(`${model}-1`)));
        seen.push(observe(await adapterFor(model).findByUserCode(`${model}-uc`)));
      }
      seen.push(
        observe(await adapterFor('AccessToken').find('other')),
        observe(await adapterFor('Grant').find('g-1')),
        observe(await adapterFor('Interaction').find('i-1')),
        observe(await adapterFor('Session').find('s-1')),
      );
      return seen;
    },
  ],
  [
    'a destroyed token stays destroyed; revoking its grant afterwards removes the rest',
    async (adapterFor) => {
      await adapterFor('AccessToken').upsert('at-1', token('g-1'), 600);
      await adapterFor('RefreshToken').upsert('rt-1', token('g-1'), 600);
      await adapterFor('AccessToken').destroy('at-1');
      const seen = [observe(await adapterFor('AccessToken').find('at-1')), observe(await adapterFor('RefreshToken').find('rt-1'))];
      await adapterFor('RefreshToken').revokeByGrantId('g-1');
      seen.push(observe(await adapterFor('RefreshToken').find('rt-1')));
      return seen;
    },
  ],
  [
    'a token moved to another grant by upsert belongs to the new grant only',
    async (adapterFor) => {
      const tokens = adapterFor('AccessToken');
      await tokens.upsert('at-1', token('g-1'), 600);
      await tokens.upsert('at-1', token('g-2'), 600);
      await tokens.revokeByGrantId('g-1');
      const seen = [observe(await tokens.find('at-1'))];
      await tokens.revokeByGrantId('g-2');
      seen.push(observe(await tokens.find('at-1')));
      return seen;
    },
  ],
  [
    'a grant re-used after revocation indexes its new tokens',
    async (adapterFor) => {
      const tokens = adapterFor('AccessToken');
      await tokens.upsert('at-1', token('g-1'), 600);
      await tokens.revokeByGrantId('g-1');
      await tokens.upsert('at-2', token('g-1'), 600);
      const seen = [observe(await tokens.find('at-2'))];
      await tokens.revokeByGrantId('g-1');
      seen.push(observe(await tokens.find('at-2')));
      return seen;
    },
  ],
  ['revokeByGrantId of an unknown grant', async (adapterFor) => [await outcomeOf(() => adapterFor('AccessToken').revokeByGrantId('nope'))]],
  ['destroy of an unknown id', async (adapterFor) => [await outcomeOf(() => adapterFor('AccessToken').destroy('nope'))]],
  [
    'consume marks the record consumed and keeps the rest',
    async (adapterFor) => {
      const seen: unknown[] = [];
      for (const model of [...GRANTABLE, 'PushedAuthorizationRequest']) {
        await adapterFor(model).upsert('x-1', token('g-1', { redirectUri: 'https://rp.example/cb' }), 60);
        seen.push(await outcomeOf(() => adapterFor(model).consume('x-1')));
        seen.push(observe(await adapterFor(model).find('x-1')));
      }
      return seen;
    },
  ],
  [
    'an upsert after consume stores the new payload as it is',
    async (adapterFor) => {
      const codes = adapterFor('AuthorizationCode');
      await codes.upsert('c-1', token('g-1'), 60);
      await codes.consume('c-1');
      await codes.upsert('c-1', token('g-1', { n: 2 }), 60);
      const seen = [observe(await codes.find('c-1'))];
      await codes.upsert('c-1', token('g-1', { consumed: 1_767_225_600 }), 60);
      seen.push(observe(await codes.find('c-1')));
      return seen;
    },
  ],
  ['consume of an unknown id', async (adapterFor) => [await outcomeOf(() => adapterFor('AuthorizationCode').consume('nope'))]],
];

beforeAll(async () => {
  ({ createMemoryAdapter } = (await import(MEMORY_ADAPTER_MODULE)) as { createMemoryAdapter: typeof createMemoryAdapter });
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('RedisOidcAdapter matches oidc-provider MemoryAdapter', () => {
  it.each(scenarios)('%s', async (_name, scenario) => {
    const memory = await scenario(createMemoryAdapter());
    const ours = await scenario(createRedisAdapterFactory(redis, new RedisKeys(`parity${(prefixes += 1)}:`)));
    expect(ours).toEqual(memory);
    // Guard against a scenario that observes nothing and so would pass for any two adapters.
    expect(memory.length).toBeGreaterThan(0);
  });
});
