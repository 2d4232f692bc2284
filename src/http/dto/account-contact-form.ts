import 'reflect-metadata';
import { IsIn, IsString, Length } from 'class-validator';

/** A new phone number or email for the account (Decision 34 Art 6.4.e); the rules check it after the shape. */
export class ContactChangeForm {
  @IsIn(['phone', 'email'])
  kind!: 'phone' | 'email';

  @IsString() @Length(0, 254) value!: string;

  @IsString() @Length(1, 200) _csrf!: string;
}
