import 'reflect-metadata';
import { IsString, Length, Matches, MaxLength } from 'class-validator';
import { RegistrationPersonFields } from './registration-person-fields.js';

/** A foreigner registering themselves (Decision 34 Art 6.1, 6.4.a–e). */
export class ForeignerRegistrationForm extends RegistrationPersonFields {
  /** Decision 34 Art 6.4.a: passport or international travel document number. */
  @IsString() @Length(1, 20) passportNumber!: string;

  /** Decision 34 Art 6.4.dd: ISO 3166-1 alpha-3, from the list. */
  @Matches(/^[A-Za-z]{3}$/) nationality!: string;

  @IsString() @MaxLength(32) phone!: string;

  @IsString() @MaxLength(254) email!: string;
}
