import 'reflect-metadata';
import { IsString, Length } from 'class-validator';

/** "Lock my account" (Decision 34 Art 10.1): nothing but the CSRF token; the account is the signed-in one. */
export class LockAccountForm {
  @IsString() @Length(1, 200) _csrf!: string;
}
