import 'reflect-metadata';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { RegistrationPersonFields } from './registration-person-fields.js';

/**
 * A parent or guardian registering a child under 14 or a person under guardianship from their own signed-in account
 * (Decision 34 Art 6.2, 6.3, 6.4.g). The representative is never a form field: the page takes it from the session.
 */
export class DependantRegistrationForm extends RegistrationPersonFields {
  @IsIn(['citizen', 'foreigner']) dependantKind!: 'citizen' | 'foreigner';

  @ValidateIf((form: DependantRegistrationForm) => form.dependantKind === 'citizen')
  @IsString()
  @Length(1, 20)
  idNumber?: string;

  @ValidateIf((form: DependantRegistrationForm) => form.dependantKind === 'foreigner')
  @IsString()
  @Length(1, 20)
  passportNumber?: string;

  @ValidateIf((form: DependantRegistrationForm) => form.dependantKind === 'foreigner')
  @Matches(/^[A-Za-z]{3}$/)
  nationality?: string;

  /** The dependant's own phone and email; left empty, the representative's are used. */
  @IsOptional() @IsString() @MaxLength(32) phone?: string;

  @IsOptional() @IsString() @MaxLength(254) email?: string;
}
