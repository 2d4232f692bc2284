import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { HELD_DOCUMENT_TYPES } from '../../../domain/held-document.js';
import { REGISTRY_EVENT_TYPES, REGISTRY_SOURCES, type RegistryEvent } from '../../../domain/registry-event.js';
import { IdentityRefFields, personRefOf } from './identity-ref.js';
import { IsOmittable } from './omittable.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class IdentityChangesBody {
  @IsOmittable() @IsString() @Matches(/^(?=.*\S)[^\p{Cc}]{1,100}$/u) fullName?: string;
  @IsOmittable() @IsString() @Matches(ISO_DATE) birthDate?: string;
  @IsOmittable() @IsIn(['male', 'female']) gender?: 'male' | 'female';
}

export class DocumentBody {
  @IsIn(HELD_DOCUMENT_TYPES) type!: (typeof HELD_DOCUMENT_TYPES)[number];
  @IsOmittable() @IsString() @Matches(/^[A-Za-z0-9-]{1,30}$/) number?: string;
  /** ISO date; null = valid for life (IsOptional lets null through unchecked). */
  @IsOptional() @IsString() @Matches(ISO_DATE) expiresOn?: string | null;
}

/** POST /api/v1/registry/events: one change in a national database (Decision 34 Art 9.1; docs/api.md). */
export class RegistryEventBody {
  @IsString() @Matches(/^[A-Za-z0-9._:-]{1,100}$/) id!: string;
  @IsIn(REGISTRY_EVENT_TYPES) type!: RegistryEvent['type'];
  @IsIn(REGISTRY_SOURCES) source!: RegistryEvent['source'];
  @IsISO8601({ strict: true }) occurredAt!: string;
  @ValidateNested() @Type(() => IdentityRefFields) subject!: IdentityRefFields;
  @IsOmittable() @ValidateNested() @Type(() => IdentityChangesBody) changes?: IdentityChangesBody;
  @IsOmittable() @ValidateNested() @Type(() => DocumentBody) document?: DocumentBody;
}

/** The event in the domain's terms, or undefined when the subject is not one well-formed identity of its source. */
export function registryEventOf(body: RegistryEventBody): RegistryEvent | undefined {
  const subject = personRefOf(body.subject);
  if (!subject) return undefined;
  // Decision 34 Art 5.1: citizens are in the population database, foreigners in the immigration database.
  if ((subject.kind === 'citizen') !== (body.source === 'population')) return undefined;
  return {
    id: body.id,
    type: body.type,
    source: body.source,
    occurredAt: body.occurredAt,
    subject,
    ...(body.changes ? { changes: { ...body.changes } } : {}),
    ...(body.document
      ? {
          document: {
            type: body.document.type,
            ...(body.document.number ? { number: body.document.number } : {}),
            ...(body.document.expiresOn !== undefined ? { expiresOn: body.document.expiresOn } : {}),
          },
        }
      : {}),
  };
}
