import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistry } from '../../src/registries/file/file-registry.js';
import { AgencyHttpClient, type AgencyClientOptions } from '../../src/registries/http/agency-http-client.js';
import { HttpImmigrationRegistry } from '../../src/registries/http/http-immigration-registry.js';
import { CITIZEN_LOOKUP_PATH, HttpPopulationRegistry } from '../../src/registries/http/http-population-registry.js';
import { devPersonas } from '../../src/registries/synthetic/dev-personas.js';
import { writeRegistryDataset } from '../../src/registries/synthetic/generate-dataset.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeAgencyServer, type AgencyBehaviour } from '../support/fake-agency-server.js';
import { createTestCertificates, type TestCertificates } from '../support/test-certificates.js';

/**
 * The agency client fails closed: a timeout, a 5xx, a dropped connection, a reply it cannot trust — each is
 * "registry unavailable" (the user sees "try again later", HTTP 503), never "no such person" and never a match.
 */
const AS_OF = '2026-03-01';
const API_KEY = 'fault-test-key';
const OPEN_MS = 30_000;
const adult = devPersonas(AS_OF).citizens.adult;
const resident = devPersonas(AS_OF).foreigners.resident;
const UNAVAILABLE = { ok: false, error: 'registry_unavailable' };

const dir = mkdtempSync(join(tmpdir(), 'vneid-registry-faults-'));
let backend: FileRegistry;
let agency: FakeAgencyServer;
const clients: AgencyHttpClient[] = [];

interface Harness {
  population: HttpPopulationRegistry;
  immigration: HttpImmigrationRegistry;
  client: AgencyHttpClient;
  clock: ManualClock;
  /** Backoff delays the client asked to wait, in order. */
  waits: number[];
}

function harness(overrides: Partial<AgencyClientOptions> = {}, server: FakeAgencyServer = agency): Harness {
  const clock = new ManualClock();
  const waits: number[] = [];
  const client = new AgencyHttpClient(
    {
      agency: 'population',
      baseUrl: server.url,
      timeoutMs: 2_000,
      retries: 2,
      backoffBaseMs: 100,
      backoffMaxMs: 1_000,
      apiKey: API_KEY,
      circuitBreaker: { failureThreshold: 3, openMs: OPEN_MS },
      ...overrides,
    },
    {
      clock,
      // Waiting is recorded, never slept; the jitter is pinned to its ceiling so the delays are predictable.
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.999_999,
    },
  );
  clients.push(client);
  return {
    population: new HttpPopulationRegistry(client),
    immigration: new HttpImmigrationRegistry(client),
    client,
    clock,
    waits,
  };
}

beforeAll(async () => {
  const path = join(dir, 'registry.ndjson');
  await writeRegistryDataset(path, { seed: 'faults', citizens: 50, foreigners: 10, asOf: AS_OF });
  backend = await FileRegistry.load(path, { environment: 'test' });
  agency = await FakeAgencyServer.start({ population: backend, immigration: backend, apiKey: API_KEY });
});

afterEach(() => {
  agency.behaviour = 'normal';
  agency.requests.clear();
});

