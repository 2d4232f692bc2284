import 'reflect-metadata';
import { IsString, Matches } from 'class-validator';
import { IsOmittable } from './omittable.js';
import { NOTE_PATTERN } from './open-lock-body.js';

/** POST /api/v1/accounts/{accountId}/locks/{lockId}/lift (Decision 34 Art 11.2) and .../remediation (Art 11.3). */
export class LockNoteBody {
  @IsOmittable() @IsString() @Matches(NOTE_PATTERN) note?: string;
}
