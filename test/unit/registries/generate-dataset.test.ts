import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEligibility } from '../../../src/domain/eligibility.js';
import { checkIdNumberConsistency } from '../../../src/domain/id-number.js';
import type { CitizenRecord, ForeignerRecord, PersonRef, RegistryRecord } from '../../../src/domain/registry.js';
import { devPersonas } from '../../../src/registries/synthetic/dev-personas.js';
import {
  ensureDevRegistryDataset,
  writeRegistryDataset,
  type DatasetOptions,
} from '../../../src/registries/synthetic/generate-dataset.js';
import { toRegistryRecord } from '../../../src/registries/wire/record-mapping.js';

const require = createRequire(import.meta.url);
// ajv ships CommonJS; the 2020-12 draft build is a subpath.
const Ajv2020 = (require('ajv/dist/2020') as { default: new (options: object) => { compile: (schema: object) => AjvValidate } }).default;
type AjvValidate = ((data: unknown) => boolean) & { errors?: unknown };

const AS_OF = '2026-03-01';
const OPTIONS: DatasetOptions = { seed: 'test-seed', citizens: 3000, foreigners: 600, asOf: AS_OF };

const dir = mkdtempSync(join(tmpdir(), 'vneid-dataset-'));
const generate = async (name: string, options: DatasetOptions): Promise<Buffer> => {
  const path = join(dir, name);
  await writeRegistryDataset(path, options);
  return readFileSync(path);
};

let file: Buffer;
let lines: unknown[];
let citizens: CitizenRecord[];
let foreigners: ForeignerRecord[];

beforeAll(async () => {
  file = await generate('a.ndjson', OPTIONS);
  lines = file.toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
  const records = lines.slice(1) as RegistryRecord[];
  citizens = records.filter((record): record is CitizenRecord => record.kind === 'citizen');
  foreigners = records.filter((record): record is ForeignerRecord => record.kind === 'foreigner');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthetic registry dataset: reproducible', () => {
  it('same seed and options give a byte-identical file', async () => {
    expect((await generate('b.ndjson', OPTIONS)).equals(file)).toBe(true);
  });

  it('another seed or as-of date gives another population', async () => {
    expect((await generate('c.ndjson', { ...OPTIONS, seed: 'other' })).equals(file)).toBe(false);
    expect((await generate('d.ndjson', { ...OPTIONS, asOf: '2026-03-02' })).equals(file)).toBe(false);
  });

  it('holds exactly the requested counts after a meta line describing how it was made', () => {
    expect(lines[0]).toEqual({
      kind: 'meta',
      format: 'vn-eid-registry',
      version: 1,
      generator: { seed: 'test-seed', asOf: AS_OF, citizens: 3000, foreigners: 600, personas: true },
    });
    expect(citizens).toHaveLength(3000);
    expect(foreigners).toHaveLength(600);
  });

  it('refuses counts too small to hold the personas, and bad dates', async () => {
    await expect(writeRegistryDataset(join(dir, 'x.ndjson'), { ...OPTIONS, citizens: 5 })).rejects.toThrow(RangeError);
    await expect(writeRegistryDataset(join(dir, 'y.ndjson'), { ...OPTIONS, asOf: '1 March' })).rejects.toThrow(RangeError);
    const tiny = await generate('z.ndjson', { ...OPTIONS, citizens: 5, foreigners: 1, personas: false });
    expect(tiny.toString('utf8').trimEnd().split('\n')).toHaveLength(7);
  });
});

