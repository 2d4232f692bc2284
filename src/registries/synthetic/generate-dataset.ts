import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DATASET_FORMAT, DATASET_VERSION, type DatasetMeta } from '../file/dataset-format.js';
import { dayOf } from './calendar.js';
import { CitizenGenerator, IdNumberRegister } from './citizen-generator.js';
import { devPersonaRecords } from './dev-personas.js';
import { ForeignerGenerator } from './foreigner-generator.js';
import { SeededRandom } from './seeded-random.js';

export interface DatasetOptions {
  /** Same seed and options, same file, byte for byte. */
  seed: string;
  citizens: number;
  foreigners: number;
  /** The date ages and document validity are computed against (YYYY-MM-DD); part of the determinism. */
  asOf: string;
  /** Put the documented personas (dev-personas.ts) first; they count towards `citizens` and `foreigners`. */
  personas?: boolean;
}

export interface DatasetSummary {
  citizens: number;
  foreigners: number;
  bytes: number;
}

export const DEFAULT_DATASET_SEED = 'vn-eid';

function checkOptions(options: DatasetOptions): void {
  for (const [name, value] of [['citizens', options.citizens], ['foreigners', options.foreigners]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf) || Number.isNaN(dayOf(options.asOf))) {
    throw new RangeError('asOf must be a date YYYY-MM-DD');
  }
}

/** The dataset as lines (each ending in "\n"): the meta line, citizens, then foreigners. */
export function* datasetLines(options: DatasetOptions): Generator<string> {
  checkOptions(options);
  const withPersonas = options.personas ?? true;
  const meta: DatasetMeta = {
    kind: 'meta',
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    generator: {
      seed: options.seed,
      asOf: options.asOf,
      citizens: options.citizens,
      foreigners: options.foreigners,
      personas: withPersonas,
    },
  };
  yield `${JSON.stringify(meta)}\n`;

  const personas = withPersonas ? devPersonaRecords(options.asOf) : { citizens: [], foreigners: [] };
  if (personas.citizens.length > options.citizens || personas.foreigners.length > options.foreigners) {
    throw new RangeError(
      `with personas the dataset needs at least ${personas.citizens.length} citizens and ${personas.foreigners.length} foreigners`,
    );
  }
  const asOfDay = dayOf(options.asOf);

  const usedNumbers = new IdNumberRegister();
  for (const record of personas.citizens) usedNumbers.claim(record.idNumber);
  const citizens = new CitizenGenerator(new SeededRandom(`${options.seed}:citizens`), asOfDay, usedNumbers);
  for (const record of personas.citizens) yield `${JSON.stringify(record)}\n`;
  for (let written = personas.citizens.length; written < options.citizens; ) {
    for (const record of citizens.household(options.citizens - written)) {
      yield `${JSON.stringify(record)}\n`;
      written += 1;
    }
  }

  const usedPassports = new Set(personas.foreigners.map((record) => `${record.nationality}:${record.passportNumber}`));
  const foreigners = new ForeignerGenerator(new SeededRandom(`${options.seed}:foreigners`), asOfDay, usedPassports);
  for (const record of personas.foreigners) yield `${JSON.stringify(record)}\n`;
  for (let written = personas.foreigners.length; written < options.foreigners; ) {
    for (const record of foreigners.household(options.foreigners - written)) {
      yield `${JSON.stringify(record)}\n`;
      written += 1;
    }
  }
}

const FLUSH_CHARS = 1 << 20;

/**
 * Writes the dataset to `path` atomically (a temporary file renamed into place). Synchronous writes of 1 MiB chunks:
 * the generator is CPU-bound and a stream's back-pressure only made it wait.
 */
export async function writeRegistryDataset(path: string, options: DatasetOptions): Promise<DatasetSummary> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  let bytes = 0;
  try {
    let pending = '';
    const flush = (): void => {
      bytes += writeSync(fd, pending);
      pending = '';
    };
    for (const line of datasetLines(options)) {
      pending += line;
      if (pending.length >= FLUSH_CHARS) flush();
    }
    flush();
    closeSync(fd);
    await rename(temporary, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    await rm(temporary, { force: true });
    throw error;
  }
  return { citizens: options.citizens, foreigners: options.foreigners, bytes };
}

/** The development dataset's default size: enough families and foreigners to explore, small enough to load at once. */
/** The development dataset's reference date: personas keep the ages and numbers docs/registry/dataset.md lists. */
export const DEV_DATASET_AS_OF = '2026-01-01';

export const DEV_DATASET_SIZE = { citizens: 20_000, foreigners: 2_000 } as const;

/**
 * Generates the development dataset at `path` unless a file is already there (first start). The as-of date is today,
 * so that the personas have their documented ages and the residence documents are current.
 */
export async function ensureDevRegistryDataset(
  path: string,
  options: { today: string; seed?: string; citizens?: number; foreigners?: number },
): Promise<{ generated: boolean }> {
  if (existsSync(path)) return { generated: false };
  await writeRegistryDataset(path, {
    seed: options.seed ?? DEFAULT_DATASET_SEED,
    citizens: options.citizens ?? DEV_DATASET_SIZE.citizens,
    foreigners: options.foreigners ?? DEV_DATASET_SIZE.foreigners,
    asOf: options.today,
    personas: true,
  });
  return { generated: true };
}
