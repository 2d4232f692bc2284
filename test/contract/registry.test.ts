import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImmigrationRegistry, PopulationRegistry, RegistryRecord } from '../../src/domain/registry.js';
import { FileRegistry } from '../../src/registries/file/file-registry.js';
import { AgencyHttpClient } from '../../src/registries/http/agency-http-client.js';
import { HttpImmigrationRegistry } from '../../src/registries/http/http-immigration-registry.js';
import { HttpPopulationRegistry } from '../../src/registries/http/http-population-registry.js';
import { devPersonas } from '../../src/registries/synthetic/dev-personas.js';
import { writeRegistryDataset } from '../../src/registries/synthetic/generate-dataset.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeAgencyServer } from '../support/fake-agency-server.js';

/**
 * One contract for every implementation of the registry ports (Decision 34 Art 5.1): the file-backed registry used in
 * development, and the HTTP client of the agencies' service (here against the fake agency serving the same dataset).
 * Whatever the implementation, the same question gets the same answer.
 */
const AS_OF = '2026-03-01';
const API_KEY = 'contract-test-key';
const personas = devPersonas(AS_OF);

interface Registries {
  population: PopulationRegistry;
  immigration: ImmigrationRegistry;
}

const dir = mkdtempSync(join(tmpdir(), 'vneid-registry-contract-'));
const datasetPath = join(dir, 'registry.ndjson');
let records: RegistryRecord[] = [];
let fileRegistry: FileRegistry;
let agencyBackend: FileRegistry;
let agency: FakeAgencyServer;
let client: AgencyHttpClient;
let http: Registries;

beforeAll(async () => {
  await writeRegistryDataset(datasetPath, { seed: 'contract', citizens: 400, foreigners: 80, asOf: AS_OF });
  records = readFileSync(datasetPath, 'utf8').trimEnd().split('\n').slice(1).map((line) => JSON.parse(line) as RegistryRecord);
  fileRegistry = await FileRegistry.load(datasetPath, { environment: 'test', validateAll: true });
  agencyBackend = await FileRegistry.load(datasetPath, { environment: 'test' });
  agency = await FakeAgencyServer.start({ population: agencyBackend, immigration: agencyBackend, apiKey: API_KEY });
  client = new AgencyHttpClient(
    {
      agency: 'contract',
      baseUrl: agency.url,
      timeoutMs: 5_000,
      retries: 1,
      backoffBaseMs: 0,
      backoffMaxMs: 0,
      apiKey: API_KEY,
      circuitBreaker: { failureThreshold: 5, openMs: 10_000 },
    },
    { clock: new ManualClock() },
  );
  http = { population: new HttpPopulationRegistry(client), immigration: new HttpImmigrationRegistry(client) };
});

afterAll(async () => {
  client.close();
  await agency.close();
  await fileRegistry.close();
  await agencyBackend.close();
  rmSync(dir, { recursive: true, force: true });
});

const implementations: [string, () => Registries][] = [
  ['file-backed registry', () => ({ population: fileRegistry, immigration: fileRegistry })],
  ['HTTP agency client', () => http],
];

describe.each(implementations)('registry contract: %s', (_name, registries) => {
  it('finds every person of the dataset exactly as the registry holds them', async () => {
    const { population, immigration } = registries();
    for (const record of records) {
      const found =
        record.kind === 'citizen'
          ? await population.findCitizen(record.idNumber)
          : await immigration.findForeigner(record.passportNumber, record.nationality);
      expect(found).toEqual({ ok: true, value: record });
    }
  });

  it('keeps family links: a child names both parents, a ward the guardian (Art 6.2, 6.3)', async () => {
    const { population } = registries();
    const child = await population.findCitizen(personas.citizens.child.idNumber);
    expect(child.ok && child.value?.parents).toEqual([
      { kind: 'citizen', idNumber: personas.citizens.father.idNumber },
      { kind: 'citizen', idNumber: personas.citizens.mother.idNumber },
    ]);
    const ward = await population.findCitizen(personas.citizens.ward.idNumber);
    expect(ward.ok && ward.value?.underGuardianship).toBe(true);
    expect(ward.ok && ward.value?.guardians).toEqual([{ kind: 'citizen', idNumber: personas.citizens.guardian.idNumber }]);
  });

  it('answers "no such person" for a number nobody holds, or no number at all', async () => {
    const { population } = registries();
    for (const idNumber of ['001099999999', '001090900006x', 'abc', '', '12']) {
      expect(await population.findCitizen(idNumber)).toEqual({ ok: true, value: null });
    }
  });

  it('ignores white space around a number', async () => {
    const { population } = registries();
    const found = await population.findCitizen(` ${personas.citizens.adult.idNumber}\t`);
    expect(found).toEqual({ ok: true, value: personas.citizens.adult });
  });

  it('finds a foreigner whatever the case and spacing of passport number and nationality', async () => {
    const { immigration } = registries();
    const resident = personas.foreigners.resident;
    const spaced = `${resident.passportNumber.slice(0, 3)} ${resident.passportNumber.slice(3)}`.toLowerCase();
    expect(await immigration.findForeigner(spaced, ` ${resident.nationality.toLowerCase()} `)).toEqual({ ok: true, value: resident });
  });

  it('does not find a passport under another nationality (Art 4.2: the pair identifies the person)', async () => {
    const { immigration } = registries();
    const resident = personas.foreigners.resident;
    expect(await immigration.findForeigner(resident.passportNumber, 'PRK')).toEqual({ ok: true, value: null });
    expect(await immigration.findForeigner(resident.passportNumber, 'K0R')).toEqual({ ok: true, value: null });
  });

  it('reports the statuses the rules depend on (Art 10.4, 10.5)', async () => {
    const { population } = registries();
    const look = async (idNumber: string): Promise<unknown> => {
      const found = await population.findCitizen(idNumber);
      return found.ok && found.value && [found.value.lifeStatus, found.value.idNumberStatus, found.value.replacedBy];
    };
    const c = personas.citizens;
    expect(await look(c.deceased.idNumber)).toEqual(['deceased', 'valid', null]);
    expect(await look(c.invalidatedNumber.idNumber)).toEqual(['alive', 'invalidated', null]);
    expect(await look(c.reEstablishedOld.idNumber)).toEqual(['alive', 're_established', c.reEstablishedCurrent.idNumber]);
  });
});
