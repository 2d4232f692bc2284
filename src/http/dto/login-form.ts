import 'reflect-metadata';
import { IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';

/** The sign-in form: a citizen's personal ID number, or a foreigner's passport number + nationality (Art 6.4.a). */
export class LoginForm {
  @IsIn(['citizen', 'foreigner'])
  kind!: 'citizen' | 'foreigner';

  @ValidateIf((form: LoginForm) => form.kind === 'citizen')
  @Matches(/^\d{12}$/)
  idNumber?: string;

  @ValidateIf((form: LoginForm) => form.kind === 'foreigner')
  @Matches(/^[A-Za-z0-9]{5,20}$/)
  passportNumber?: string;

  @ValidateIf((form: LoginForm) => form.kind === 'foreigner')
  @Matches(/^[A-Za-z]{3}$/)
  nationality?: string;

  // The upper bound keeps hashing cost bounded for hostile input; the password policy itself applies at set-up.
  @IsString()
  @Length(1, 256)
  password!: string;

  @IsString()
  _csrf!: string;
}
