import 'reflect-metadata';
import { IsString, Matches } from 'class-validator';
import { IsOmittable } from './omittable.js';
import type { PersonRef } from '../../../domain/registry.js';
import { normaliseIdNumber, normaliseNationality, normalisePassportNumber } from '../../../domain/registry.js';

/**
 * How an agency names a person: the personal ID number (citizens, Decision 34 Art 4.1.a) or passport number and
 * nationality (foreigners, Art 4.2.a, 4.2.dd). Exactly one of the two forms; identifiers travel in bodies, never URLs.
 */
export class IdentityRefFields {
  @IsOmittable() @IsString() @Matches(/^\d{12}$/) personalIdNumber?: string;
  @IsOmittable() @IsString() @Matches(/^[A-Za-z0-9 ]{5,20}$/) passportNumber?: string;
  @IsOmittable() @IsString() @Matches(/^[A-Za-z]{3}$/) nationality?: string;
}

/** The person named, or undefined when neither form (or both) was given. */
export function personRefOf(fields: IdentityRefFields): PersonRef | undefined {
  const citizen = fields.personalIdNumber !== undefined;
  const foreigner = fields.passportNumber !== undefined || fields.nationality !== undefined;
  if (citizen === foreigner) return undefined;
  if (citizen) return { kind: 'citizen', idNumber: normaliseIdNumber(fields.personalIdNumber ?? '') };
  if (fields.passportNumber === undefined || fields.nationality === undefined) return undefined;
  return {
    kind: 'foreigner',
    passportNumber: normalisePassportNumber(fields.passportNumber),
    nationality: normaliseNationality(fields.nationality),
  };
}
