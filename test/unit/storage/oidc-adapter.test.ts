import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { errors, type AdapterPayload } from 'oidc-provider';
import { DependencyUnavailableError } from '../../../src/domain/errors.js';
import { ManualClock, nowSeconds } from '../../../src/shared/clock.js';
import { RedisKeys } from '../../../src/storage/keys.js';
import { createRedisAdapterFactory, RedisOidcAdapter } from '../../../src/storage/oidc-adapter.js';
import { createRedisClient } from '../../../src/storage/redis-client.js';
import { TestRedisServer } from '../../support/redis-server.js';

let server: TestRedisServer;
let redis: Redis;
let prefixes = 0;

/** Each test gets its own key prefix, so nothing one test stores is seen by another. */
function setUp(clock = new ManualClock(), clockToleranceSeconds = 0) {
  const keys = new RedisKeys(`test${(prefixes += 1)}:`);
  const adapterFor = createRedisAdapterFactory(redis, keys, { clock, clockToleranceSeconds });
  return { keys, clock, adapterFor };
}

const tokenOf = (grantId: string, extra: Partial<AdapterPayload> = {}): AdapterPayload => ({
  accountId: 'account-1',
  clientId: 'client-1',
  grantId,
  scope: 'openid',
  ...extra,
});

beforeAll(async () => {
  server = await TestRedisServer.start();
  redis = server.client();
});

afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

describe('RedisOidcAdapter storage', () => {
  it('returns what was stored, for every model, and nothing for an unknown id', async () => {
    const { adapterFor } = setUp();
    const models = [
      'Session', 'Interaction', 'Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'ClientCredentials',
      'PushedAuthorizationRequest', 'ReplayDetection', 'BackchannelAuthenticationRequest', 'DeviceCode', 'Client',
      'RegistrationAccessToken', 'InitialAccessToken',
    ];
    for (const model of models) {
      const payload = { jti: `${model}-1`, kind: model, uid: 'u-1', exp: 1_900_000_000, nested: { list: [1, 2] } };
      await adapterFor(model).upsert(`${model}-1`, payload, 60);
      await expect(adapterFor(model).find(`${model}-1`)).resolves.toEqual(payload);
      await expect(adapterFor(model).find('unknown')).resolves.toBeUndefined();
    }
  });

  it('keeps the JSON exactly: empty arrays and objects, large integers, unicode', async () => {
    const { adapterFor } = setUp();
    const payload = {
      amr: [],
      claims: {},
      rar: [{ type: 'x', locations: [] }],
      iat: 1_767_225_600,
      big: 9_007_199_254_740_991,
      name: 'Nguyễn Văn A',
      __proto__: 'own property',
    };
    await adapterFor('Interaction').upsert('i-1', payload, 60);
    await expect(adapterFor('Interaction').find('i-1')).resolves.toEqual(payload);
  });

  it('replaces the whole record on a second upsert', async () => {
    const { adapterFor } = setUp();
    const adapter = adapterFor('Interaction');
    await adapter.upsert('i-1', { a: 1, b: 2 }, 60);
    await adapter.upsert('i-1', { a: 3 }, 60);
    await expect(adapter.find('i-1')).resolves.toEqual({ a: 3 });
  });
});

