import 'reflect-metadata';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsOmittable } from './omittable.js';
import { IdentityRefFields } from './identity-ref.js';

/**
 * POST /api/v1/level2/in-person: an officer verified the person at a police counter (Decision 34 Art 5.1.b, later
 * rules). The person is named by `accountId` or by identity; the rest is checked by the level-2 flow.
 */
export class Level2RecordBody extends IdentityRefFields {
  @IsOmittable() @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/) accountId?: string;
  @IsIn(['fpt', 'face']) method!: 'fpt' | 'face';
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/) officerId!: string;
  @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/) stationId!: string;
  @IsString() @Matches(/^[^\p{Cc}]{1,200}$/u) legalBasis!: string;
  /** RFC 3339 date-time. */
  @IsString() @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/) at!: string;
}
