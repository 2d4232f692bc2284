import 'reflect-metadata';
import { IsString, Matches } from 'class-validator';
import { NOTE_PATTERN } from './open-lock-body.js';

/** PUT /api/v1/clients/{clientId}/suspension (Decision 34 Art 13.5): why the client's systems fail the requirements. */
export class SuspensionBody {
  @IsString() @Matches(NOTE_PATTERN) reason!: string;
}