describe('RedisOidcAdapter expiry', () => {
  it('gives the record and its lookups the expiresIn of the model', async () => {
    const { adapterFor, keys } = setUp();
    await adapterFor('Session').upsert('s-1', { uid: 'uid-1' }, 600);
    await adapterFor('DeviceCode').upsert('d-1', tokenOf('g-1', { userCode: 'ABCD-EFGH' }), 300);
    for (const [key, seconds] of [
      [keys.oidcModel('Session', 's-1'), 600],
      [keys.oidcSessionUid('uid-1'), 600],
      [keys.oidcModel('DeviceCode', 'd-1'), 300],
      [keys.oidcUserCode('ABCD-EFGH'), 300],
      [keys.oidcGrantIndex('g-1'), 300],
    ] as const) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan((seconds - 5) * 1000);
      expect(ttl).toBeLessThanOrEqual(seconds * 1000);
    }
  });

  it('adds the provider clock tolerance to the lifetime', async () => {
    const { adapterFor, keys } = setUp(new ManualClock(), 30);
    await adapterFor('AccessToken').upsert('at-1', tokenOf('g-1'), 60);
    expect(await redis.pttl(keys.oidcModel('AccessToken', 'at-1'))).toBeGreaterThan(85_000);
  });

  it('stores a record without expiresIn (a Client) without expiry', async () => {
    const { adapterFor, keys } = setUp();
    await adapterFor('Client').upsert('client-1', { client_id: 'client-1' });
    expect(await redis.pttl(keys.oidcModel('Client', 'client-1'))).toBe(-1);
    await expect(adapterFor('Client').find('client-1')).resolves.toEqual({ client_id: 'client-1' });
  });

  it('lets the grant index live as long as its longest-lived token, and forgets expired members', async () => {
    const { adapterFor, keys, clock } = setUp();
    await adapterFor('AccessToken').upsert('at-1', tokenOf('g-1'), 60);
    await adapterFor('RefreshToken').upsert('rt-1', tokenOf('g-1'), 3600);
    expect(await redis.pttl(keys.oidcGrantIndex('g-1'))).toBeGreaterThan(3_590_000);

    clock.advance(61_000);
    await adapterFor('AccessToken').upsert('at-2', tokenOf('g-1'), 60);
    expect(await redis.zrange(keys.oidcGrantIndex('g-1'), '0', '-1')).toEqual(['AccessToken:at-2', 'RefreshToken:rt-1']);

    await adapterFor('RefreshToken').destroy('rt-1');
    const remaining = await redis.pttl(keys.oidcGrantIndex('g-1'));
    expect(remaining).toBeGreaterThan(55_000);
    expect(remaining).toBeLessThanOrEqual(60_000);
  });
});

describe('RedisOidcAdapter lookups', () => {
  it('finds a Session by its uid, and no longer by an old uid or after destroy', async () => {
    const { adapterFor, keys } = setUp();
    const sessions = adapterFor('Session');
    await sessions.upsert('s-1', { uid: 'uid-1', accountId: 'a' }, 600);
    await expect(sessions.findByUid('uid-1')).resolves.toEqual({ uid: 'uid-1', accountId: 'a' });

    await sessions.upsert('s-1', { uid: 'uid-2', accountId: 'a' }, 600);
    await expect(sessions.findByUid('uid-1')).resolves.toBeUndefined();
    await expect(sessions.findByUid('uid-2')).resolves.toEqual({ uid: 'uid-2', accountId: 'a' });

    await sessions.destroy('s-1');
    await expect(sessions.findByUid('uid-2')).resolves.toBeUndefined();
    expect(await redis.exists(keys.oidcSessionUid('uid-2'))).toBe(0);
  });

  it('does not make an Interaction findable by the uid it carries', async () => {
    const { adapterFor } = setUp();
    await adapterFor('Interaction').upsert('i-1', { uid: 'i-1' }, 600);
    await expect(adapterFor('Session').findByUid('i-1')).resolves.toBeUndefined();
  });

  it('finds a DeviceCode by its user code until it is destroyed', async () => {
    const { adapterFor, keys } = setUp();
    const codes = adapterFor('DeviceCode');
    await codes.upsert('d-1', tokenOf('g-1', { userCode: 'WXYZ' }), 600);
    await expect(codes.findByUserCode('WXYZ')).resolves.toMatchObject({ userCode: 'WXYZ' });
    await codes.destroy('d-1');
    await expect(codes.findByUserCode('WXYZ')).resolves.toBeUndefined();
    expect(await redis.exists(keys.oidcUserCode('WXYZ'), keys.oidcGrantIndex('g-1'))).toBe(0);
  });

  it('leaves a lookup alone when it already points at another record', async () => {
    const { adapterFor } = setUp();
    const sessions = adapterFor('Session');
    await sessions.upsert('s-1', { uid: 'shared' }, 600);
    await sessions.upsert('s-2', { uid: 'shared' }, 600);
    await sessions.destroy('s-1');
    await expect(sessions.findByUid('shared')).resolves.toEqual({ uid: 'shared' });
  });
});

