import { open, type FileHandle } from 'node:fs/promises';
import type {
  CitizenRecord,
  ForeignerRecord,
  ImmigrationRegistry,
  PopulationRegistry,
  RegistryLookup,
} from '../../domain/registry.js';
import { normaliseIdNumber, normaliseNationality, normalisePassportNumber } from '../../domain/registry.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok } from '../../shared/result.js';
import { toCitizenRecord, toForeignerRecord, toRegistryRecord } from '../wire/record-mapping.js';
import { DATASET_FORMAT, DATASET_VERSION } from './dataset-format.js';

export interface FileRegistryOptions {
  /** The running environment; `production` is refused (ARCHITECTURE convention 10). */
  environment: string;
  /** Validate every record completely while loading (CI, hand-edited files). Otherwise each record is validated when
   * looked up, which keeps loading a million records within seconds. */
  validateAll?: boolean;
  logger?: Logger;
}

export interface FileRegistrySize {
  citizens: number;
  foreigners: number;
}

/** A dataset that cannot be used; the message names the line, never its content (it holds personal data). */
export class RegistryDatasetError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${path}:${line}: ${reason}`);
    this.name = 'RegistryDatasetError';
  }
}

const CHUNK_BYTES = 8 * 1024 * 1024;
/** Offset and length share one number in the index: offset × 2^16 + length. */
const LENGTH_BITS = 65_536;
const NEWLINE = 0x0a;

const foreignerKey = (passportNumber: string, nationality: string): string =>
  `${normaliseNationality(nationality)}:${normalisePassportNumber(passportNumber)}`;

/**
 * Both national registries answered from one NDJSON file (docs/registry/dataset.md), for development and tests.
 * Loading keeps only an index (key -> where the line is); a lookup reads that one line back from the file, so memory
 * stays small whatever the size of the dataset. Restart after regenerating the file.
 */
export class FileRegistry implements PopulationRegistry, ImmigrationRegistry {
  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly citizens: Map<string, number>,
    private readonly foreigners: Map<string, number>,
    private readonly logger: Logger | undefined,
  ) {}

  static async load(path: string, options: FileRegistryOptions): Promise<FileRegistry> {
    if (options.environment === 'production' || process.env.NODE_ENV === 'production') {
      throw new Error('The file-backed registry is a development convenience and is refused in production');
    }
    const handle = await open(path, 'r');
    try {
      const { citizens, foreigners } = await indexDataset(path, handle, options.validateAll ?? false);
      return new FileRegistry(path, handle, citizens, foreigners, options.logger);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get size(): FileRegistrySize {
    return { citizens: this.citizens.size, foreigners: this.foreigners.size };
  }

  async findCitizen(idNumber: string): Promise<RegistryLookup<CitizenRecord>> {
    const wanted = normaliseIdNumber(idNumber);
    const location = this.citizens.get(wanted);
    if (location === undefined) return ok(null);
    const record = toCitizenRecord(await this.readLine(location), 'forbid');
    if (!record || record.idNumber !== wanted) return this.unreadable(location);
    return ok(record);
  }

  async findForeigner(passportNumber: string, nationality: string): Promise<RegistryLookup<ForeignerRecord>> {
    const key = foreignerKey(passportNumber, nationality);
    const location = this.foreigners.get(key);
    if (location === undefined) return ok(null);
    const record = toForeignerRecord(await this.readLine(location), 'forbid');
    if (!record || foreignerKey(record.passportNumber, record.nationality) !== key) return this.unreadable(location);
    return ok(record);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async readLine(location: number): Promise<unknown> {
    const length = location % LENGTH_BITS;
    const offset = (location - length) / LENGTH_BITS;
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
    try {
      return JSON.parse(buffer.toString('utf8', 0, bytesRead));
    } catch {
      return undefined;
    }
  }

  /** A record that fails validation (or a file changed under us) makes the registry unavailable, never a match. */
  private unreadable(location: number): RegistryLookup<never> {
    this.logger?.error({
      event: 'registry.record_rejected',
      dataset: this.path,
      byteOffset: (location - (location % LENGTH_BITS)) / LENGTH_BITS,
    });
    return fail('registry_unavailable');
  }
}

interface DatasetIndex {
  citizens: Map<string, number>;
  foreigners: Map<string, number>;
}

/** One pass over the file: checks each line's structure and key, refuses duplicates, remembers where it is. */
async function indexDataset(path: string, handle: FileHandle, validateAll: boolean): Promise<DatasetIndex> {
  const citizens = new Map<string, number>();
  const foreigners = new Map<string, number>();
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  let fileOffset = 0;
  let lineNumber = 0;
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);

  const indexLine = (buffer: Buffer, start: number, end: number, absoluteOffset: number): void => {
    lineNumber += 1;
    const length = end - start;
    if (length === 0) return;
    const problem = (reason: string): RegistryDatasetError => new RegistryDatasetError(path, lineNumber, reason);
    if (length >= LENGTH_BITS) throw problem('line longer than 64 KiB');
    let plain: unknown;
    try {
      plain = JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      throw problem('not valid JSON');
    }
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw problem('not a JSON object');
    const line = plain as Record<string, unknown>;
    if (line.kind === 'meta') {
      if (lineNumber !== 1) throw problem('the meta line must be the first line');
      if (line.format !== DATASET_FORMAT || line.version !== DATASET_VERSION) {
        throw problem(`not a ${DATASET_FORMAT} dataset of version ${DATASET_VERSION}`);
      }
      return;
    }
    if (validateAll && toRegistryRecord(line, 'forbid') === null) throw problem('record does not match the schema');
    const location = absoluteOffset * LENGTH_BITS + length;
    if (line.kind === 'citizen') {
      if (typeof line.idNumber !== 'string' || !/^\d{12}$/.test(line.idNumber)) throw problem('idNumber must be 12 digits');
      if (citizens.has(line.idNumber)) throw problem('duplicate idNumber');
      citizens.set(line.idNumber, location);
    } else if (line.kind === 'foreigner') {
      if (typeof line.passportNumber !== 'string' || typeof line.nationality !== 'string') {
        throw problem('passportNumber and nationality are required');
      }
      const key = foreignerKey(line.passportNumber, line.nationality);
      if (foreigners.has(key)) throw problem('duplicate passportNumber + nationality');
      foreigners.set(key, location);
    } else {
      throw problem('kind must be meta, citizen or foreigner');
    }
  };

  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, fileOffset);
    if (bytesRead === 0) break;
    // The buffer to scan: what was left of the previous chunk, then this one.
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const bufferOffset = carry.length > 0 ? carryOffset : fileOffset;
    let start = 0;
    for (let newline = buffer.indexOf(NEWLINE, start); newline !== -1; newline = buffer.indexOf(NEWLINE, start)) {
      const end = newline > start && buffer[newline - 1] === 0x0d ? newline - 1 : newline;
      indexLine(buffer, start, end, bufferOffset + start);
      start = newline + 1;
    }
    carry = Buffer.from(buffer.subarray(start));
    carryOffset = bufferOffset + start;
    fileOffset += bytesRead;
  }
  if (carry.length > 0) indexLine(carry, 0, carry.length, carryOffset);
  return { citizens, foreigners };
}
