import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type * as oidc from 'openid-client';
import { API_SCOPES } from '../../src/domain/api-scopes.js';
import { BackchannelReceiver } from './backchannel-receiver.js';
import { startProvider, type RunningProvider } from './provider-harness.js';
import { TestRedisServer } from './redis-server.js';
import { discoverAsRelyingParty } from './relying-party.js';

/** The HMAC key the test registries sign their events with. */
export const REGISTRY_EVENT_KEY = 'registry-event-test-key-0123456789abcdef';

/** API clients of the lifecycle journeys (client_secret_basic unless said otherwise). */
export const API_CLIENTS = {
  agencyA: { id: 'agency-a', secret: 'agency-a-secret-0123456789abcdef0123456789' },
  agencyB: { id: 'agency-b', secret: 'agency-b-secret-0123456789abcdef0123456789' },
  serviceUser: { id: 'service-a', secret: 'service-a-secret-0123456789abcdef012345678' },
  readOnly: { id: 'agency-read-only', secret: 'agency-read-only-secret-0123456789abcdef01' },
  population: { id: 'registry-population', secret: 'registry-population-secret-0123456789abcd' },
  immigration: { id: 'registry-immigration', secret: 'registry-immigration-secret-0123456789abc' },
  level2Recorder: { id: 'police-counter', secret: 'police-counter-secret-0123456789abcdef0123' },
} as const;

/** The operator authenticates with private_key_jwt, its public key registered inline (`jwks`). */
export const OPERATOR_CLIENT_ID = 'operator';

export interface ApiClientCredentials {
  id: string;
  secret: string;
}

export interface LifecycleJourney {
  redis: TestRedisServer;
  running: RunningProvider;
  /** test-rp, registered for back-channel logout at `backchannel.url`. */
  rp: oidc.Configuration;
  backchannel: BackchannelReceiver;
  operatorKey: CryptoKey;
}

const agency = (client: ApiClientCredentials, scope: string, party: 'agency' | 'service_user' = 'agency'): Record<string, unknown> => ({
  client_id: client.id,
  client_secret: client.secret,
  client_name: client.id,
  grant_types: ['client_credentials'],
  scope,
  vneid_party: party,
});

/** The test clients file plus the relying-party and API clients of these journeys, written to a temporary file. */
export function writeLifecycleClients(backchannelUri: string, operatorJwk: JWK): string {
  const base = JSON.parse(readFileSync('test/support/clients.test.json', 'utf8')) as { clients: Record<string, unknown>[] };
  const clients = base.clients.map((client) =>
    client.client_id === 'test-rp'
      ? {
          ...client,
          scope: 'openid offline_access profile identity phone email documents',
          backchannel_logout_uri: backchannelUri,
          backchannel_logout_session_required: true,
        }
      : client,
  );
  const lockScopes = `${API_SCOPES.statusRead} ${API_SCOPES.lockRequest} ${API_SCOPES.lockRestore} ${API_SCOPES.auditRead}`;
  clients.push(
    agency(API_CLIENTS.agencyA, lockScopes),
    agency(API_CLIENTS.agencyB, lockScopes),
    agency(API_CLIENTS.serviceUser, `${API_SCOPES.statusRead} ${API_SCOPES.lockRequest} ${API_SCOPES.lockRestore}`, 'service_user'),
    agency(API_CLIENTS.readOnly, API_SCOPES.statusRead),
    agency(API_CLIENTS.population, API_SCOPES.registryEvents),
    agency(API_CLIENTS.immigration, API_SCOPES.registryEvents),
    agency(API_CLIENTS.level2Recorder, API_SCOPES.level2Record),
    {
      client_id: OPERATOR_CLIENT_ID,
      client_name: 'Operator console',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...operatorJwk, use: 'sig', alg: 'ES256', kid: 'operator-1' }] },
      grant_types: ['client_credentials'],
      scope: `${API_SCOPES.operator} ${API_SCOPES.statusRead} ${API_SCOPES.lockRequest} ${API_SCOPES.auditRead}`,
      vneid_party: 'operator',
    },
  );
  const path = join(mkdtempSync(join(tmpdir(), 'vneid-lifecycle-clients-')), 'clients.json');
  writeFileSync(path, JSON.stringify({ clients }, null, 2));
  return path;
}

/** The environment of a provider serving these journeys (start several on one Redis for multi-instance tests). */
export function lifecycleEnvironment(clientsFile: string): Record<string, string> {
  return { CLIENTS_FILE: clientsFile, REGISTRY_EVENT_HMAC_KEYS: REGISTRY_EVENT_KEY, RECONCILIATION_ENABLED: 'false' };
}

/**
 * Jest runs tests in a vm context whose `structuredClone` is Node's, which returns objects of the OUTER realm; oidc-
 * provider clones static client metadata with it and then checks `value.constructor === Object`, so an inline `jwks`
 * (objects inside arrays) fails in tests only — a plain Node process has one realm. Plain objects and arrays are cloned
 * here in the test's realm; anything else goes to the original.
 */
function useRealmLocalStructuredClone(): void {
  const original = globalThis.structuredClone;
  const clone = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clone);
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) !== null && value.constructor.name === 'Object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clone(item)]));
    }
    return typeof value === 'object' && value !== null ? original(value) : value;
  };
  beforeAll(() => {
    globalThis.structuredClone = clone as typeof structuredClone;
  });
  afterAll(() => {
    globalThis.structuredClone = original;
  });
}

/**
 * A suite's set-up: its own Redis, a back-channel logout receiver, an operator key pair, the provider with the
 * lifecycle clients, and test-rp configured from discovery.
 */
export function useLifecycleJourney(): LifecycleJourney {
  const journey = {} as LifecycleJourney;
  useRealmLocalStructuredClone();
  beforeAll(async () => {
    journey.redis = await TestRedisServer.start();
    journey.backchannel = await BackchannelReceiver.start();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    journey.operatorKey = privateKey;
    const clientsFile = writeLifecycleClients(journey.backchannel.url, await exportJWK(publicKey));
    journey.running = await startProvider(journey.redis, lifecycleEnvironment(clientsFile));
    journey.rp = await discoverAsRelyingParty(journey.running.issuer);
  });
  afterAll(async () => {
    await journey.running?.stop();
    await journey.backchannel?.close();
    await journey.redis?.destroy();
  });
  return journey;
}