describe('RedisOidcAdapter revokeByGrantId', () => {
  it('removes every token of the grant, whichever model asks, and nothing else', async () => {
    const { adapterFor, keys } = setUp();
    await adapterFor('AuthorizationCode').upsert('code-1', tokenOf('g-1'), 60);
    await adapterFor('AccessToken').upsert('at-1', tokenOf('g-1'), 600);
    await adapterFor('RefreshToken').upsert('rt-1', tokenOf('g-1'), 3600);
    await adapterFor('DeviceCode').upsert('d-1', tokenOf('g-1', { userCode: 'USER-CODE' }), 600);
    await adapterFor('AccessToken').upsert('at-other', tokenOf('g-2'), 600);
    await adapterFor('Grant').upsert('g-1', { accountId: 'account-1' }, 3600);
    await adapterFor('Interaction').upsert('i-1', { grantId: 'g-1' }, 600);

    await adapterFor('RefreshToken').revokeByGrantId('g-1');

    await expect(adapterFor('AuthorizationCode').find('code-1')).resolves.toBeUndefined();
    await expect(adapterFor('AccessToken').find('at-1')).resolves.toBeUndefined();
    await expect(adapterFor('RefreshToken').find('rt-1')).resolves.toBeUndefined();
    await expect(adapterFor('DeviceCode').find('d-1')).resolves.toBeUndefined();
    await expect(adapterFor('DeviceCode').findByUserCode('USER-CODE')).resolves.toBeUndefined();
    expect(await redis.exists(keys.oidcGrantIndex('g-1'))).toBe(0);
    // The Grant record and non-grantable models are the provider's to destroy (revoke.js), as with the memory adapter.
    await expect(adapterFor('Grant').find('g-1')).resolves.toBeDefined();
    await expect(adapterFor('Interaction').find('i-1')).resolves.toBeDefined();
    await expect(adapterFor('AccessToken').find('at-other')).resolves.toBeDefined();
  });

  it('does not revoke a token that an upsert moved to another grant', async () => {
    const { adapterFor } = setUp();
    const tokens = adapterFor('AccessToken');
    await tokens.upsert('at-1', tokenOf('g-1'), 600);
    await tokens.upsert('at-1', tokenOf('g-2'), 600);
    await tokens.revokeByGrantId('g-1');
    await expect(tokens.find('at-1')).resolves.toMatchObject({ grantId: 'g-2' });
    await tokens.revokeByGrantId('g-2');
    await expect(tokens.find('at-1')).resolves.toBeUndefined();
  });

  it('is a no-op for an unknown grant', async () => {
    const { adapterFor } = setUp();
    await expect(adapterFor('AccessToken').revokeByGrantId('nope')).resolves.toBeUndefined();
  });
});

