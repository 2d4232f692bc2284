import 'reflect-metadata';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/**
 * The fields every registration form shares (Decision 34 Art 6.4.b–d, consent, the code channel of Art 7.1). Only
 * shape and length are checked here; what the values mean (a real date, a usable phone number) is the registration
 * service's decision, so the page can name the exact problem.
 */
export class RegistrationPersonFields {
  /** Decision 34 Art 6.4.b. */
  @IsString() @Length(1, 100) fullName!: string;

  /** Decision 34 Art 6.4.c, as three fields (day, month, year): typed the Vietnamese way, no date picker needed. */
  @Matches(/^\s*\d{1,2}\s*$/) birthDay!: string;
  @Matches(/^\s*\d{1,2}\s*$/) birthMonth!: string;
  @Matches(/^\s*\d{4}\s*$/) birthYear!: string;

  /** Decision 34 Art 6.4.d. */
  @IsIn(['male', 'female']) gender!: 'male' | 'female';

  /** Decision 34 Art 7.1: where the activation code goes. */
  @IsIn(['sms', 'email']) channel!: 'sms' | 'email';

  /** Checkboxes: present ("yes") only when ticked; the service refuses the registration without both. */
  @IsOptional() @IsIn(['yes']) acceptTerms?: 'yes';
  @IsOptional() @IsIn(['yes']) acceptDataProcessing?: 'yes';

  @IsString() @Length(1, 200) _csrf!: string;
}
