import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CitizenRecord, ForeignerRecord } from '../../../src/domain/registry.js';
import { FileRegistry, RegistryDatasetError } from '../../../src/registries/file/file-registry.js';
import { devPersonas } from '../../../src/registries/synthetic/dev-personas.js';
import { writeRegistryDataset } from '../../../src/registries/synthetic/generate-dataset.js';

const AS_OF = '2026-03-01';
const personas = devPersonas(AS_OF);
const adult = personas.citizens.adult;
const resident = personas.foreigners.resident;
const dir = mkdtempSync(join(tmpdir(), 'vneid-file-registry-'));
const opened: FileRegistry[] = [];

const line = (record: object): string => `${JSON.stringify(record)}\n`;
const datasetFile = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const load = async (path: string, validateAll = false): Promise<FileRegistry> => {
  const registry = await FileRegistry.load(path, { environment: 'test', validateAll });
  opened.push(registry);
  return registry;
};
const loadError = async (path: string, validateAll = false): Promise<RegistryDatasetError> => {
  try {
    await load(path, validateAll);
  } catch (error) {
    if (error instanceof RegistryDatasetError) return error;
    throw error;
  }
  throw new Error('expected the dataset to be refused');
};

afterAll(async () => {
  await Promise.all(opened.map((registry) => registry.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('file-backed registry: development only (ARCHITECTURE convention 10)', () => {
  it('is refused in production', async () => {
    const path = datasetFile('prod.ndjson', line(adult));
    await expect(FileRegistry.load(path, { environment: 'production' })).rejects.toThrow(/refused in production/);
  });

  it('is refused when NODE_ENV says production, whatever the caller passes', async () => {
    const path = datasetFile('prod-env.ndjson', line(adult));
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(FileRegistry.load(path, { environment: 'development' })).rejects.toThrow(/refused in production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});

describe('file-backed registry: reading the dataset', () => {
  it('accepts CRLF line ends, blank lines and a last line without a newline', async () => {
    const path = datasetFile('crlf.ndjson', `${JSON.stringify(adult)}\r\n\r\n${JSON.stringify(resident)}`);
    const registry = await load(path);
    expect(registry.size).toEqual({ citizens: 1, foreigners: 1 });
    expect(await registry.findCitizen(adult.idNumber)).toEqual({ ok: true, value: adult });
    expect(await registry.findForeigner(resident.passportNumber, resident.nationality)).toEqual({ ok: true, value: resident });
  });

  it.each([
    ['a line that is not JSON', `${line(adult)}{"kind":"citizen",\n`, 2, 'not valid JSON'],
    ['a duplicate number', `${line(adult)}${line(adult)}`, 2, 'duplicate idNumber'],
    ['a duplicate passport + nationality', `${line(resident)}${line({ ...resident, passportNumber: resident.passportNumber.toLowerCase() })}`, 2,
      'duplicate passportNumber + nationality'],
    ['an unknown kind', line({ ...adult, kind: 'alien' }), 1, 'kind must be'],
    ['a malformed number', line({ ...adult, idNumber: '12345' }), 1, 'idNumber must be 12 digits'],
    ['a meta line after records', `${line(adult)}${line({ kind: 'meta', format: 'vn-eid-registry', version: 1 })}`, 2, 'meta line must be the first'],
    ['a dataset of another format', line({ kind: 'meta', format: 'other', version: 1 }), 1, 'not a vn-eid-registry dataset'],
  ])('refuses %s, naming the line but not its content', async (_case, content, lineNumber, reason) => {
    const error = await loadError(datasetFile(`bad-${lineNumber}-${reason.length}.ndjson`, content));
    expect(error.line).toBe(lineNumber);
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain(adult.idNumber);
    expect(error.message).not.toContain(adult.fullName);
  });

  it('a record that breaks the schema is an unavailable registry on lookup, never a match', async () => {
    const broken: CitizenRecord = { ...adult, birthDate: '1990-13-45' };
    const registry = await load(datasetFile('broken.ndjson', line(broken)));
    expect(await registry.findCitizen(adult.idNumber)).toEqual({ ok: false, error: 'registry_unavailable' });
  });

  it('with validateAll, a record that breaks the schema stops the load', async () => {
    const broken: ForeignerRecord = { ...resident, nationality: 'ZZZ' };
    const error = await loadError(datasetFile('broken-all.ndjson', `${line(adult)}${line(broken)}`), true);
    expect(error.line).toBe(2);
  });

  it('a file rewritten under a loaded index makes lookups unavailable, not wrong', async () => {
    const path = datasetFile('rewritten.ndjson', line(adult));
    const registry = await load(path);
    writeFileSync(path, line({ ...adult, idNumber: adult.idNumber.replace(/.$/, (d) => String((Number(d) + 1) % 10)) }));
    expect(await registry.findCitizen(adult.idNumber)).toEqual({ ok: false, error: 'registry_unavailable' });
  });
});

describe('file-backed registry: a dataset larger than one read chunk', () => {
  let registry: FileRegistry;
  let records: (CitizenRecord | ForeignerRecord)[];

  beforeAll(async () => {
    const path = join(dir, 'large.ndjson');
    await writeRegistryDataset(path, { seed: 'large', citizens: 24_000, foreigners: 2_000, asOf: AS_OF });
    records = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1).map((text) => JSON.parse(text) as CitizenRecord);
    registry = await load(path);
  });

  it('indexes every record, including those across chunk boundaries', async () => {
    expect(registry.size).toEqual({ citizens: 24_000, foreigners: 2_000 });
    const sample = records.filter((_record, index) => index % 13 === 0);
    for (const record of sample) {
      const found =
        record.kind === 'citizen'
          ? await registry.findCitizen(record.idNumber)
          : await registry.findForeigner(record.passportNumber, record.nationality);
      expect(found).toEqual({ ok: true, value: record });
    }
  });
});