afterAll(async () => {
  for (const client of clients) client.close();
  await agency.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('agency client: transient failures are retried with backoff', () => {
  it.each<AgencyBehaviour>(['server_error', 'rate_limited', 'drop'])('recovers from one %s', async (behaviour) => {
    const { population, waits } = harness();
    agency.failNext(1, behaviour);
    expect(await population.findCitizen(adult.idNumber)).toEqual({ ok: true, value: adult });
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(2);
    expect(waits).toEqual([99]);
  });

  it('backs off exponentially up to the ceiling, then gives up as unavailable', async () => {
    const { population, waits } = harness({ retries: 4, backoffBaseMs: 300, backoffMaxMs: 1_000 });
    agency.behaviour = 'server_error';
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(5);
    expect(waits).toEqual([299, 599, 999, 999]);
  });

  it('keeps one request id across the retries of a lookup, so the agency can correlate them', async () => {
    const { population } = harness();
    agency.failNext(2, 'server_error');
    const before = agency.requestIds.length;
    await population.findCitizen(adult.idNumber);
    const ids = agency.requestIds.slice(before);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('agency client: what it cannot trust is unavailable, never "no match"', () => {
  it.each<[AgencyBehaviour, number]>([
    ['server_error', 3],
    ['rate_limited', 3],
    ['drop', 3],
    // Not retried: asking again would not change a reply that does not keep the contract.
    ['not_json', 1],
    ['wrong_shape', 1],
    ['someone_else', 1],
    ['invalid_record', 1],
    ['huge', 1],
    ['html_not_found', 1],
  ])('%s -> unavailable after %i request(s)', async (behaviour, requests) => {
    const { population, immigration } = harness({ circuitBreaker: { failureThreshold: 100, openMs: OPEN_MS } });
    agency.behaviour = behaviour;
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(requests);
    expect(await immigration.findForeigner(resident.passportNumber, resident.nationality)).toEqual(UNAVAILABLE);
  });

  it('a "not found" about an unknown person is still an answer', async () => {
    const { population } = harness();
    agency.behaviour = 'someone_else';
    expect(await population.findCitizen('001099999999')).toEqual({ ok: true, value: null });
  });

  it('an agency that does not answer in time is unavailable', async () => {
    const { population } = harness({ timeoutMs: 100, retries: 0 });
    agency.behaviour = 'hang';
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
  });

  it('an agency that cannot be reached is unavailable', async () => {
    const closed = await FakeAgencyServer.start({ population: backend, immigration: backend });
    const url = closed.url;
    await closed.close();
    const { population } = harness({ baseUrl: url, retries: 1 });
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
  });

  it('a wrong API key is unavailable (a configuration fault), not "no match"', async () => {
    const { population } = harness({ apiKey: 'wrong-key' });
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(1);
  });
});

describe('agency client: circuit breaker', () => {
  it('after repeated failures stops calling the agency until the open period has passed', async () => {
    const { population, client, clock } = harness({ retries: 0 });
    agency.behaviour = 'server_error';
    for (let i = 0; i < 3; i += 1) expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
    expect(client.circuitState).toBe('open');

    agency.behaviour = 'normal';
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(3);

    clock.advance(OPEN_MS);
    expect(client.circuitState).toBe('half_open');
    expect(await population.findCitizen(adult.idNumber)).toEqual({ ok: true, value: adult });
    expect(client.circuitState).toBe('closed');
    expect(agency.requestCount(CITIZEN_LOOKUP_PATH)).toBe(4);
  });

  it('counts a lookup that exhausted its retries as one failure', async () => {
    const { population, client } = harness({ retries: 2 });
    agency.behaviour = 'server_error';
    await population.findCitizen(adult.idNumber);
    await population.findCitizen(adult.idNumber);
    expect(client.circuitState).toBe('closed');
    await population.findCitizen(adult.idNumber);
    expect(client.circuitState).toBe('open');
  });

  it('a "not found" keeps the circuit closed', async () => {
    const { population, client } = harness({ retries: 0 });
    for (let i = 0; i < 5; i += 1) expect(await population.findCitizen('001099999999')).toEqual({ ok: true, value: null });
    expect(client.circuitState).toBe('closed');
  });
});

describe('agency client: mutual TLS', () => {
  let certificates: TestCertificates;
  let secured: FakeAgencyServer;

  beforeAll(async () => {
    certificates = createTestCertificates();
    secured = await FakeAgencyServer.start({
      population: backend,
      immigration: backend,
      tls: { key: certificates.serverKey, cert: certificates.serverCert, ca: certificates.ca },
    });
  });

  afterAll(async () => {
    await secured.close();
  });

  it('looks up over TLS with a client certificate the agency trusts', async () => {
    const { population } = harness(
      { mutualTls: { cert: certificates.clientCert, key: certificates.clientKey }, caCertificate: certificates.ca, apiKey: undefined },
      secured,
    );
    expect(await population.findCitizen(adult.idNumber)).toEqual({ ok: true, value: adult });
  });

  type ClientTls = { cert?: string; key?: string };
  it.each<[string, (c: TestCertificates) => ClientTls]>([
    ['without a client certificate', () => ({})],
    ['with a certificate from a CA the agency does not trust', (c) => ({ cert: c.strangerCert, key: c.strangerKey })],
  ])('is unavailable %s', async (_case, tlsOf) => {
    const { cert, key } = tlsOf(certificates);
    const client = new AgencyHttpClient(
      {
        agency: 'population',
        baseUrl: secured.url,
        timeoutMs: 2_000,
        retries: 0,
        backoffBaseMs: 0,
        backoffMaxMs: 0,
        circuitBreaker: { failureThreshold: 3, openMs: OPEN_MS },
        caCertificate: certificates.ca,
        ...(cert && key ? { mutualTls: { cert, key } } : {}),
      },
      { clock: new ManualClock() },
    );
    clients.push(client);
    const before = secured.requestCount();
    expect(await new HttpPopulationRegistry(client).findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
    expect(secured.requestCount()).toBe(before);
  });

  it('refuses mutual TLS over plain http at construction', () => {
    expect(
      () =>
        new AgencyHttpClient(
          {
            agency: 'population',
            baseUrl: 'http://127.0.0.1:1/',
            timeoutMs: 1_000,
            retries: 0,
            backoffBaseMs: 0,
            backoffMaxMs: 0,
            mutualTls: { cert: certificates.clientCert, key: certificates.clientKey },
            circuitBreaker: { failureThreshold: 3, openMs: OPEN_MS },
          },
          { clock: new ManualClock() },
        ),
    ).toThrow(/https/);
  });

  it('does not trust an agency certificate from an unknown CA', async () => {
    const { population } = harness({ mutualTls: { cert: certificates.clientCert, key: certificates.clientKey }, apiKey: undefined }, secured);
    expect(await population.findCitizen(adult.idNumber)).toEqual(UNAVAILABLE);
  });
});
