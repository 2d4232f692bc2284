import 'reflect-metadata';
import { IsOptional, IsString, Matches } from 'class-validator';
import { NOTE_PATTERN } from './open-lock-body.js';

/** POST /api/v1/accounts/{accountId}/locks/{lockId}/lift (Decision 34 Art 11.2) and .../remediation (Art 11.3). */
export class LockNoteBody {
  @IsOptional() @IsString() @Matches(NOTE_PATTERN) note?: string;
}
