import 'reflect-metadata';
import { IsString, Length } from 'class-validator';

/** "Send a new code" (Decision 34 Art 7.1): nothing but the CSRF token; the flow comes from the cookie. */
export class ResendCodeForm {
  @IsString() @Length(1, 200) _csrf!: string;
}