describe('RedisOidcAdapter consume', () => {
  it('marks the record consumed at the current epoch second and keeps its payload and expiry', async () => {
    const { adapterFor, keys, clock } = setUp();
    const codes = adapterFor('AuthorizationCode');
    await codes.upsert('code-1', tokenOf('g-1', { redirectUri: 'https://rp.example/cb' }), 60);
    clock.advance(5_000);
    await codes.consume('code-1');
    await expect(codes.find('code-1')).resolves.toEqual({
      ...tokenOf('g-1', { redirectUri: 'https://rp.example/cb' }),
      consumed: nowSeconds(clock),
    });
    const ttl = await redis.pttl(keys.oidcModel('AuthorizationCode', 'code-1'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('answers a second redemption with invalid_grant and revokes the grant it came from', async () => {
    const { adapterFor } = setUp();
    const codes = adapterFor('AuthorizationCode');
    await adapterFor('Grant').upsert('g-1', { accountId: 'account-1' }, 3600);
    await codes.upsert('code-1', tokenOf('g-1'), 60);
    await adapterFor('AccessToken').upsert('at-1', tokenOf('g-1'), 600);
    await adapterFor('RefreshToken').upsert('rt-1', tokenOf('g-1'), 3600);
    await adapterFor('AccessToken').upsert('at-other', tokenOf('g-2'), 600);
    await codes.consume('code-1');

    const replay = codes.consume('code-1');
    await expect(replay).rejects.toBeInstanceOf(errors.InvalidGrant);
    await expect(replay).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });

    await expect(adapterFor('AccessToken').find('at-1')).resolves.toBeUndefined();
    await expect(adapterFor('RefreshToken').find('rt-1')).resolves.toBeUndefined();
    await expect(adapterFor('Grant').find('g-1')).resolves.toBeUndefined();
    await expect(adapterFor('AccessToken').find('at-other')).resolves.toBeDefined();
  });

  it('lets exactly one of 100 simultaneous redemptions of one code through', async () => {
    const { adapterFor } = setUp();
    await adapterFor('AuthorizationCode').upsert('code-1', tokenOf('g-1'), 60);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () => adapterFor('AuthorizationCode').consume('code-1')),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(99);
    for (const { reason } of lost) expect(reason).toBeInstanceOf(errors.InvalidGrant);
  });

  it('lets exactly one of 100 simultaneous rotations of one refresh token through', async () => {
    const { adapterFor } = setUp();
    await adapterFor('RefreshToken').upsert('rt-1', tokenOf('g-1'), 3600);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () => adapterFor('RefreshToken').consume('rt-1')),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a code that no longer exists with invalid_grant', async () => {
    const { adapterFor } = setUp();
    await expect(adapterFor('AuthorizationCode').consume('gone')).rejects.toBeInstanceOf(errors.InvalidGrant);
  });

  it('refuses a pushed authorization request used twice with invalid_request_uri', async () => {
    const { adapterFor } = setUp();
    const requests = adapterFor('PushedAuthorizationRequest');
    await requests.upsert('par-1', { clientId: 'client-1', request: 'x' }, 60);
    await requests.consume('par-1');
    await expect(requests.consume('par-1')).rejects.toBeInstanceOf(errors.InvalidRequestUri);
  });

  it('treats a record saved as consumed as consumed, and a fresh upsert as unconsumed', async () => {
    const { adapterFor } = setUp();
    const codes = adapterFor('AuthorizationCode');
    await codes.upsert('code-1', tokenOf('g-1', { consumed: 1_767_225_600 }), 60);
    await expect(codes.find('code-1')).resolves.toMatchObject({ consumed: 1_767_225_600 });
    await expect(codes.consume('code-1')).rejects.toBeInstanceOf(errors.InvalidGrant);

    await codes.upsert('code-3', tokenOf('g-3', { consumed: true }), 60);
    await expect(codes.find('code-3')).resolves.toMatchObject({ consumed: true });
    await expect(codes.consume('code-3')).rejects.toBeInstanceOf(errors.InvalidGrant);

    await codes.upsert('code-2', tokenOf('g-2'), 60);
    await codes.consume('code-2');
    await codes.upsert('code-2', tokenOf('g-2'), 60);
    await expect(codes.find('code-2')).resolves.toEqual(tokenOf('g-2'));
  });
});

describe('RedisOidcAdapter while Redis is down', () => {
  it('rejects with DependencyUnavailableError instead of answering "not found"', async () => {
    const downServer = await TestRedisServer.start();
    const client = createRedisClient({ url: downServer.url, commandTimeoutMs: 500, connectTimeoutMs: 500 });
    client.on('error', () => undefined);
    try {
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      const adapter = new RedisOidcAdapter('AuthorizationCode', client, new RedisKeys('down:'));
      await adapter.upsert('code-1', tokenOf('g-1'), 60);
      await downServer.stop();

      for (const operation of [
        () => adapter.find('code-1'),
        () => adapter.consume('code-1'),
        () => adapter.upsert('code-2', tokenOf('g-1'), 60),
        () => adapter.destroy('code-1'),
        () => adapter.revokeByGrantId('g-1'),
        () => adapter.findByUid('uid-1'),
      ]) {
        await expect(operation()).rejects.toBeInstanceOf(DependencyUnavailableError);
      }
    } finally {
      client.disconnect();
      await downServer.destroy();
    }
  });
});
