import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsArray,
  IsBoolean,
  IsIn,
  isISO31661Alpha3,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { RESIDENCE_DOCUMENT_TYPES } from '../../domain/registry.js';

/**
 * The registry record as it crosses the edge: agency replies (docs/registry/agency-api.md) and dataset lines
 * (docs/registry/registry-record.schema.json) share this shape. Anything that does not pass is never a match.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD naming a day that exists (no 2023-02-30). */
function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
          const parsed = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
        },
        defaultMessage: () => '$property must be a calendar date YYYY-MM-DD',
      },
    },
    options,
  );
}

/** Required but may be null: a missing field is malformed, an explicit null is an answer. */
const NullOr = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== null);

/** ICAO 9303 codes for travel documents of stateless persons and refugees, which no ISO 3166 country carries. */
const ICAO_SPECIAL_NATIONALITIES = new Set(['XXA', 'XXB', 'XXC', 'XXX']);

/** Citizenship as passports state it (Decision 34 Art 4.2.dd): ISO 3166-1 alpha-3, upper case, or an ICAO special code. */
function IsNationality(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNationality',
      validator: {
        validate: (value: unknown): boolean =>
          typeof value === 'string' &&
          /^[A-Z]{3}$/.test(value) &&
          (isISO31661Alpha3(value) || ICAO_SPECIAL_NATIONALITIES.has(value)),
        defaultMessage: () => '$property must be an ISO 3166-1 alpha-3 code',
      },
    },
    options,
  );
}

const ID_NUMBER = /^\d{12}$/;
const PASSPORT_NUMBER = /^[A-Z0-9]{5,20}$/;
/** Names: letters of any script, combining marks, spaces, apostrophes, hyphens and dots; nothing else. */
const FULL_NAME = /^[\p{L}\p{M}][\p{L}\p{M} '.-]*$/u;

export class PersonRefDto {
  @IsIn(['citizen', 'foreigner']) kind!: 'citizen' | 'foreigner';
  @ValidateIf((ref: PersonRefDto) => ref.kind === 'citizen') @Matches(ID_NUMBER) idNumber?: string;
  @ValidateIf((ref: PersonRefDto) => ref.kind === 'foreigner') @Matches(PASSPORT_NUMBER) passportNumber?: string;
  @ValidateIf((ref: PersonRefDto) => ref.kind === 'foreigner') @IsNationality() nationality?: string;
}

export class BiometricReferencesDto {
  @NullOr() @IsString() @MinLength(1) @MaxLength(200) portraitRef!: string | null;
  @NullOr() @IsString() @MinLength(1) @MaxLength(200) fingerprintRef!: string | null;
}

export class IdentityCardDto {
  @NullOr() @IsCalendarDate() expiresOn!: string | null;
}

export class ResidenceDocumentDto {
  @IsIn(RESIDENCE_DOCUMENT_TYPES) type!: (typeof RESIDENCE_DOCUMENT_TYPES)[number];
  @IsString() @MinLength(1) @MaxLength(40) number!: string;
  @IsCalendarDate() validFrom!: string;
  @IsCalendarDate() validUntil!: string;
}

abstract class RegistryPersonDto {
  @IsString() @MinLength(1) @MaxLength(200) @Matches(FULL_NAME) fullName!: string;
  @IsCalendarDate() birthDate!: string;
  @IsIn(['male', 'female']) gender!: 'male' | 'female';
  @IsIn(['alive', 'deceased']) lifeStatus!: 'alive' | 'deceased';
  @IsArray() @ValidateNested({ each: true }) @Type(() => PersonRefDto) parents!: PersonRefDto[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => PersonRefDto) guardians!: PersonRefDto[];
  @IsBoolean() underGuardianship!: boolean;
  @IsDefined() @ValidateNested() @Type(() => BiometricReferencesDto) biometrics!: BiometricReferencesDto;
}

export class CitizenRecordDto extends RegistryPersonDto {
  @Equals('citizen') kind!: 'citizen';
  @Matches(ID_NUMBER) idNumber!: string;
  @IsIn(['valid', 'invalidated', 're_established']) idNumberStatus!: 'valid' | 'invalidated' | 're_established';
  @NullOr() @Matches(ID_NUMBER) replacedBy!: string | null;
  @IsDefined() @NullOr() @ValidateNested() @Type(() => IdentityCardDto) idCard!: IdentityCardDto | null;
}

export class ForeignerRecordDto extends RegistryPersonDto {
  @Equals('foreigner') kind!: 'foreigner';
  @Matches(PASSPORT_NUMBER) passportNumber!: string;
  @IsNationality() nationality!: string;
  @IsCalendarDate() passportExpiresOn!: string;
  @IsDefined() @NullOr() @ValidateNested() @Type(() => ResidenceDocumentDto) residenceDocument!: ResidenceDocumentDto | null;
  @NullOr() @IsString() @Matches(/^[A-Z0-9]{1,6}$/) visaKind!: string | null;
}
