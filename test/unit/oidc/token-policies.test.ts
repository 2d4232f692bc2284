import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Provider from 'oidc-provider';
import type { AccountLockStatus } from '../../../src/domain/ports.js';
import { introspectionAllowedUnlessLocked, startLockChecksOnIntrospection } from '../../../src/oidc/token-policies.js';

const CLIENT = { client_id: 'rp-1', client_secret: 'rp-1-secret-rp-1-secret-rp-1-secret', redirect_uris: ['https://rp.example/cb'] };
const LOCKED = 'account-locked';
const ACTIVE = 'account-active';

/** What happened, in order: the lock check and the provider's Grant lookup. */
const events: string[] = [];
const lockStatus: AccountLockStatus = {
  isLocked: async (accountId) => {
    events.push(`lock ${accountId}`);
    return accountId === LOCKED;
  },
};

let server: Server;
let provider: Provider;
let issuer: string;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients: [CLIENT],
    features: { introspection: { enabled: true, allowedPolicy: introspectionAllowedUnlessLocked(lockStatus) } },
  });
  startLockChecksOnIntrospection(provider, lockStatus);
  const grants = provider.Grant as unknown as { find(...args: unknown[]): Promise<unknown> };
  const findGrant = grants.find.bind(grants);
  grants.find = async (...args: unknown[]) => {
    events.push('grant');
    return findGrant(...args);
  };
  server.on('request', provider.callback());
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  events.length = 0;
});

async function accessTokenFor(accountId: string): Promise<string> {
  const grant = new provider.Grant({ accountId, clientId: CLIENT.client_id });
  grant.addOIDCScope('openid');
  const grantId = await grant.save();
  const client = await provider.Client.find(CLIENT.client_id);
  if (!client) throw new Error('test client not configured');
  const token = new provider.AccessToken({ accountId, client, grantId, scope: 'openid', gty: 'authorization_code' });
  return token.save();
}

async function introspect(token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('the lock check of an introspected token', () => {
  it('starts as soon as the token is found, before the Grant lookup, and is the one the policy uses', async () => {
    const token = await accessTokenFor(ACTIVE);
    events.length = 0;
    expect(await introspect(token)).toMatchObject({ active: true, sub: ACTIVE });
    expect(events).toEqual([`lock ${ACTIVE}`, 'grant']);
  });

  it('still reports a locked account’s token inactive (Decision 34 Art 10)', async () => {
    const token = await accessTokenFor(LOCKED);
    events.length = 0;
    expect(await introspect(token)).toEqual({ active: false });
    expect(events).toEqual([`lock ${LOCKED}`, 'grant']);
  });

  it('is not started when a token is found outside introspection', async () => {
    const token = await accessTokenFor(ACTIVE);
    events.length = 0;
    expect(await provider.AccessToken.find(token)).toBeDefined();
    expect(events).toEqual([]);
  });
});
