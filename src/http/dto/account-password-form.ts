import 'reflect-metadata';
import { IsString, Length } from 'class-validator';

/**
 * Changing the password: the current one, then the new one twice. The caps bound what is read, above the policy's
 * maximum so that a long password gets the policy's own message.
 */
export class ChangePasswordForm {
  @IsString() @Length(0, 256) currentPassword!: string;

  @IsString() @Length(0, 1024) newPassword!: string;

  @IsString() @Length(0, 1024) newPasswordConfirm!: string;

  @IsString() @Length(1, 200) _csrf!: string;
}