describe('synthetic registry dataset: valid and consistent', () => {
  it('every line follows the documented JSON Schema and the edge validation', () => {
    const schema = JSON.parse(readFileSync('docs/registry/registry-record.schema.json', 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    const invalid = lines.filter((line) => !validate(line));
    expect(invalid).toEqual([]);
    const rejected = lines.slice(1).filter((line) => toRegistryRecord(line, 'forbid') === null);
    expect(rejected).toEqual([]);
  });

  it('every number agrees with its birth date and gender (Decision 34 Art 4.1.a) and is unique', () => {
    const inconsistent = citizens.filter((record) => !checkIdNumberConsistency(record.idNumber, record).ok);
    expect(inconsistent).toEqual([]);
    expect(new Set(citizens.map((record) => record.idNumber)).size).toBe(citizens.length);
    expect(new Set(foreigners.map((record) => `${record.nationality}:${record.passportNumber}`)).size).toBe(foreigners.length);
  });

  it('names parents, guardians and replacement numbers that are in the dataset', () => {
    const keys = new Set([
      ...citizens.map((record) => `citizen:${record.idNumber}`),
      ...foreigners.map((record) => `foreigner:${record.nationality}:${record.passportNumber}`),
    ]);
    const keyOf = (ref: PersonRef): string =>
      ref.kind === 'citizen' ? `citizen:${ref.idNumber}` : `foreigner:${ref.nationality}:${ref.passportNumber}`;
    const dangling = [...citizens, ...foreigners]
      .flatMap((record) => [...record.parents, ...record.guardians])
      .filter((ref) => !keys.has(keyOf(ref)));
    expect(dangling).toEqual([]);
    const replaced = citizens.filter((record) => record.idNumberStatus === 're_established');
    expect(replaced.every((record) => record.replacedBy !== null && keys.has(`citizen:${record.replacedBy}`))).toBe(true);
  });

  it('names people with Vietnamese diacritics, in NFC', () => {
    expect(citizens.every((record) => record.fullName === record.fullName.normalize('NFC'))).toBe(true);
    const withDiacritics = citizens.filter((record) => /[^\p{ASCII}]/u.test(record.fullName));
    expect(withDiacritics.length).toBeGreaterThan(citizens.length * 0.8);
  });

  it('carries every case the rules must handle', () => {
    const asOf = AS_OF;
    const ageOf = (record: RegistryRecord): number => Number(asOf.slice(0, 4)) - Number(record.birthDate.slice(0, 4));
    const count = <T>(records: T[], predicate: (record: T) => boolean): number => records.filter(predicate).length;
    expect(count(citizens, (r) => r.lifeStatus === 'deceased')).toBeGreaterThan(0);
    expect(count(citizens, (r) => r.idNumberStatus === 'invalidated')).toBeGreaterThan(0);
    expect(count(citizens, (r) => r.idNumberStatus === 're_established')).toBeGreaterThan(0);
    expect(count(citizens, (r) => r.idCard !== null && r.idCard.expiresOn !== null && r.idCard.expiresOn < asOf)).toBeGreaterThan(0);
    expect(count(citizens, (r) => r.idCard !== null && r.idCard.expiresOn === null)).toBeGreaterThan(0);
    expect(count(citizens, (r) => r.idCard === null)).toBeGreaterThan(0);
    expect(count(citizens, (r) => r.underGuardianship && r.guardians.length > 0 && ageOf(r) >= 18)).toBeGreaterThan(0);
    expect(count(citizens, (r) => ageOf(r) < 14 && r.parents.length === 2)).toBeGreaterThan(100);
    expect(count(citizens, (r) => r.biometrics.fingerprintRef !== null)).toBeGreaterThan(citizens.length / 2);
    expect(new Set(citizens.map((r) => r.idNumber.slice(0, 3))).size).toBeGreaterThan(40);

    const documentTypes = new Set(foreigners.map((r) => r.residenceDocument?.type ?? 'none'));
    expect([...documentTypes].sort()).toEqual(
      ['none', 'permanent_residence_card', 'temporary_residence_card', 'temporary_residence_certificate', 'visa'].sort(),
    );
    expect(count(foreigners, (r) => r.residenceDocument !== null && r.residenceDocument.validUntil < asOf)).toBeGreaterThan(0);
    expect(count(foreigners, (r) => ageOf(r) < 6)).toBeGreaterThan(0);
    expect(count(foreigners, (r) => r.parents.length > 0)).toBeGreaterThan(0);
    expect(count(foreigners, (r) => r.passportExpiresOn < asOf)).toBeGreaterThan(0);
    expect(new Set(foreigners.map((r) => r.nationality)).size).toBeGreaterThan(10);
  });
});

describe('development personas (docs/registry/dataset.md)', () => {
  const personas = devPersonas(AS_OF);
  const decide = (record: RegistryRecord, representative: PersonRef | null): string => {
    const outcome = checkEligibility({
      record,
      accountExists: false,
      today: AS_OF,
      representative: representative && { identity: representative, accountActive: true, level: 2 },
    });
    return outcome.ok ? outcome.value.channel : outcome.error;
  };
  const citizenRef = (record: CitizenRecord): PersonRef => ({ kind: 'citizen', idNumber: record.idNumber });
  const c = personas.citizens;
  const f = personas.foreigners;

  it('open the dataset, exactly as devPersonas describes them', () => {
    expect(citizens.slice(0, Object.keys(c).length)).toEqual(Object.values(c));
    expect(foreigners.slice(0, Object.keys(f).length)).toEqual(Object.values(f));
  });

  it.each([
    ['adult', 'self', c.adult, null],
    ['toneStyleName', 'self', c.toneStyleName, null],
    ['child alone', 'representative_required', c.child, null],
    ['child through the father', 'representative', c.child, citizenRef(c.father)],
    ['teenager', 'self', c.teenager, null],
    ['ward through the guardian', 'representative', c.ward, citizenRef(c.guardian)],
    ['deceased', 'deceased', c.deceased, null],
    ['invalidatedNumber', 'id_number_invalidated', c.invalidatedNumber, null],
    ['reEstablishedOld', 'id_number_re_established', c.reEstablishedOld, null],
    ['reEstablishedCurrent', 'self', c.reEstablishedCurrent, null],
    ['expiredCard', 'self', c.expiredCard, null],
    ['resident', 'self', f.resident, null],
    ['tourist', 'residence_not_eligible', f.tourist, null],
    ['foreign child through the parent', 'representative', f.child, { kind: 'foreigner', passportNumber: f.parent.passportNumber, nationality: 'JPN' }],
    ['tooYoung', 'too_young', f.tooYoung, null],
    ['expiredResidence', 'residence_not_eligible', f.expiredResidence, null],
    ['longTermVisa', 'self', f.longTermVisa, null],
  ] as const)('%s -> %s', (_name, expected, record, representative) => {
    expect(decide(record, representative)).toBe(expected);
  });
});

describe('development dataset on first start', () => {
  it('is generated when missing and left alone when present', async () => {
    const path = join(dir, 'dev', 'registry.ndjson');
    const small = { today: AS_OF, citizens: 50, foreigners: 10 };
    expect(await ensureDevRegistryDataset(path, small)).toEqual({ generated: true });
    expect(readFileSync(path, 'utf8')).toContain(devPersonas(AS_OF).citizens.adult.idNumber);
    writeFileSync(path, 'kept\n');
    expect(await ensureDevRegistryDataset(path, small)).toEqual({ generated: false });
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
  });
});

