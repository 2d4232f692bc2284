import 'reflect-metadata';
import { IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';

/**
 * Lifting one's own lock (Decision 34 Art 11.1), signed out: the login name as on the sign-in page, the password, and
 * where the one-time code goes.
 */
export class UnlockForm {
  @IsIn(['citizen', 'foreigner'])
  kind!: 'citizen' | 'foreigner';

  @ValidateIf((form: UnlockForm) => form.kind === 'citizen')
  @Matches(/^\d{12}$/)
  idNumber?: string;

  @ValidateIf((form: UnlockForm) => form.kind === 'foreigner')
  @Matches(/^[A-Za-z0-9]{5,20}$/)
  passportNumber?: string;

  @ValidateIf((form: UnlockForm) => form.kind === 'foreigner')
  @Matches(/^[A-Za-z]{3}$/)
  nationality?: string;

  // Bounded for hostile input, as on the sign-in page.
  @IsString()
  @Length(1, 256)
  password!: string;

  @IsIn(['sms', 'email'])
  channel!: 'sms' | 'email';

  @IsString() @Length(1, 200) _csrf!: string;
}
