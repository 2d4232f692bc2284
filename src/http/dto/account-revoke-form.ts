import 'reflect-metadata';
import { IsString, Length, Matches } from 'class-validator';

/** Withdrawing the consent given to one relying party, named by its client id. */
export class RevokeConsentForm {
  @IsString() @Length(1, 200) @Matches(/^[\x21-\x7e]+$/) clientId!: string;

  @IsString() @Length(1, 200) _csrf!: string;
}
