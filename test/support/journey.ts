import { afterAll, beforeAll } from '@jest/globals';
import type * as oidc from 'openid-client';
import { createCitizen, startProvider, TEST_CLIENT, type AccountFixture, type RunningProvider } from './provider-harness.js';
import { TestRedisServer } from './redis-server.js';
import { discoverAsRelyingParty } from './relying-party.js';

/** What a journey suite works with; filled in by the suite's beforeAll. */
export interface ProviderJourney {
  redis: TestRedisServer;
  running: RunningProvider;
  /** The test relying party, configured from discovery alone. */
  rp: oidc.Configuration;
  /** An active level-1 citizen account. */
  citizen: AccountFixture;
}

/**
 * Registers the suite's set-up and tear-down: its own Redis, the provider on a free port, the relying party's
 * discovery and one citizen. `environment` runs once Redis is up, for suites that configure the provider.
 */
export function useProviderJourney(environment: () => Promise<Record<string, string>> = async () => ({})): ProviderJourney {
  const journey = {} as ProviderJourney;
  beforeAll(async () => {
    journey.redis = await TestRedisServer.start();
    journey.running = await startProvider(journey.redis, await environment());
    journey.rp = await discoverAsRelyingParty(journey.running.issuer);
    journey.citizen = await createCitizen(journey.running.container);
  });
  afterAll(async () => {
    await journey.running?.stop();
    await journey.redis?.destroy();
  });
  return journey;
}

/** A token-endpoint request as a relying party sends it (client_secret_basic), for tests that inspect raw responses. */
export function postToken(issuer: string, params: Record<string, string>, client: { id: string; secret: string } = TEST_CLIENT): Promise<Response> {
  return fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(params).toString(),
  });
}
