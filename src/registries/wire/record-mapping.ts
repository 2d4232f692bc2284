import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type {
  CitizenRecord,
  ForeignerRecord,
  PersonRef,
  RegistryPersonBase,
  RegistryRecord,
} from '../../domain/registry.js';
import {
  CitizenRecordDto,
  ForeignerRecordDto,
  type PersonRefDto,
} from './registry-record-dto.js';

/**
 * Turns an untrusted registry record (an agency reply or a dataset line) into a domain record, or null when it is
 * malformed. Callers treat null as "the registry could not answer", never as "no such person".
 *
 * `unknownFields`: our own dataset format is closed (`forbid`), an agency may add fields without breaking us (`strip`).
 */
export type UnknownFieldPolicy = 'forbid' | 'strip';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function validDto<T extends object>(schema: new () => T, plain: unknown, unknownFields: UnknownFieldPolicy): T | null {
  if (!isObject(plain)) return null;
  const dto = plainToInstance(schema, plain);
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: unknownFields === 'forbid',
    forbidUnknownValues: true,
  });
  return errors.length === 0 ? dto : null;
}

const toPersonRef = (ref: PersonRefDto): PersonRef =>
  ref.kind === 'citizen'
    ? { kind: 'citizen', idNumber: ref.idNumber ?? '' }
    : { kind: 'foreigner', passportNumber: ref.passportNumber ?? '', nationality: ref.nationality ?? '' };

/** Copies field by field, so nothing the DTO does not declare reaches the domain. */
function personBase(dto: CitizenRecordDto | ForeignerRecordDto): RegistryPersonBase {
  return {
    fullName: dto.fullName.normalize('NFC'),
    birthDate: dto.birthDate,
    gender: dto.gender,
    lifeStatus: dto.lifeStatus,
    parents: dto.parents.map(toPersonRef),
    guardians: dto.guardians.map(toPersonRef),
    underGuardianship: dto.underGuardianship,
    biometrics: { portraitRef: dto.biometrics.portraitRef, fingerprintRef: dto.biometrics.fingerprintRef },
  };
}

export function toCitizenRecord(plain: unknown, unknownFields: UnknownFieldPolicy): CitizenRecord | null {
  const dto = validDto(CitizenRecordDto, plain, unknownFields);
  if (!dto) return null;
  return {
    kind: 'citizen',
    idNumber: dto.idNumber,
    ...personBase(dto),
    idNumberStatus: dto.idNumberStatus,
    replacedBy: dto.replacedBy,
    idCard: dto.idCard ? { expiresOn: dto.idCard.expiresOn } : null,
  };
}

export function toForeignerRecord(plain: unknown, unknownFields: UnknownFieldPolicy): ForeignerRecord | null {
  const dto = validDto(ForeignerRecordDto, plain, unknownFields);
  if (!dto) return null;
  const document = dto.residenceDocument;
  return {
    kind: 'foreigner',
    passportNumber: dto.passportNumber,
    nationality: dto.nationality,
    ...personBase(dto),
    passportExpiresOn: dto.passportExpiresOn,
    residenceDocument: document
      ? { type: document.type, number: document.number, validFrom: document.validFrom, validUntil: document.validUntil }
      : null,
    visaKind: dto.visaKind,
  };
}

export function toRegistryRecord(plain: unknown, unknownFields: UnknownFieldPolicy): RegistryRecord | null {
  if (!isObject(plain)) return null;
  if (plain.kind === 'citizen') return toCitizenRecord(plain, unknownFields);
  if (plain.kind === 'foreigner') return toForeignerRecord(plain, unknownFields);
  return null;
}
