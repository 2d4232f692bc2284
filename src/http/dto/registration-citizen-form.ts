import 'reflect-metadata';
import { IsString, Length, MaxLength } from 'class-validator';
import { RegistrationPersonFields } from './registration-person-fields.js';

/** A citizen registering themselves (Decision 34 Art 6.1, 6.4.a–e). */
export class CitizenRegistrationForm extends RegistrationPersonFields {
  /** Decision 34 Art 6.4.a: 12 digits; spaces are tolerated and removed, the structure is checked by the service. */
  @IsString() @Length(1, 20) idNumber!: string;

  /** Decision 34 Art 6.4.e; normalised to E.164 by the service. */
  @IsString() @MaxLength(32) phone!: string;

  /** Decision 34 Art 6.4.e. */
  @IsString() @MaxLength(254) email!: string;
}
